"""The ``assess`` command line.

Subcommands are discovered: every module of this package that defines ``register(subparsers)``
adds its own parser, so a new assessment's command is one new file, not an edit here. Handlers
return an exit code; :class:`assess.errors.InputError` becomes a one-line message and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from assess import __version__
from assess.errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every discovered subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="assess",
        description="Periodic algorithm assessments of generative-AI models and their training data.",
    )
    parser.add_argument("--version", action="version", version=f"assess {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets one line; --debug shows the rest
        if args.debug:
            raise
        print(f"error: {one_line(exc)} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_ERROR


def one_line(exc: Exception) -> str:
    """The exception as one line; a lost tracking server is named with the way to recover."""
    import os

    text = " ".join(str(exc).split())
    if type(exc).__name__ == "MlflowException" and ("Max retries exceeded" in text or "Connection" in text):
        from assess.tracking import without_user_info

        server = without_user_info(os.environ.get("MLFLOW_TRACKING_URI", "the tracking server"))
        return (f"the tracking server {server} stopped answering: restart it, then run `assess verify --chain SUBJECT`, "
                "which closes the runs this review left open, and run the review again")
    return f"{type(exc).__name__}: {text[:300]}"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
