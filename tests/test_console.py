"""The console of `assess run`: one line per assessment, third-party output kept as redacted evidence."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from notebook_factory import write_notebook

from assess import console, tracking

ASSESS = [sys.executable, "-m", "assess"]


def run(project, *args, env=None):
    return subprocess.run([*ASSESS, "run", str(project / "review.yaml"), *args], capture_output=True, text=True,
                          cwd=project, env={**os.environ, **(env or {})})


def chatty_project(tiny_project):
    write_notebook(tiny_project / "notebooks", "chatters")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      chatters: {}\n"), encoding="utf-8")
    return tiny_project


def test_the_console_shows_one_line_per_assessment_and_keeps_the_rest_as_redacted_evidence(tiny_project):
    project = chatty_project(tiny_project)

    result = run(project)

    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("review ") and "of s: 2 assessment(s)" in lines[0]
    steps = sorted(lines[1:3])  # each line comes as its assessment ends: in parallel (--jobs), in any order
    assert steps[0].startswith("  [1/2] row_count ") and " PASS " in steps[0] and steps[0].endswith(" s")
    assert steps[1].startswith("  [2/2] chatters  ") and " PASS " in steps[1]
    assert len(lines) == 3, result.stderr  # no MLflow migrations, no kernel warnings, no library chatter
    assert "\x1b[" not in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("exit 0: every assessment passed")

    client = tracking.client_for(tracking.embedded_uri(project))
    [review] = [r for e in client.search_experiments() for r in client.search_runs([e.experiment_id])
                if r.data.tags.get(tracking.TAG_KIND) == "review"]
    log = client.download_artifacts(review.info.run_id, "logs/console.log", str(project / "dl"))
    text = open(log, encoding="utf-8").read()
    assert "libfoo WARNING: record of customer 138****5678 has an odd encoding" in text  # kept, and masked
    assert "13812345678" not in text
    [kept] = (project / "reports" / "s").glob("*/console.log")
    assert "13812345678" not in kept.read_text(encoding="utf-8")


def test_verbose_shows_what_libraries_print(tiny_project):
    project = chatty_project(tiny_project)

    result = run(project, "--verbose")

    assert result.returncode == 0
    assert "libfoo WARNING" in result.stderr


def test_a_failed_review_says_what_exit_1_means(tiny_project):
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("min_rows: 2", "min_rows: 50"), encoding="utf-8")

    result = run(tiny_project, "--only", "row_count")

    assert result.returncode == 1
    assert " FAIL " in result.stderr.splitlines()[1]
    assert result.stdout.strip().splitlines()[-1].startswith("exit 1: at least one check failed")


def test_a_step_ends_with_its_outcome_and_a_plain_stream_gets_no_spinner():
    stream = io.StringIO()
    shown = console.Console(stream)
    with shown.step("  [1/1] thing") as outcome:
        outcome("\x1b[31mFAIL\x1b[0m")
    with shown.step("  [1/1] other"):
        pass
    first, second = stream.getvalue().splitlines()
    assert first.startswith("  [1/1] thing FAIL in ") and first.endswith(" s")
    assert second.startswith("  [1/1] other stopped in ")
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


def test_capture_sends_file_descriptor_2_to_the_log_and_restores_it(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, sys\n"
        "from assess import console\n"
        "with console.captured() as shown:\n"
        "    os.write(2, b'native chatter\\n')\n"
        "    print('python chatter', file=sys.stderr)\n"
        "    shown.line('progress line')\n"
        "    captured = shown.log_text()\n"
        "print('after', file=sys.stderr)\n"
        "print(repr(captured))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["progress line", "after"]
    assert "native chatter" in result.stdout and "python chatter" in result.stdout


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_concurrent_steps_each_end_with_their_own_line_and_one_spinner_names_those_running(monkeypatch):
    import threading
    import time

    monkeypatch.setenv("TERM", "xterm")
    stream = _Terminal()
    shown = console.Console(stream)
    second_started, first_ended = threading.Event(), threading.Event()

    def second():
        with shown.step("  [2/2] other") as outcome:
            second_started.set()
            first_ended.wait(10)
            outcome("PASS")

    worker = threading.Thread(target=second)
    with shown.step("  [1/2] thing") as outcome:
        worker.start()
        second_started.wait(10)
        time.sleep(1.2)  # two spinner turns while both run
        outcome("FAIL")
    first_ended.set()
    worker.join(10)
    text = stream.getvalue()
    finished = [line.rpartition("\x1b[K")[2] for line in text.split("\n") if " in " in line]
    assert finished[0].startswith("  [1/2] thing FAIL in ") and finished[1].startswith("  [2/2] other PASS in ")
    assert "[1/2] thing, [2/2] other " in text  # the spinner line names both running steps
    assert text.endswith(" s\n")  # the spinner stopped with the last step: nothing drawn after the last line
