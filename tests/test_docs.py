"""The README documents every command the CLI has."""

from __future__ import annotations

from conftest import REPO

from citebrief.cli import _command_names, build_parser


def test_every_subcommand_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    commands = _command_names(build_parser())
    missing = [name for name in commands if f"python build.py {name}" not in readme]
    assert missing == []


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text()
    build = "bash .ci/setup && .venv/bin/python build.py"
    test = "bash .ci/setup --test && .venv/bin/python -m pytest"
    assert build in readme and test in readme
    assert test in (REPO / ".ci/run").read_text()
