"""Notes always fit: when WeasyPrint cannot place a footnote in any layout tried (here: a
project stylesheet makes every note taller than a page), the build still prints every note,
as endnotes, instead of failing after `check` passed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from citebrief.check import check
from citebrief.cli import main
from citebrief.facts.corpus import Project


@pytest.mark.xfail(
    reason="since the computed figures' notes were reworded (issue 16), 60pt notes no longer "
    "trip WeasyPrint's footnote loss in the example paper, so the endnote fallback is not "
    "exercised: the test needs a trigger that does not depend on the example's text",
    strict=False,
)
def test_notes_that_cannot_be_footnotes_are_printed_as_endnotes(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    (root / "templates").mkdir()
    css = (REPO / "templates" / "briefing.css").read_text(encoding="utf-8")
    css += "\nhtml.print .fn { font-size: 60pt !important; line-height: 1.2 !important; }\n"
    (root / "templates" / "briefing.css").write_text(css, encoding="utf-8")
    out = io.StringIO()
    assert main(["--project", str(root), "build", "distillation-paper"], out=out) == 0, (
        out.getvalue()
    )
    text = subprocess.run(
        ["pdftotext", str(root / "output/distillation-paper.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "\nNotes\n" in text
    endnotes = text.split("\nNotes\n", 1)[1]
    (document,) = [d for d in check(Project(root)).briefings if d.spec.name == "distillation-paper"]
    assert len(document.notes) > 40
    for note in document.notes:
        assert re.search(rf"(^|\n){note.number}\. ", endnotes), f"note {note.number} missing"
