"""Keeping briefings current: add a source, cite it, see what changed, rebuild only that."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, MiniProject
from test_briefings import copy_project

from citebrief.cli import main

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

NEWS = """Committee staff summary (test fixture, not a real article)

On February 24, 2026, committee staff circulated a summary of the distillation allegations to members.

The summary recalls that the President's announcement on H200 sales came on December 9, 2025, a day later than other accounts give.
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def run(project: MiniProject, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    out = io.StringIO()
    if stdin is not None:
        done = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--project", str(project.root), *args],
            input=stdin,
            capture_output=True,
        )
        return done.returncode, done.stdout.decode() + done.stderr.decode()
    code = main(["--project", str(project.root), *args], out=out)
    return code, out.getvalue()


def test_a_news_update_end_to_end(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "edition of 23 November 2026")
    code, out = run(project, "build")
    assert code == 0, out
    memo_before = (project.root / "output/distillation-memo.pdf").read_bytes()
    code, out = run(project, "publish", "distillation-paper")  # the edition of 23 November
    assert code == 0, out

    # 1. a new article arrives
    article = tmp_path / "staff-summary.txt"
    article.write_text(NEWS)
    code, out = run(
        project,
        "add-source",
        str(article),
        "--title",
        "Committee staff summary",
        "--publisher",
        "Test committee",
        "--published",
        "2026-02-25",
        "--retrieved",
        "2026-02-26",
        "--reliability",
        "medium",
        "--reliability-note",
        "committee staff's own summary",
    )
    assert code == 0, out
    assert "id: test-committee-staff-summary" in out
    assert f'citebrief --project {project.root} quote test-committee-staff-summary "' in out

    # 2. staff find the words to cite
    code, out = run(
        project,
        "quote",
        "test-committee-staff-summary",
        "circulated a summary of the distillation allegations",
    )
    assert code == 0
    assert out.startswith("sources/test-committee-staff-summary.txt:16:39: exact match")
    pasted = out.split("paste into a fact's citations:\n")[1]

    # 3. a new fact, and a date that disagrees with an existing one
    register = project.root / "briefings/entities.yaml"
    register.write_text(
        register.read_text().replace(
            "entities:\n",
            "entities:\n  - id: china-committee\n    name: House Select Committee on China\n"
            "    aliases: [committee staff]\n",
            1,
        )
    )
    facts = project.root / "briefings/facts/timeline.yaml"
    facts.write_text(
        facts.read_text()
        + "\n- id: timeline.staff-summary\n  label: Committee staff circulate a summary of the allegations\n"
        + "  subject: china-committee\n  value: 2026-02-24\n  citations:\n"
        + pasted.replace("    - source:", "    - source:", 1)
        + '    - source: test-committee-staff-summary\n      quote: "On February 24, 2026, committee staff circulated"\n'
    )
    chips = project.root / "briefings/facts/chips.yaml"
    chips.write_text(
        chips.read_text().replace(
            '      quote: "This rule comes on the back of President Trump\'s December 8, 2025, announcement"\n',
            '      quote: "This rule comes on the back of President Trump\'s December 8, 2025, announcement"\n'
            "    - source: test-committee-staff-summary\n"
            '      quote: "the President\'s announcement on H200 sales came on December 9, 2025"\n'
            "      disagrees: the staff summary dates the announcement a day later than the law-firm account\n",
        )
    )

    # the published paper is frozen: its next edition gets a new date
    paper_spec = project.root / "briefings/distillation-paper.md"
    paper_spec.write_text(
        paper_spec.read_text().replace("edition: 2026-11-23", "edition: 2026-11-30")
    )

    # 4. check reports the disagreement (not strict: the new source is still unassessed, a
    # warning that this project's `strict = true` would make an error)
    code, out = run(project, "check", "--no-strict")
    assert code == 0, out
    assert (
        "  chips.h200.decision-date: fact says 2025-12-08; 'test-committee-staff-summary' states "
        "'December 9, 2025'"
    ) in out

    # 5. diff lists the new fact, the new source and the disagreement
    code, out = run(project, "diff")
    assert code == 0
    assert "+ fact timeline.staff-summary: 24 February 2026" in out
    assert "+ source test-committee-staff-summary: Committee staff summary" in out
    assert (
        "+ disagreement on chips.h200.decision-date: test-committee-staff-summary states “December 9, 2025”"
        in out
    )
    code, out = run(project, "diff", "--format", "json")
    assert json.loads(out)["facts_added"][0][0] == "timeline.staff-summary"

    # 6. the paper's 'what changed' shows the update to what it cites; the memo reads the same
    # (its evidence companion is rebuilt: the lines of the facts it cites moved)
    code, out = run(project, "build")
    assert code == 0, out
    assert re.search(r"^distillation-paper\s", out, re.M)
    assert (project.root / "output/distillation-memo.pdf").read_bytes() == memo_before
    paper = (project.root / "output/distillation-paper.html").read_text()
    assert "New source: Test committee, 25 February 2026." in " ".join(paper.split())
    assert "New disagreement: Test committee states “December 9, 2025” for " in paper
    assert "Committee staff circulate a summary" not in paper  # a fact the paper does not use

    # 7. a no-op build rebuilds nothing, and says so
    code, out = run(project, "build")
    assert "nothing to rebuild: every output is up to date" in out


