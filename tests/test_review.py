"""`citebrief review CLEARED.docx`: the memo's own Word edition (made by pandoc), edited with
tracked changes and comments as Word writes them (XML level) and by LibreOffice headless,
read back and placed in the briefing's sources."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_faults import _read_only

from citebrief.cli import main
from citebrief.review.cleared import ClearedParagraph
from citebrief.review.place import Written, _match

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "review"))
from word_edit import Comment, Insert, Move, Replace, edited

LO_EDIT = Path(__file__).parent / "fixtures" / "review" / "lo_edit.py"
MEMO = "briefings/distillation-memo.md"
NBSP = "\u00a0"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review") / "proj"
    root.mkdir()
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    code, out = run("--project", str(root), "build", "distillation-memo")
    assert code == 0, out
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project, so --apply edits never leak between tests."""
    root = tmp_path / "proj"
    shutil.copytree(built, root)
    return root


def fact_line(root: Path, path: str, fact_id: str) -> int:
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == f"- id: {fact_id}")


WORD_EDITS = [
    Replace(f"13{NBSP}million", f"14{NBSP}million"),
    Comment("proxy resellers", "Which resellers? Name one if a source does."),
    Replace("to train their own models", "to train their models"),
    Insert("Anthropic\u2019s", " own"),
    Move("no primary document is archived, and ", "contradicts"),
]


def test_a_tracked_change_to_a_figure_is_an_error_at_its_fact(project: Path) -> None:
    docx = project / "cleared.docx"
    docx.write_bytes(edited((project / "output/distillation-memo.docx").read_bytes(), WORD_EDITS))
    code, out = run("--project", str(project), "review", str(docx))
    assert code == 1, out
    line = fact_line(project, "briefings/facts/campaign.yaml", "labs.minimax.exchanges")
    assert (
        f"briefings/facts/campaign.yaml:{line}:3: error: tracked change on the figure "
        f"'about 13 million' of fact 'labs.minimax.exchanges' (shown at {MEMO}:14): "
        "'13 million' → '14 million' (Reviewer, 2026-12-01)"
    ) in out
    assert "hint: a figure changes only in its fact, with a source" in out


def test_comments_insertions_deletions_and_moves_are_placed_at_their_markdown_lines(
    project: Path,
) -> None:
    docx = project / "cleared.docx"
    docx.write_bytes(edited((project / "output/distillation-memo.docx").read_bytes(), WORD_EDITS))
    _, out = run("--project", str(project), "review", str(docx))
    assert (
        f"{MEMO}:15:1: warning: comment: comment on 'proxy resellers': "
        "'Which resellers? Name one if a source does.' (Reviewer, 2026-12-01)"
    ) in out
    assert (
        f"{MEMO}:13:1: warning: tracked change in the text: 'to train their own models' → "
        "'to train their models' (Reviewer, 2026-12-01)"
    ) in out
    assert f"{MEMO}:17:1: warning: tracked change in the text: inserted 'own'" in out
    assert (
        f"{MEMO}:17:1: warning: tracked change in the text: moved away from here: "
        "'no primary document is archived, and'"
    ) in out
    assert f"{MEMO}:17:1: warning: tracked change in the text: moved here:" in out
    assert "cleared.docx: 6 tracked changes and comments" in out
    # the hint to apply them names the file it needs, as the command was run
    assert (
        f"hint: `citebrief --project {project} review {docx} --apply` makes the briefing's "
        "prose changes in its Markdown"
    ) in out


def test_apply_makes_the_prose_changes_in_the_markdown_and_never_a_figure(project: Path) -> None:
    docx = project / "cleared.docx"
    docx.write_bytes(edited((project / "output/distillation-memo.docx").read_bytes(), WORD_EDITS))
    memo = (project / MEMO).read_text(encoding="utf-8").splitlines()
    facts = (project / "briefings/facts/campaign.yaml").read_bytes()
    code, out = run("--project", str(project), "review", str(docx), "--apply")
    assert code == 1, out  # the figure is still changed in the cleared file
    after = (project / MEMO).read_text(encoding="utf-8").splitlines()
    assert after[12] == memo[12].replace("to train their own models", "to train their models")
    assert after[13] == memo[13]  # the figure's line: untouched
    assert after[16] == (  # the words moved where the reviewer put them, glued as there
        "- Treat the numbers as Anthropic's own claims relayed by the press: a machine-written "
        "report gives a lower total that every other source contradictsno primary document "
        "is archived, and."
    )
    assert (project / "briefings/facts/campaign.yaml").read_bytes() == facts
    assert f"{MEMO}:13:1: applied: 'to train their own models' → 'to train their models'" in out
    assert "prose changes made in briefings/distillation-memo.md" in out
    code, out = run("--project", str(project), "check")
    assert code == 0, out


