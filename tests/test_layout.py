"""The package is laid out as its pipeline: stages as subpackages, imports flowing one way."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "citebrief"
STAGES = ("common", "facts", "claims", "archive", "history", "document", "render", "cli")
LAZY_IMPORTS_ALLOWED = 10
"""Imports of the package inside a function: only deliberate lazy ones, each with a comment."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imported(module: str, path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)
    # a module's own packages are imported before it by Python itself: not an edge
    return {n for n in names if not module.startswith(f"{n}.")}


def _graph(top_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imported(m, p, top_level_only) & set(modules) - {m} for m, p in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_stages_are_subpackages() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert _cycle(_graph(top_level_only=False)) is None


def test_imports_of_the_package_inside_functions_are_few_and_each_says_why() -> None:
    inside = []
    for module, path in _modules().items():
        lines = path.read_text().split("\n")
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level:
                    inside.append((module, node.lineno, lines[node.lineno - 2 : node.lineno]))
    assert len(inside) <= LAZY_IMPORTS_ALLOWED, inside
    for module, line, text in inside:
        assert any("#" in t for t in text), f"{module}:{line}: say why this import is lazy"


def test_every_subpackage_is_shipped() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {".".join(p.parent.relative_to(REPO).parts) for p in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set()
    assert "citebrief.templates" in listed  # the top-level templates/ folder, as package data


def test_the_templates_live_in_the_top_level_templates_folder() -> None:
    assert (REPO / "templates" / "briefing.css").is_file()
    assert not (PACKAGE / "defaults").exists()


def test_python_dash_m_citebrief_shows_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "citebrief", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    for command in ("check", "build", "add-source", "triage", "quote", "publish", "watch"):
        assert command in done.stdout


def test_every_command_help_ends_with_an_example() -> None:
    from citebrief.cli.main import command_names
    from citebrief.cli.parser import build_parser

    for name in sorted(command_names(build_parser())):
        done = subprocess.run(
            [sys.executable, "-m", "citebrief", name, "--help"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert done.returncode == 0, done.stderr
        example = done.stdout.split("example:\n  ", 1)[1]
        assert example.startswith(f"{python_as_run()} -m citebrief {name}"), done.stdout


def python_as_run() -> str:
    """How hints name the Python the tests run: a path from the repository when it is the
    repository's own `.venv`, else `python`."""
    try:
        return Path(sys.executable).relative_to(REPO).as_posix()
    except ValueError:
        return "python"


def test_a_mistyped_command_gets_did_you_mean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "citebrief", "chek"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 2
    assert "unknown command 'chek': did you mean 'check'?" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_python_without_the_dependencies_names_the_setup_command() -> None:
    """`python3 build.py check` outside .venv: -S hides every installed package."""
    done = subprocess.run(
        [sys.executable, "-S", str(REPO / "build.py"), "check"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 2
    assert "lacks the package" in done.stderr
    assert "bash .ci/setup" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_one_version_string() -> None:
    import citebrief

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "citebrief.__version__"
    done = subprocess.run(
        [sys.executable, "-m", "citebrief", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert done.stdout.strip() == f"citebrief {citebrief.__version__}"


def test_every_problem_code_written_in_the_code_is_in_the_registry() -> None:
    """Codes are what CI and `acknowledge:` match on: one registry, no free strings."""
    from citebrief.errors import Code

    written = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("error", "warning")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                written.add(node.args[1].value)
    assert written, "the scan found no problem codes"
    assert sorted(written - {c.value for c in Code}) == []


MODULE_LINES_AT_MOST = 500


def test_no_module_is_over_five_hundred_lines() -> None:
    """A module past ~400 lines is a prompt to split; past 500 it is a defect."""
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES_AT_MOST
    }
    assert long == {}


def test_help_and_hints_name_the_command_as_the_user_ran_it() -> None:
    """The README runs `.venv/bin/citebrief`: usage, examples and hints all say it that way,
    never a bare `citebrief` beside it."""
    script = Path(sys.executable).parent / "citebrief"
    if not script.is_file():
        pytest.skip("citebrief is not installed into this Python's environment")
    folder = script.parent.parent.parent
    typed = os.path.relpath(script, folder)  # '.venv/bin/citebrief'
    done = subprocess.run([typed, "check", "--help"], capture_output=True, text=True, cwd=folder)
    assert done.stdout.startswith(f"usage: {typed} check"), done.stdout
    assert f"example:\n  {typed} check --strict" in done.stdout
    done = subprocess.run([typed, "quote"], capture_output=True, text=True, cwd=folder)
    assert f"hint: run `{typed} quote --help` for usage" in done.stderr
    assert " citebrief " not in done.stdout + done.stderr
