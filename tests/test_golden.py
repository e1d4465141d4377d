"""A small briefing's whole Document (as canonical JSON) and its HTML, against golden files.

Regenerate both after an intended change with:
    CITEBRIEF_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden.py
then read the diff (`git diff tests/golden`) before committing it.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from conftest import REPO, MiniProject

from citebrief.check import check
from citebrief.facts.corpus import Project
from citebrief.render.html import render_html
from citebrief.render.theme import DEFAULTS

GOLDEN = REPO / "tests" / "golden" / "mini-briefing.main.html"
GOLDEN_DOCUMENT = REPO / "tests" / "golden" / "mini-briefing.document.json"
ARTICLE = "Officials counted about 1,200 accounts and more than 3.5 million requests in all.\n"
SECOND = "The agency's own count was more than 1,200 accounts, a spokesperson said.\n"


def mini_project(project: MiniProject) -> MiniProject:
    project.source(
        "wire-1",
        ARTICLE,
        publisher="Wire Service",
        published="2026-02-01",
        title="Officials count the accounts",
        url="https://wire.example/accounts",
    )
    project.source("daily-2", SECOND, publisher="unknown", author="Ann Reporter", title="A count")
    project.facts(
        """
        - id: case.accounts
          label: Accounts counted
          value: 1200
          unit: accounts
          qualifier: about
          citations:
            - source: wire-1
              quote: "Officials counted about 1,200 accounts and more than 3.5 million requests"
            - source: daily-2
              quote: "The agency's own count was more than 1,200 accounts"
              disagrees: says "more than" where the wire says "about"
        - id: case.requests
          label: Requests counted
          value: 3500000
          unit: requests
          qualifier: over
          citations:
            - source: wire-1
              quote: "Officials counted about 1,200 accounts and more than 3.5 million requests"
        """
    )
    project.briefing(
        """
        ## Bottom line

        - The accounts numbered [[case.accounts]] and sent [[case.requests]] requests.

        ```table
        caption: What was counted
        columns: [Item, Figure]
        rows:
          - [Accounts, case.accounts]
          - [Requests, case.requests]
        ```

        ## Sources

        ```sources
        ```
        """,
        name="mini",
        title="A small briefing",
    )
    return project


def main_of(html: str) -> str:
    return re.search(r"<main>.*</main>", html, re.S).group(0) + "\n"


def test_small_briefing_renders_as_the_golden_file(project: MiniProject) -> None:
    mini_project(project)
    report = check(Project(project.root))
    assert [p for p in report.problems if p.severity.value == "error"] == []
    document = report.briefings[0]
    html = main_of(render_html(document, {}, project.root, for_print=False))
    if os.environ.get("CITEBRIEF_REGENERATE"):
        GOLDEN.write_text(html, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), html.splitlines(True), "golden", "now")
    )
    assert html == expected, "rendered HTML differs from the golden file:\n" + diff


def test_small_briefing_composes_to_the_golden_document(project: MiniProject) -> None:
    """The whole Document, as canonical JSON: blocks, inline parts, notes, sources, evidence."""
    mini_project(project)
    document = check(Project(project.root)).briefings[0]
    data = document.to_json()
    if os.environ.get("CITEBRIEF_REGENERATE"):
        GOLDEN_DOCUMENT.write_text(data, encoding="utf-8")
    expected = GOLDEN_DOCUMENT.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), data.splitlines(True), "golden", "now")
    )
    assert data == expected, "composed Document differs from the golden file:\n" + diff


def test_golden_files_are_committed() -> None:
    assert GOLDEN.is_file() and Path(GOLDEN).stat().st_size > 500
    assert GOLDEN_DOCUMENT.is_file() and Path(GOLDEN_DOCUMENT).stat().st_size > 500


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_text_colours_have_enough_contrast_on_their_backgrounds() -> None:
    """WCAG AA asks 4.5:1 for body text; every text colour of the house style is checked."""
    css = (DEFAULTS / "briefing.css").read_text()
    colours = dict(re.findall(r"--(ink|navy|muted|marking|shade): (#[0-9a-f]{6})", css))
    assert set(colours) == {"ink", "navy", "muted", "marking", "shade"}
    for text in ("ink", "navy", "muted", "marking"):
        for background in ("#ffffff", colours["shade"]):
            light, dark = sorted((_luminance(colours[text]), _luminance(background)), reverse=True)
            ratio = (light + 0.05) / (dark + 0.05)
            assert ratio >= 4.5, f"{text} on {background}: {ratio:.1f}:1"
