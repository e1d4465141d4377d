"""`search` reads an index built once (SQLite FTS5 in output/.cache/search.sqlite), brought
up to date source by source: an edited source is found by its new words, never its old."""

from __future__ import annotations

from conftest import MiniProject


def test_the_index_is_kept_and_follows_an_edited_source(project: MiniProject) -> None:
    project.source("agency", "The agency counted 300 pending licence applications in March.\n")
    project.source("other", "The weather in Washington was mild for most of the week.\n")
    first = project.run("search", "licence", "applications")
    assert first.code == 0 and "agency" in first.out, first.out
    assert (project.root / "output/.cache/search.sqlite").is_file()
    project.source("agency", "The agency counted 300 pending export permits in March.\n")
    assert project.run("search", "licence").code == 1
    again = project.run("search", "export", "permits")
    assert again.code == 0 and "export permits" in again.out, again.out


def test_a_damaged_index_is_made_again(project: MiniProject) -> None:
    project.source("agency", "The agency counted 300 pending licence applications in March.\n")
    (project.root / "output/.cache").mkdir(parents=True)
    (project.root / "output/.cache/search.sqlite").write_bytes(b"not a database at all")
    run = project.run("search", "licence")
    assert run.code == 0 and "agency" in run.out, run.out
