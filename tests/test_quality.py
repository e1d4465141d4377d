"""Lint, format and type checks run with the tests, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_lint_and_format_are_clean() -> None:
    lint = run("ruff", "check", "citebrief", "tests", "benchmarks", "scripts", "build.py")
    assert lint.returncode == 0, lint.stdout
    fmt = run(
        "ruff", "format", "--check", "citebrief", "tests", "benchmarks", "scripts", "build.py"
    )
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_finds_no_type_errors() -> None:
    done = run("mypy", "citebrief")
    assert done.returncode == 0, done.stdout


def test_messages_never_show_pythons_repr_of_user_text() -> None:
    """repr() shows 'nearly\\n80' with its escapes and quotes chosen by Python; messages use
    errors.in_quotes (single quotes, whitespace collapsed)."""
    import re

    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((REPO / "citebrief").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"!r\}|\brepr\(", line) and "def __repr__" not in line
    ]
    assert found == []
