"""Editions: publish freezes a briefing; check guards it; "What changed" reads the snapshots."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import MiniProject

FIRST = "MiniMax generated more than 10 million exchanges with Claude, the company said.\n"
SECOND = "By the latest count MiniMax generated about 13 million exchanges with the model.\n"
OTHER = "The weather in Washington was mild, at about 15 degrees for most of the week.\n"

FACTS = """
- id: labs.minimax.exchanges
  label: Exchanges attributed to MiniMax
  value: 10000000
  unit: exchanges
  qualifier: over
  citations:
    - source: news-1
      quote: "MiniMax generated more than 10 million exchanges with Claude"
"""
REVISED = """
- id: labs.minimax.exchanges
  label: Exchanges attributed to MiniMax
  value: 13000000
  unit: exchanges
  qualifier: about
  citations:
    - source: covington
      quote: "By the latest count MiniMax generated about 13 million exchanges"
"""
WEATHER = """
id: weather.temperature
label: Temperature in Washington
value: 15
unit: degrees
qualifier: about
citations:
  - source: weather
    quote: "The weather in Washington was mild, at about 15 degrees for most of the week"
"""
BODY = """
## Bottom line

- MiniMax: [[labs.minimax.exchanges]] exchanges.

## What changed since the last edition

```changes
```
"""


@pytest.fixture
def briefing(project: MiniProject) -> MiniProject:
    project.source("news-1", FIRST, publisher="Example Wire", published="2026-01-05")
    project.source("weather", OTHER, publisher="Weather Desk", published="2026-01-05")
    project.facts(FACTS, name="labs/minimax.yaml")
    project.facts(WEATHER, name="weather.yaml")
    project.briefing(BODY, name="memo", edition="2026-01-10")
    return project


def set_edition(project: MiniProject, date: str) -> None:
    path = project.root / "briefings/memo.md"
    path.write_text(re.sub(r"edition: \S+", f"edition: {date}", path.read_text()))


def revise(project: MiniProject) -> None:
    project.source("covington", SECOND, publisher="Covington & Burling", published="2026-01-14")
    project.facts(REVISED, name="labs/minimax.yaml")


def changes_block(project: MiniProject) -> list[str]:
    from citebrief.check import check
    from citebrief.facts.corpus import Project

    (document,) = check(Project.open(project.root)).briefings
    blocks = [b for b in document.blocks if b.kind == "changes"]
    return ["".join(part.text for part in item.text) for block in blocks for item in block.items]


def test_publish_freezes_outputs_and_a_snapshot_of_what_the_briefing_used(
    briefing: MiniProject,
) -> None:
    run = briefing.run("publish", "memo")
    assert run.code == 0, run.out
    folder = briefing.root / "editions/memo/2026-01-10"
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [
        "edition.json",
        "memo.docx",
        "memo.evidence.html",
        "memo.html",
        "memo.pdf",
        "snapshot/briefings/facts/labs/minimax.yaml",
        "snapshot/briefings/memo.md",
        "snapshot/sources/news-1.txt",
    ]
    record = json.loads((folder / "edition.json").read_text())
    assert (record["facts"], record["sources"]) == (["labs.minimax.exchanges"], ["news-1"])
    assert (folder / "memo.pdf").read_bytes() == (briefing.root / "output/memo.pdf").read_bytes()
    assert briefing.run("check").code == 0
    again = briefing.run("publish", "memo")
    assert again.code == 2


def test_check_refuses_a_changed_published_edition_in_plain_words(briefing: MiniProject) -> None:
    assert briefing.run("publish", "memo").code == 0
    revise(briefing)
    run = briefing.run("check")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "briefings/memo.md:3:1: error: the edition of 10 January 2026 is published, but what "
        "it shows has changed since: Exchanges attributed to MiniMax: about 13 million exchanges "
        "(was more than 10 million exchanges); now also cites Covington & Burling; no longer cites Example "
        "Wire; new source: Covington & Burling, 14 January 2026"
    )
    assert "hint: give the briefing a new `edition:` date" in run.out


def test_a_change_the_briefing_does_not_show_leaves_its_edition_alone(
    briefing: MiniProject,
) -> None:
    assert briefing.run("publish", "memo").code == 0
    briefing.facts(WEATHER.replace("label: Temperature", "label: Mean temperature"), "weather.yaml")
    assert briefing.run("check").code == 0
    path = briefing.root / "briefings/memo.md"
    path.write_text(path.read_text().replace("- MiniMax:", "- MiniMax alone:"))
    run = briefing.run("check")
    assert "has changed since: the briefing's text was edited" in run.out


def test_what_changed_compares_with_the_briefing_s_own_previous_edition(
    briefing: MiniProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert changes_block(briefing) == []  # no edition yet: nothing to compare with
    assert briefing.run("publish", "memo").code == 0
    revise(briefing)
    set_edition(briefing, "2026-01-20")

    run = subprocess.run

    def no_git(command, *args, **kwargs):  # pandoc (citeproc) runs; git must not
        if command[0] == "git":
            raise AssertionError("check must not run git")
        return run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", no_git)
    assert changes_block(briefing) == [
        "Exchanges attributed to MiniMax: about 13 million exchanges "
        "(was more than 10 million exchanges); "
        "now also cites Covington & Burling; no longer cites Example Wire.",
        "New source: Covington & Burling, 14 January 2026.",
    ]
    monkeypatch.undo()

    assert briefing.run("publish", "memo").code == 0
    html = (briefing.root / "editions/memo/2026-01-20/memo.html").read_text()
    assert "about 13 million exchanges (was more than 10 million exchanges)" in " ".join(
        html.split()
    )
    assert briefing.run("check").code == 0
    # the second edition compares with the first, not with itself
    assert changes_block(briefing)[0].startswith("Exchanges attributed to MiniMax: about 13")

    set_edition(briefing, "2026-01-15")
    run = briefing.run("check")
    assert run.out.splitlines()[0] == (
        "briefings/memo.md:3:1: error: edition date 2026-01-15 is before the latest published "
        "edition (2026-01-20)"
    )


def test_a_briefing_without_editions_prints_no_empty_what_changed_section(
    briefing: MiniProject,
) -> None:
    """Nothing to compare with: the section and its heading are left out, not printed empty."""
    from citebrief.check import check
    from citebrief.facts.corpus import Project

    (document,) = check(Project.open(briefing.root)).briefings
    assert [b for b in document.blocks if b.kind == "changes"] == []
    headings = ["".join(p.text for p in b.content) for b in document.blocks if b.kind == "heading"]
    assert "What changed since the last edition" not in headings
    assert not Path(briefing.root / "editions").exists()


DATED = """
- id: labs.minimax.announced
  label: MiniMax campaign announced
  value: 2026-01-14
  note: Typed by staff as 14 January 2026; “the latest count” is the source's wording.
  citations:
    - source: wire-2
      quote: "The campaign was announced on 14 January 2026"
