"""Finding the project: a marker file, loud failures, facts in subfolders, one fact per file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, MiniProject

from citebrief.cli import main

ARTICLE = "Chinese labs opened approximately 24,000 fraudulent accounts, the report said.\n"

ONE_FACT = """
id: campaign.accounts
label: Fraudulent accounts
value: 24000
unit: accounts
qualifier: about
citations:
  - source: news-1
    quote: "Chinese labs opened approximately 24,000 fraudulent accounts"
"""


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_a_missing_project_folder_is_a_usage_error_naming_the_path(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "does" / "not" / "exist"
    code, out = run_cli("--project", str(missing), "check")
    err = capsys.readouterr().err
    assert code == 2
    assert out == ""
    assert f"citebrief: error: no project folder at {missing}" in err


def test_a_folder_without_citebrief_toml_is_not_a_project(tmp_path: Path, capsys) -> None:
    code, _ = run_cli("--project", str(tmp_path), "check")
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tmp_path} is not a citebrief project: it has no citebrief.toml" in err
    assert "`citebrief init DIR`" in err


def test_a_project_folder_that_is_a_link_round_in_a_loop_is_named(tmp_path: Path, capsys) -> None:
    (tmp_path / "loop").symlink_to("loop")
    code, _ = run_cli("--project", str(tmp_path / "loop"), "check")
    err = capsys.readouterr().err
    assert code == 2
    assert "internal error" not in err
    assert "is a symbolic link that leads round in a loop, so there is no folder" in err


def test_a_citebrief_toml_that_is_a_pipe_is_reported_not_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Found from the current folder: the pipe is this project's settings file, said so (it
    was passed over, and the search went on to the folders above)."""
    os.mkfifo(tmp_path / "citebrief.toml")
    monkeypatch.chdir(tmp_path)
    code, out = run_cli("check")
    printed = out + capsys.readouterr().err
    assert code == 1, printed
    assert "citebrief.toml not read: this is a named pipe (FIFO), not a regular file" in printed


def test_an_empty_project_is_an_error_not_a_pass(project: MiniProject, capsys) -> None:
    run = project.run("check", capsys=capsys)
    assert run.code == 2
    assert f"the project at {project.root} is empty" in run.err


def test_the_project_is_found_from_any_folder_inside_it(
    project: MiniProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.source("news-1", ARTICLE)
    project.facts(ONE_FACT, name="accounts.yaml")
    monkeypatch.chdir(project.root / "briefings" / "facts")
    code, out = run_cli("check")
    assert code == 0, out
    assert out.startswith("1 source, 1 fact,")


def test_outside_any_project_the_error_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _ = run_cli("check")
    assert code == 2
    assert f"no citebrief project in {tmp_path} or any folder above it" in capsys.readouterr().err


def test_fact_files_in_subfolders_are_read_one_fact_per_file(project: MiniProject) -> None:
    project.source("news-1", ARTICLE)
    project.facts(ONE_FACT, name="campaign/accounts.yaml")
    project.facts(
        ONE_FACT.replace("campaign.accounts", "campaign.accounts-again"),
        name="campaign/staff/anna/accounts.yml",
    )
    run = project.run("check")
    assert run.code == 0, run.out
    assert run.out.startswith("1 source, 2 facts")


def test_a_problem_in_a_subfolder_fact_names_its_path(project: MiniProject) -> None:
    project.source("news-1", ARTICLE)
    project.facts(ONE_FACT.replace("24,000 fraudulent", "25,000 fake"), name="campaign/a.yaml")
    run = project.run("check")
    assert run.code == 1
    assert run.out.startswith(
        "briefings/facts/campaign/a.yaml:8:12: error: quote not found in source 'news-1'"
    )


def test_a_bad_citebrief_toml_is_a_located_error(project: MiniProject) -> None:
    project.source("news-1", ARTICLE)
    project.file("citebrief.toml", 'name = "x"\n\n[defaults]\ntemplate = "brochure"\n')
    run = project.run("check")
    assert run.code == 1
    assert run.out.splitlines()[0].startswith(
        "citebrief.toml:4:1: error: setting 'defaults.template' in citebrief.toml"
    )
    assert 'hint: write one of "paper", "memo"' in run.out

    project.file("citebrief.toml", "name = unquoted words\n")
    run = project.run("check")
    assert run.out.splitlines()[0] == (
        "citebrief.toml:1:8: error: citebrief.toml is not valid TOML: invalid value"
    )


def test_project_defaults_give_the_template_and_strictness(project: MiniProject) -> None:
    project.source("news-1", ARTICLE, reliability="low")
    project.facts(ONE_FACT)
    body = "Accounts: [[campaign.accounts]].\n"
    path = project.briefing(body)
    path.write_text(path.read_text().replace("template: memo\n", ""))
    assert "is missing the required field 'template'" in project.run("check").out

    project.file("citebrief.toml", 'name = "T"\n[defaults]\ntemplate = "memo"\n')
    loose = project.run("check")
    assert loose.code == 0, loose.out
    assert "warning: fact 'campaign.accounts' rests only on low-reliability" in loose.out

    project.file("citebrief.toml", 'name = "T"\n[defaults]\ntemplate = "memo"\nstrict = true\n')
    strict = project.run("check")
    assert strict.code == 1
    assert "error: fact 'campaign.accounts' rests only on low-reliability" in strict.out


def test_hints_name_the_command_the_way_it_was_run(tmp_path: Path) -> None:
    """Run from a folder the Python is not under, the hint names `python`; run from the
    folder holding the project's `.venv`, it names the Python by its path from there."""
    argv = [sys.executable, str(REPO / "build.py"), "--project", str(tmp_path), "check"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert "`python build.py init DIR`" in done.stderr
    assert "`citebrief init" not in done.stderr
    python = Path(sys.executable)
    here = python.parent.parent.parent  # the folder holding .venv/bin/python
    done = subprocess.run(argv, capture_output=True, text=True, cwd=here)
    expected = python.relative_to(here).as_posix()
    assert f"`{expected} build.py init DIR`" in done.stderr
    assert "`citebrief init" not in done.stderr


def test_hints_repeat_the_project_folder_as_it_was_given(
    project: MiniProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From another folder a hint without --project would look in the wrong project."""
    project.source("news-1", ARTICLE)
    project.facts(ONE_FACT.replace("24,000 fraudulent", "25,000 fake"))
    monkeypatch.chdir(project.root.parent)
    code, out = run_cli("--project", "proj", "check")
    assert code == 1
    assert '`citebrief --project proj quote news-1 "<a few words>"` finds them' in out
