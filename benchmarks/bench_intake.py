"""Source intake: prints figures, asserts nothing.

Measures, on the committed fixtures (files made by Chromium, LibreOffice and a saved news
page), the median of five runs of:
  - PDF text extraction (pypdfium2) and web-page extraction (trafilatura), in process;
  - `add-source` end to end (extraction, archive, triage) into a copy of the example project;
  - `triage` of the archived news page against the example fact base.

Run: .venv/bin/python benchmarks/bench_intake.py
"""

from __future__ import annotations

import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
sys.path.insert(0, str(REPO))

from citebrief.archive.pdf import read_pdf  # noqa: E402
from citebrief.archive.webpage import read_page  # noqa: E402
from citebrief.cli import main  # noqa: E402

RUNS = 5


def median_ms(action: Callable[[], object]) -> float:
    action()  # warm: imports and caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cli(*args: str) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        main(list(args), out=io.StringIO())


def example_project(root: Path) -> Path:
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    return root


def main_bench() -> None:
    print(f"source intake, median of {RUNS} runs")
    for name in ("article-chromium.pdf", "memo-libreoffice.pdf"):
        data = (FIXTURES / name).read_bytes()
        pages = len(read_pdf(data).pages)
        ms = median_ms(lambda data=data: read_pdf(data))
        print(f"  PDF text, {name} ({pages} page{'s' * (pages != 1)}): {ms:.1f} ms")
    html = (FIXTURES / "news-page.html").read_bytes()
    print(f"  web page, news-page.html: {median_ms(lambda: read_page(html)):.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        project = example_project(Path(tmp) / "p")
        counter = iter(range(1000))

        def add() -> None:
            n = next(counter)
            cli(
                "--project",
                str(project),
                "add-source",
                str(FIXTURES / "news-page.html"),
                "--id",
                f"news-{n}",
            )
            (project / "sources" / f"news-{n}.txt").unlink()

        print(f"  add-source news-page.html with triage: {median_ms(add):.0f} ms")
        cli(
            "--project",
            str(project),
            "add-source",
            str(FIXTURES / "news-page.html"),
            "--id",
            "news",
        )
        ms = median_ms(lambda: cli("--project", str(project), "triage", "news"))
        print(f"  triage of the news page against the example facts: {ms:.0f} ms")


if __name__ == "__main__":
    main_bench()