"""


def test_what_changed_and_its_check_message_read_us_dates_in_a_us_house(
    briefing: MiniProject,
) -> None:
    """With [house] dates = "us" the "What changed" sentences, the check message about a
    published edition and a date typed in a staff note all read 'January 14, 2026'."""
    toml = briefing.root / "citebrief.toml"
    toml.write_text(toml.read_text() + '\n[house]\ndates = "us"\n')
    assert briefing.run("publish", "memo").code == 0
    revise(briefing)
    briefing.source("wire-2", "The campaign was announced on 14 January 2026.\n", publisher="Wire")
    briefing.facts(REVISED + DATED, name="labs/minimax.yaml")
    path = briefing.root / "briefings/memo.md"
    path.write_text(path.read_text() + "\nAnnounced on [[labs.minimax.announced]].\n")
    run = briefing.run("check")
    assert "the edition of January 10, 2026 is published" in run.out, run.out
    assert "new source: Covington & Burling, January 14, 2026" in run.out
    set_edition(briefing, "2026-01-20")
    changes = changes_block(briefing)
    assert "New: MiniMax campaign announced: January 14, 2026." in changes
    assert "New source: Covington & Burling, January 14, 2026." in changes
    assert briefing.run("build").code == 0
    evidence = (briefing.root / "output/memo.evidence.html").read_text(encoding="utf-8")
    note = "Typed by staff as January\u00a014, 2026; “the latest count”"
    assert note in evidence.replace("January 14, 2026", "January\u00a014, 2026")
