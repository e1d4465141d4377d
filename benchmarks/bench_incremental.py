"""Incremental and parallel builds: prints figures, asserts nothing.

Builds a temporary project with eight briefings (the two shipped ones, each copied four
times under other names) and measures, in one run on this machine:
  - a full build with -j 1 and with -j 2 (both --force), and the speed-up;
  - a no-op build after a full build, as a fraction of the full build time;
  - a rebuild after one fact used by only the memos changed.

Run: .venv/bin/python benchmarks/bench_incremental.py
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from citebrief.cli import main  # noqa: E402

COPIES = 4


def make_project(root: Path) -> Path:
    for name in ("sources", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "briefings").mkdir()
    shutil.copytree(REPO / "briefings" / "facts", root / "briefings" / "facts")
    for spec in sorted((REPO / "briefings").glob("*.md")):
        for n in range(1, COPIES + 1):
            shutil.copy(spec, root / "briefings" / f"{spec.stem}-{n}.md")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def timed(root: Path, *args: str, cold_charts: bool = False) -> tuple[float, str]:
    if cold_charts:
        shutil.rmtree(root / "output" / ".cache", ignore_errors=True)
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["--project", str(root), *args], out=out)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"build failed: {out.getvalue()}")
    return elapsed, out.getvalue()


def cold_noop(root: Path, runs: int = 3) -> float:
    """A fresh `python build.py` process that finds nothing to rebuild (imports included)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--project", str(root)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main_bench() -> None:
    with tempfile.TemporaryDirectory(prefix="citebrief-bench-") as temp:
        root = make_project(Path(temp))
        briefings = len(list((root / "briefings").glob("*.md")))
        timed(root, "check")  # warm imports and the file cache
        serial, _ = timed(root, "build", "--force", "-j", "1", cold_charts=True)
        parallel, _ = timed(root, "build", "--force", "-j", "2", cold_charts=True)
        noops = [timed(root, "build")[0] for _ in range(5)]
        noop = statistics.median(noops)
        noop_cli = cold_noop(root)
        facts = root / "briefings/facts/chips.yaml"
        facts.write_text(
            facts.read_text().replace(
                "label: Where the H200 stands in Nvidia's line-up",
                "label: Where the H200 stands in Nvidia's product line",
            )
        )
        partial, out = timed(root, "build", "-j", "2")
        rebuilt = len(re.findall(r"^distillation-", out, re.M))
    print(f"briefings: {briefings} (the paper and the memo, {COPIES} copies each); cores: 2")
    print(f"full build -j 1: {serial:6.2f} s  (chart cache empty)")
    print(
        f"full build -j 2: {parallel:6.2f} s  (chart cache empty)  speed-up: {serial / parallel:.2f}x"
    )
    print(
        f"no-op build:     {noop:6.2f} s  = {noop / serial:.1%} of the -j 1 full build, "
        f"{noop / parallel:.1%} of the -j 2 one (in-process, median of {len(noops)})"
    )
    print(
        f"no-op CLI run:   {noop_cli:6.2f} s  = {noop_cli / serial:.1%} of the -j 1 full build, "
        f"{noop_cli / parallel:.1%} of the -j 2 one (fresh `python build.py`, median of 3)"
    )
    print(
        f"one paper-only fact changed: rebuilt {rebuilt} of {briefings} briefings in {partial:.2f} s"
    )


if __name__ == "__main__":
    main_bench()
