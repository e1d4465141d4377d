"""The page-budget layout is done once per layout key and kept in output/.cache/layout/, a
folder CI restores; the key holds everything that shapes the layout, renderers included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import citebrief.render.pages as pages
from citebrief.cli import main

BASE = Path(__file__).parent / "bad_inputs" / "_base"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "project")
    return tmp_path / "project"


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The briefings WeasyPrint lays out for `check`'s page budget."""
    names: list[str] = []
    real = pages._laid_out_pages

    def spy(project, document):  # type: ignore[no-untyped-def]
        names.append(document.spec.name)
        return real(project, document)

    monkeypatch.setattr(pages, "_laid_out_pages", spy)
    return names


def _check(root: Path) -> int:
    return main(["--project", str(root), "check"])


def test_a_fresh_checkout_with_the_cache_restored_lays_nothing_out(
    root: Path, laid_out: list[str]
) -> None:
    assert _check(root) == 0
    assert laid_out == ["memo"]
    assert [p.suffix for p in (root / "output/.cache/layout").iterdir()] == [".pages"]
    assert not (root / "output/memo.pdf").exists()  # no PDF: the count came from the layout
    assert _check(root) == 0
    assert laid_out == ["memo"]


def test_a_change_to_the_memo_or_a_renderer_lays_it_out_again(
    root: Path, laid_out: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _check(root) == 0
    memo = root / "briefings/memo.md"
    memo.write_text(memo.read_text().replace("## Bottom line", "## The bottom line"))
    assert _check(root) == 0
    assert laid_out == ["memo", "memo"]
    monkeypatch.setattr(pages, "renderer_versions", lambda: "weasyprint 71.0, pydyf 0.13.0")
    assert _check(root) == 0
    assert laid_out == ["memo", "memo", "memo"]


def test_an_unusable_record_is_laid_out_again_never_trusted(
    root: Path, laid_out: list[str]
) -> None:
    assert _check(root) == 0
    (record,) = (root / "output/.cache/layout").iterdir()
    record.write_text("0\n")
    assert _check(root) == 0
    assert laid_out == ["memo", "memo"]
    assert record.read_text() == "1\nsmaller\nendnotes\n"  # pages, then no note moved


def test_the_manifest_keys_on_every_renderer_s_version(root: Path) -> None:
    assert main(["--project", str(root), "build"]) == 0
    manifest = json.loads((root / "output/manifest.json").read_text())
    tool = manifest["outputs"]["memo"]["inputs"]["tool"]
    for renderer in ("weasyprint 70", "pydyf ", "matplotlib ", "libharfbuzz ", "libpango-1.0 "):
        assert renderer in tool, tool
