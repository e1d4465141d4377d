"""Shared helpers: build small projects on disk and run the CLI as a user would."""

from __future__ import annotations

import io
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from citebrief.archive.intake import source_file_text
from citebrief.cli import main

REPO = Path(__file__).resolve().parent.parent

# Fuzzing budgets (tests/test_fuzz.py): small in CI, long by hand with HYPOTHESIS_PROFILE=long.
settings.register_profile("ci", max_examples=40, deadline=None, database=None)
settings.register_profile("long", max_examples=3000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE_META = {
    "title": "Test article",
    "publisher": "Test Publisher",
    "author": "unknown",
    "url": "unknown",
    "published": "unknown",
    "retrieved": "unknown",
    "kind": "secondary",
    "reliability": "medium",
    "reliability_note": "a test source",
}


@dataclass
class Run:
    code: int
    out: str
    err: str


class MiniProject:
    """A citebrief project in a temporary folder, written file by file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "sources").mkdir(parents=True, exist_ok=True)
        (root / "briefings" / "facts").mkdir(parents=True, exist_ok=True)
        (root / "templates").mkdir(exist_ok=True)
        marker = root / "citebrief.toml"
        if not marker.exists():
            marker.write_text('name = "Test project"\n', encoding="utf-8")

    def source(self, source_id: str, body: str, **meta: str) -> Path:
        path = self.root / "sources" / f"{source_id}.txt"
        fields = {**BASE_META, "id": source_id, **meta}
        path.write_text(source_file_text(fields, body), encoding="utf-8", newline="")
        return path

    def override(self, name: str) -> Path:
        """Copy one of citebrief's default templates into the project's templates/, to edit."""
        from citebrief.render.theme import DEFAULTS

        path = self.root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULTS / name, path)
        return path

    def facts(self, yaml_text: str, name: str = "facts.yaml") -> Path:
        path = self.root / "briefings" / "facts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(yaml_text).lstrip("\n"), encoding="utf-8")
        return path

    def file(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def briefing(self, body: str, name: str = "b", **front: str) -> Path:
        """A memo briefing with a minimal front matter (fields overridable) and ``body``."""
        fields = {
            "title": "T",
            "edition": "2026-03-01",
            "audience": "A",
            "marking": "M",
            "template": "memo",
            "author": "Me",
            **front,
        }
        lines = ["---", *(f"{k}: {v}" for k, v in fields.items()), "---"]
        path = self.root / "briefings" / f"{name}.md"
        path.write_text(
            "\n".join(lines) + "\n" + textwrap.dedent(body).lstrip("\n"), encoding="utf-8"
        )
        return path

    def run(self, *args: str, capsys: pytest.CaptureFixture[str] | None = None) -> Run:
        out = io.StringIO()
        code = main(["--project", str(self.root), *args], out=out)
        err = capsys.readouterr().err if capsys else ""
        return Run(code, out.getvalue(), err)


@pytest.fixture
def project(tmp_path: Path) -> MiniProject:
    return MiniProject(tmp_path / "proj")


@pytest.fixture
def real_project(tmp_path: Path) -> MiniProject:
    """A copy of this repository's own project files (sources, briefings, templates)."""
    root = tmp_path / "real"
    root.mkdir()
    for name in ("sources", "briefings", "templates", "schemas"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    return MiniProject(root)
