"""The gate, measured: plant one error at a time in a copy of the example project and
require `check` to name the planted file and line; make correct edits and require a pass.

Cases are fixture files in tests/mutations/ (see its README.md).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from citebrief.cli import main

CASES = Path(__file__).parent / "mutations"


def _load(pattern: str) -> list[dict[str, Any]]:
    cases = []
    for file in sorted(CASES.glob(pattern)):
        cases.extend(yaml.safe_load(file.read_text(encoding="utf-8")))
    return cases


PLANTED = _load("planted-*.yaml")
CONTROLS = _load("controls*.yaml")


def _copy(dest: Path) -> Path:
    for name in ("sources", "briefings", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    for name in ("pyproject.toml", "citebrief.toml"):
        shutil.copy(REPO / name, dest / name)
    return dest


def _plant(root: Path, case: dict[str, Any]) -> int:
    """Archive the case's 'sources:' (fixtures in mutations/sources/), apply the edits set up
    'before:' it, then the edit; return the line where the replacement starts."""
    for name in case.get("sources", []):
        shutil.copy(CASES / "sources" / f"{name}.txt", root / "sources" / f"{name}.txt")
    for edit in case.get("before", []):
        _edit(root, edit)
    return _edit(root, case)


def _edit(root: Path, case: dict[str, Any]) -> int:
    path = root / case["file"]
    text = path.read_text(encoding="utf-8")
    assert text.count(case["find"]) == 1, f"'find' must occur once in {case['file']}"
    start = text.index(case["find"])
    path.write_text(text.replace(case["find"], case["replace"]), encoding="utf-8")
    return text[:start].count("\n") + 1


def _expected_line(root: Path, case: dict[str, Any], start: int) -> int:
    if "at" not in case:
        return start
    lines = (root / case["file"]).read_text(encoding="utf-8").split("\n")
    first = 1 if case.get("anywhere") else start  # 'anywhere': the error stands above the edit
    return next(i for i, line in enumerate(lines, 1) if i >= first and case["at"] in line)


def _check(root: Path) -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    code = main(["--project", str(root), "check", "--format", "json"], out=out)
    return code, json.loads(out.getvalue())["problems"]


def _describe(problem: dict[str, Any]) -> str:
    return f"{problem['path']}:{problem['line']}: {problem['message']} | {problem.get('hint', '')}"


@pytest.mark.parametrize("case", PLANTED, ids=[c["kind"] for c in PLANTED])
def test_check_catches_the_planted_error_at_its_line(tmp_path: Path, case: dict[str, Any]) -> None:
    root = _copy(tmp_path)
    start = _plant(root, case)
    line = _expected_line(root, case, start)
    code, problems = _check(root)
    assert code == 1
    errors = [p for p in problems if p["severity"] == "error"]
    located = [
        p
        for p in errors
        if p["path"] == case["file"]
        and p["line"] == line
        and case["expect"] in f"{p['message']}\nhint: {p.get('hint', '')}"
    ]
    assert located, "\n".join(_describe(p) for p in errors)


@pytest.mark.parametrize("case", CONTROLS, ids=[c["kind"] for c in CONTROLS])
def test_check_passes_the_correct_edit(tmp_path: Path, case: dict[str, Any]) -> None:
    root = _copy(tmp_path)
    _plant(root, case)
    code, problems = _check(root)
    assert code == 0, "\n".join(_describe(p) for p in problems)


def test_the_cases_cover_every_class_of_the_issue() -> None:
    kinds = {c["class"] for c in PLANTED}
    assert {"bounds", "subject", "unit", "weekday", "statement", "gate", "value"} <= kinds
    assert len(PLANTED) >= 25


CLAIMS_CLASSES = {
    "date-event",
    "percent-measure",
    "owner",
    "modality",
    "time",
    "currency",
    "unit",
    "prose",
}


def test_the_claims_cases_cover_every_class_with_controls() -> None:
    """Issue 20: at least 40 planted cases across the classes, each class with correct controls."""
    planted = _load("planted-mentions.yaml")
    assert len(planted) >= 40
    assert {c["class"] for c in planted} == CLAIMS_CLASSES
    controlled = {c["class"] for c in _load("controls-mentions.yaml")}
    assert controlled >= CLAIMS_CLASSES


def test_every_figure_a_reader_sees_has_cases_and_controls() -> None:
    """Issue 20, last block: the front matter, and tables and charts labelled by entity."""
    planted = {c["class"] for c in _load("planted-seen.yaml")}
    assert planted == {"front-matter", "table"}
    assert {c["class"] for c in _load("controls-seen.yaml")} == planted


COMPUTED_RULES = (
    "is not in its whole",
    "twice in its sum",
    "twice in the whole of its share",
    "mixes units",
    "counts USD",  # mixed currencies
    "would not lie between 0 and 100%",
    "is a ratio of 'labs.deepseek.exchanges', which is negative",
    "is a change of 'labs.deepseek.exchanges', which is negative",
    "is a sum of one fact",
    "is a share of a whole of one fact",
    "divides by zero",
    "is negative whatever its inputs' qualifiers allow",
    "but no input is about",
    "(a ratio in words)",
    "makes it read 'about more than 15 million'",
    "disagrees with the reported",
)


def test_the_computed_cases_cover_every_rule_with_controls() -> None:
    """Issue 16: every validation rule of computed figures, ratio words and their wording
    is planted, and each class has correct edits that must pass."""
    planted = _load("planted-computed.yaml")
    expected = "\n".join(c["expect"] for c in planted)
    assert [rule for rule in COMPUTED_RULES if rule not in expected] == []
    controls = _load("controls-computed.yaml")
    assert {c["class"] for c in controls} == {c["class"] for c in planted}