def test_a_cleared_file_without_changes_reports_none(project: Path) -> None:
    code, out = run(
        "--project", str(project), "review", str(project / "output/distillation-memo.docx")
    )
    assert code == 0
    assert out.strip() == (
        f"distillation-memo.docx: no tracked changes or comments (made from {MEMO})"
    )


def test_a_file_edited_in_libreoffice(project: Path, tmp_path: Path) -> None:
    """LibreOffice headless (python-uno) records the changes and saves as Word 2007-365."""
    assert shutil.which("soffice"), "libreoffice-writer-nogui is required (.ci/setup --test)"
    edits = tmp_path / "edits.json"
    edits.write_text(
        json.dumps(
            [
                {"find": f"about{NBSP}13{NBSP}million", "replace": f"about{NBSP}14{NBSP}million"},
                {"find": "to train their own models", "replace": "to train their models"},
                {"after": "Anthropic\u2019s", "insert": " own"},
            ]
        ),
        encoding="utf-8",
    )
    cleared = tmp_path / "cleared-lo.docx"
    done = subprocess.run(
        [
            "/usr/bin/python3",
            str(LO_EDIT),
            str(project / "output/distillation-memo.docx"),
            str(cleared),
            str(edits),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0 and cleared.is_file(), done.stderr[-2000:]
    code, out = run("--project", str(project), "review", str(cleared))
    assert code == 1, out
    line = fact_line(project, "briefings/facts/campaign.yaml", "labs.minimax.exchanges")
    assert (
        f"briefings/facts/campaign.yaml:{line}:3: error: tracked change on the figure "
        f"'about 13 million' of fact 'labs.minimax.exchanges' (shown at {MEMO}:14): "
        "'about 13 million' → 'about 14 million'"
    ) in out
    assert f"{MEMO}:13:1: warning: tracked change in the text: 'to train their own models" in out
    assert f"{MEMO}:17:1: warning: tracked change in the text: inserted 'own'" in out
    code, out = run("--project", str(project), "review", str(cleared), "--apply")
    text = (project / MEMO).read_text(encoding="utf-8")
    assert "to train their models by distillation" in text
    assert "Anthropic's own claims" in text or "Anthropic\u2019s own claims" in text
    assert "[[labs.minimax.exchanges]]" in text


def test_review_names_the_briefings_when_told_one_that_is_not(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.docx"
    shutil.copy(project / "output/distillation-memo.docx", other)
    code, _ = run("--project", str(project), "review", str(other), "--briefing", "nope")
    assert code == 2
    err = capsys.readouterr().err
    assert "no briefing named 'nope'" in err
    assert "the briefings are distillation-memo, distillation-paper" in err


def test_apply_into_a_read_only_folder_is_an_error_at_the_memo_which_stays_as_it_was(
    project: Path,
) -> None:
    """The memo's folder is read-only (a full disk fails the same write): an error at the
    memo in words (it was an internal error, with a temporary file left beside the memo),
    and the memo as it was."""
    docx = project / "cleared.docx"
    docx.write_bytes(edited((project / "output/distillation-memo.docx").read_bytes(), WORD_EDITS))
    memo = (project / MEMO).read_bytes()
    command = [sys.executable, "-m", "citebrief", "--project", str(project), "review"]
    done = subprocess.run(
        [*_read_only(project / "briefings"), *command, str(docx), "--apply"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    printed = done.stdout + done.stderr
    assert done.returncode == 1, printed
    assert "internal error" not in printed and "Traceback" not in printed, printed
    assert f"{MEMO}:1:1: error: this file could not be written: its folder is read-only" in printed
    assert (project / MEMO).read_bytes() == memo
    assert [p.name for p in (project / "briefings").iterdir() if p.name.startswith(".")] == []


def test_a_huge_paragraph_in_a_cleared_file_is_placed_at_once() -> None:
    """A hostile cleared file's 240 KB paragraph was compared with each of 40 written ones by
    difflib (1.3 s each): now only where it could be alike; the same paragraphs are placed."""
    words = [
        "export",
        "license",
        "chip",
        "the",
        "of",
        "review",
        "rule",
        "china",
        "tariff",
        "revenue",
    ]
    huge = " ".join(words[(i * 7) % len(words)] for i in range(40_000))
    written = [Written(" ".join(f"{w}{n}" for w in words), n + 1, ()) for n in range(40)]

    def too_slow(*_: object) -> None:
        raise TimeoutError("placing one paragraph took more than 10 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        assert _match(ClearedParagraph(original=huge), written, 0) == (None, 0)
        near = written[7].text.replace("chip7", "chips7")
        assert _match(ClearedParagraph(original=near), written, 0) == (written[7], 8)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
