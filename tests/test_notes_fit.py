"""Notes always fit: a note WeasyPrint cannot print at the foot of its page (here: three
notes of about 1,400 words called from one paragraph, tests/fixtures/long-notes/) is set
smaller, then printed alone as an endnote, while the other notes stay at the foot of their
page; `check` predicts it with a warning at the line that calls the note, naming its fact."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from citebrief.cli import main

FIXTURE = REPO / "tests" / "fixtures" / "long-notes"


@pytest.fixture(scope="module")
def long_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("notes") / "long-notes"
    shutil.copytree(FIXTURE, root)
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--project", str(root), *args], out=out), out.getvalue()


def test_check_warns_of_the_note_it_will_print_at_the_end_at_its_line(long_notes: Path) -> None:
    code, out = run(long_notes, "check")
    assert code == 0, out
    warnings = [line for line in out.splitlines() if ": warning: " in line]
    assert warnings == [
        "briefings/long-notes.md:12:1: warning: note 2, for fact 'lab-bravo.requests', is too "
        "long for the foot of its page in the PDF: the build prints it at the end, under 'Notes'"
    ]
    assert "fn-" not in out
    assert "hint: shorten the note (a dispute's reason, the fact's note)" in out


def test_the_build_prints_every_note_and_moves_only_the_one_that_does_not_fit(
    long_notes: Path,
) -> None:
    code, out = run(long_notes, "build")
    assert code == 0, out
    text = subprocess.run(
        ["pdftotext", str(long_notes / "output/long-notes.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert text.count("\nNotes\n") == 1
    before, endnotes = text.split("\nNotes\n")
    for number, lab in ((1, "Alpha"), (2, "Bravo"), (3, "Charlie")):
        starts = re.findall(rf"(?m)^{number}\. Wire {lab}, “Requests by the {lab} ", text)
        assert len(starts) == 1, f"note {number} printed {len(starts)} times"
    assert "Notes too long for the foot of their page." in endnotes
    assert "2. Wire Bravo" in endnotes  # at the end, under its own number
    assert "1. Wire Alpha" in before  # at the foot of page 1
    calls = re.search(
        r"The Alpha lab made about 2,000\W+1 requests\. .*?about 3,000\W+2 .*?"
        r"about 4,000\W+3 requests",
        before,
        re.S,
    )
    assert calls, before[:600]


def test_the_warning_can_be_acknowledged_on_its_fact(tmp_path: Path) -> None:
    root = tmp_path / "long-notes"
    shutil.copytree(FIXTURE, root)
    facts = root / "briefings/facts/requests.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace(
            "  label: Requests by the Bravo lab\n",
            "  label: Requests by the Bravo lab\n"
            "  acknowledge:\n    note-placement: the second count's reasons are kept whole\n",
        ),
        encoding="utf-8",
    )
    code, out = run(root, "check", "--strict")
    assert code == 0, out
    assert "warning" not in out.split("declared disagreements")[0]
