"""Run commands from a small process, so that their peak memory is their own.

On Linux a child's peak resident set (ru_maxrss) starts at its parent's size at the fork:
the kernel keeps the high-water mark of the memory the child had before exec. Forked from
the benchmark, which holds corpora of its own in memory, every `check` measured at least
the benchmark's size (131 MB for a 20 MB check). The launcher is started first, while it is
small, and forks every measured command itself.

Protocol, one JSON line each way: the benchmark sends the argv; the launcher answers
{"pid"} once the command runs, then {"status", "cpu", "peak_kb", "stderr"} when it ends.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def as_users_run() -> None:
    """Measure commands as a user's Python runs them: with its bytecode cache.

    Python keeps each module compiled in ``__pycache__`` and compiles it again only when
    its source changes; pip does the same for installed packages. A machine whose
    environment sets PYTHONDONTWRITEBYTECODE (this one did) has every run compile
    citebrief's modules from source again: 0.17 s of CPU for each command, which no
    user pays. The cache is written once here, and the variable cleared for the commands
    this benchmark starts."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    compileall.compile_dir(REPO / "citebrief", quiet=1)


SERVE = r"""
import json, os, subprocess, sys, tempfile
for line in sys.stdin:
    argv = json.loads(line)
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        print(json.dumps({"pid": process.pid}), flush=True)
        _, status, usage = os.wait4(process.pid, 0)
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    print(json.dumps({"status": os.waitstatus_to_exitcode(status),
                      "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_kb": usage.ru_maxrss, "stderr": tail}), flush=True)
"""


class Launcher:
    """A small Python process that runs commands and reports their resource use."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": tempfile.gettempdir()},
        )

    def start(self, argv: list[str]) -> int:
        """Start ``argv``; its process id."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(argv) + "\n")
        self.process.stdin.flush()
        return int(json.loads(self.process.stdout.readline())["pid"])

    def finish(self) -> dict[str, Any]:
        """Wait for the command started last: exit status, CPU seconds, peak RSS, stderr."""
        assert self.process.stdout
        return dict(json.loads(self.process.stdout.readline()))