# --- add-source refusals ----------------------------------------------------------------------


@pytest.fixture
def archive_project(real_project: MiniProject) -> MiniProject:
    return real_project


def test_add_source_refuses_a_text_already_archived(
    archive_project: MiniProject, tmp_path: Path
) -> None:
    body = (
        (archive_project.root / "sources/seed001-aihubblog.txt").read_text().split("\n---\n", 1)[1]
    )
    copy = tmp_path / "again.txt"
    copy.write_text(body)
    code, out = run(archive_project, "add-source", str(copy), "--title", "Again", stdin=b"")
    assert code == 1  # an input error at the file given, not a usage error
    assert f"{copy}:1:1: error: this text is already archived as 'seed001-aihubblog'" in out
    assert list((archive_project.root / "sources").glob("again*")) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is binary, not text"),
        (b"caf\xe9 au lait", "the file is not UTF-8 text"),
        (b"x" * (2 * 1024 * 1024 + 1), "the file is 2048 KB; the limit is 2 MB"),
    ],
    ids=["empty", "blank", "binary", "not-utf8", "too-large"],
)
def test_add_source_refuses_bad_files(
    project: MiniProject, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    code, out = run(project, "add-source", str(path), "--title", "T", stdin=b"")
    assert code == 1  # an input error, located at the file
    assert f"{path}:1:1: error: {message}" in out
    assert list((project.root / "sources").iterdir()) == []


def test_add_source_refuses_an_existing_id_and_a_duplicate(
    project: MiniProject, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("First article text.\n")
    (tmp_path / "b.txt").write_text("Second article text.\n")
    assert run(project, "add-source", str(tmp_path / "a.txt"), "--title", "Same title")[0] == 0
    code, out = run(
        project, "add-source", str(tmp_path / "b.txt"), "--title", "Same title", stdin=b""
    )
    assert code == 1
    assert "sources/same-title.txt:1:1: error: a source with id 'same-title' already exists" in out
    code, out = run(project, "add-source", str(tmp_path / "a.txt"), "--title", "Other", stdin=b"")
    assert code == 1 and "this text is already archived as 'same-title'" in out


def test_add_source_reduces_html_to_readable_text(project: MiniProject) -> None:
    page = b"""<!DOCTYPE html><html><head><title>BIS rule explained</title>
<style>p { color: red }</style><script>track()</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>BIS rule explained</h1><p>The rule was published on
January 15, 2026.</p><p>It moves review to <b>case-by-case</b>.</p>
<ul><li>First point</li><li>Second point</li></ul></article>
<footer>Copyright</footer></body></html>"""
    code, out = run(
        project, "add-source", "-", "--url", "https://example.org/news/bis-rule", stdin=page
    )
    assert code == 0, out
    text = (project.root / "sources/bis-rule-explained.txt").read_text()
    body = text.split("\n---\n", 1)[1]
    assert body == (
        "BIS rule explained\n\nThe rule was published on January 15, 2026.\n\n"
        "It moves review to case-by-case.\n\n- First point\n\n- Second point\n"
    )
    assert (
        'title: "BIS rule explained"' in text and 'url: "https://example.org/news/bis-rule"' in text
    )
    assert run(project, "check")[0] == 0


# --- quote ---------------------------------------------------------------------------------------


def test_quote_finds_normalised_words_and_suggests_near_misses(real_project: MiniProject) -> None:
    code, out = run(
        real_project,
        "quote",
        "seed000-unattributed",
        'operate a "hydra cluster" of tens of thousands',
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "sources/seed000-unattributed.txt:23:206: match after normalising quotes, dashes and spaces"
    )
    assert 'quote: "operate a “hydra cluster” of tens of thousands"' in out
    code, out = run(real_project, "quote", "seed004-economic-times", "minimax around 13 million")
    assert code == 1
    assert out.splitlines()[1] == "sources/seed004-economic-times.txt:27:3: (81% alike)"


# --- the calendar --------------------------------------------------------------------------------


def test_a_briefing_cannot_cite_the_future_and_stale_facts_warn(project: MiniProject) -> None:
    project.source(
        "later", "The agency counted 42,000 accounts in total by then.\n", published="2026-05-01"
    )
    project.source(
        "older", "An early count found 41,000 accounts at the time.\n", published="2024-01-01"
    )
    project.facts(
        """
        - id: x.later
          label: Later count
          value: 42000
          unit: accounts
          qualifier: exact
          citations:
            - source: later
              quote: "The agency counted 42,000 accounts in total by then."
        - id: x.older
          label: Older count
          value: 41000
          unit: accounts
          qualifier: exact
          citations:
            - source: older
              quote: "An early count found 41,000 accounts at the time."
        """
    )
    project.briefing(
        """
        Counts: [[x.later]] and [[x.older]].
        """,
        name="b",
        stale_after_days="365",
    )
    code, out = run(project, "check")
    assert code == 1
    lines = [line for line in out.splitlines() if ": error: " in line or ": warning: " in line]
    assert lines == [
        "briefings/b.md:10:9: error: fact 'x.later' cites 'later', published 2026-05-01, after this "
        "briefing's edition date 2026-03-01",
        "briefings/b.md:10:25: warning: fact 'x.older' is as of 2024-01-01, more than 365 days before "
        "this edition (2026-03-01)",
    ]


# --- watch -----------------------------------------------------------------------------------------


def test_watch_rebuilds_on_change_and_shows_errors_on_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project.root / "briefings/distillation-paper.md").unlink()  # one briefing keeps it quick
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "build.py"),
            "--project",
            str(project.root),
            "watch",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = process.stdout.readline()
        port = re.search(r"127\.0\.0\.1:(\d+)", first).group(1)
        base = f"http://127.0.0.1:{port}"

        def status() -> dict:
            with urllib.request.urlopen(f"{base}/__citebrief/status", timeout=5) as response:
                return json.load(response)

        def wait_for(predicate, limit: float = 90.0) -> dict:
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                current = status()
                if predicate(current):
                    return current
                time.sleep(0.3)
            raise AssertionError(f"timed out; last status {current}")

        ready = wait_for(lambda s: s["builds"] >= 1)
        assert ready["error"] == "" and ready["briefings"] == ["distillation-memo"]
        with urllib.request.urlopen(f"{base}/", timeout=5) as response:
            page = response.read().decode()
        assert "/__citebrief/status" in page and "<iframe" in page
        with urllib.request.urlopen(f"{base}/distillation-memo.html", timeout=5) as response:
            memo = response.read()
        assert memo == (project.root / "output/distillation-memo.html").read_bytes()

        facts = project.root / "briefings/facts/campaign.yaml"
        facts.write_text(facts.read_text().replace("around 13 million", "around 15 million"))
        failed = wait_for(lambda s: s["builds"] >= 2)
        assert "quote not found in source 'seed004-economic-times'" in failed["error"]

        facts.write_text(facts.read_text().replace("around 15 million", "around 13 million"))
        fixed = wait_for(lambda s: s["builds"] >= 3)
        assert fixed["error"] == ""
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_diff_explains_a_missing_ref_and_a_missing_repository(project: MiniProject, capsys) -> None:
    code, _ = run(project, "diff")
    assert code == 2
    assert "citebrief: error: the project is not in a git repository" in capsys.readouterr().err
    git(project.root, "init", "-q")
    git(project.root, "commit", "-q", "--allow-empty", "-m", "start")
    code, _ = run(project, "diff", "nosuchref")
    assert code == 2
    assert "git has no commit 'nosuchref' to compare with" in capsys.readouterr().err


def test_add_source_refuses_a_retrieved_date_after_today_and_counts_a_last_unended_line(
    project: MiniProject, tmp_path: Path
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("First line.\nSecond line, with no line end.")
    code, out = run(
        project, "add-source", str(path), "--title", "T", "--retrieved", "2099-01-01", stdin=b""
    )
    assert code == 2 and "--retrieved 2099-01-01 is after today" in out
    code, out = run(project, "add-source", str(path), "--title", "T")
    assert code == 0 and "(2 lines," in out, out


def test_debug_is_accepted_after_the_command_and_a_name_given_twice_is_built_once(
    real_project: MiniProject,
) -> None:
    code, out = run(real_project, "quote", "no-such-source", "words", "--debug", stdin=b"")
    assert code == 2 and "no source with id 'no-such-source'" in out, out
    assert "unrecognized arguments" not in out
    from citebrief.check import check
    from citebrief.facts.corpus import Project
    from citebrief.pipeline import _chosen

    documents = check(Project.find(real_project.root)).briefings
    name = documents[0].spec.name
    assert [d.spec.name for d in _chosen(documents, [name, name])] == [name]
