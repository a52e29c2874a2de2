"""``python -m assess`` is the ``assess`` command."""

from assess.cli import run

run()
