"""The README documents every command the CLI has."""

from __future__ import annotations

import re

from conftest import REPO

from citebrief.cli.main import command_names
from citebrief.cli.parser import build_parser


def test_every_subcommand_has_a_row_in_the_readmes_command_table() -> None:
    """Mentioned somewhere in the prose is not enough: staff look a command up in the table."""
    readme = (REPO / "README.md").read_text()
    table = readme.split("| command | what it does |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `\.venv/bin/citebrief ([a-z-]+)", table, re.M)
    commands = command_names(build_parser())
    assert sorted(set(commands) - set(rows)) == []


def test_readme_commands_run_from_a_fresh_clone_as_written() -> None:
    """Commands go through the venv: a bare `python build.py` needs an activated venv."""
    readme = (REPO / "README.md").read_text()
    bare = re.findall(r"(?<!\.venv/bin/)python build\.py", readme)
    assert bare == []
    bare_tool = re.findall(r"(?<![./\w])citebrief (?:build|check|init|add-source)\b", readme)
    assert bare_tool == []


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text()
    build = "bash .ci/setup && .venv/bin/citebrief build"
    test = "bash .ci/setup --test && .venv/bin/python -m pytest"
    assert build in readme and test in readme
    assert test in (REPO / ".ci/run").read_text()
