"""What a build leaves behind: no stale temporary files, a manifest that matches the disk.

These use the small project of tests/bad_inputs/_base (one memo, one chart, one table).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from citebrief.cli import main

BASE = Path(__file__).parent / "bad_inputs" / "_base"


def _project(root: Path) -> Path:
    shutil.copytree(BASE, root)
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    return root


def _build(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--project", str(root), "build", *args], out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("state") / "p")
    code, out = _build(root)
    assert code == 0, out
    return root


def test_temporary_files_of_a_killed_build_are_swept_by_the_next(built: Path) -> None:
    output = built / "output"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys; from pathlib import Path; from citebrief.common.write import _stage;"
            "_stage(Path(sys.argv[1]), 'memo.pdf', b'half a PDF'); os.kill(os.getpid(), signal.SIGKILL)",
            str(output),
        ],
        check=False,
    )
    assert killed.returncode == -9
    left = sorted(p.name for p in output.glob(".*.tmp"))
    assert len(left) == 1 and left[0].startswith(".memo.pdf.")
    (output / ".memo.html.k3j4h5ab.tmp").write_bytes(b"older naming, no process id")
    mine = output / f".memo.html.{os.getpid()}.running1.tmp"  # a live writer's file
    mine.write_bytes(b"being written")

    code, out = _build(built)

    assert code == 0, out
    assert "nothing to rebuild" in out
    assert sorted(p.name for p in output.glob(".*.tmp")) == [mine.name]
    mine.unlink()


def test_a_manifest_edited_to_list_no_files_does_not_skip_a_missing_pdf(built: Path) -> None:
    manifest = built / "output" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["outputs"]["memo"]["files"] = {}
    manifest.write_text(json.dumps(data))
    (built / "output" / "memo.pdf").unlink()

    code, out = _build(built)

    assert code == 0, out
    assert "built 1 briefing" in out
    assert (built / "output" / "memo.pdf").is_file()


def test_a_deleted_output_is_rebuilt(built: Path) -> None:
    (built / "output" / "memo.html").unlink()
    code, out = _build(built)
    assert code == 0 and "built 1 briefing" in out
    assert (built / "output" / "memo.html").is_file()


def test_manifest_is_byte_identical_across_builds(built: Path) -> None:
    manifest = built / "output" / "manifest.json"
    first = manifest.read_bytes()
    code, out = _build(built, "--force")
    assert code == 0, out
    assert manifest.read_bytes() == first
    assert b"seconds" not in first  # build timings vary from run to run; they are printed instead


def test_crlf_and_bom_briefings_read_like_plain_ones(tmp_path: Path) -> None:
    """Windows editors save with CRLF line ends and sometimes a byte-order mark."""
    root = _project(tmp_path / "p")
    memo = root / "briefings" / "memo.md"
    memo.write_bytes(b"\xef\xbb\xbf" + memo.read_bytes().replace(b"\n", b"\r\n"))
    source = root / "sources" / "example-report.txt"
    front, body = source.read_text().split("\n---\n", 1)
    source.write_bytes(("\ufeff" + front.replace("\n", "\r\n") + "\r\n---\n" + body).encode())
    out = io.StringIO()
    code = main(["--project", str(root), "check"], out=out)
    assert code == 0, out.getvalue()
    assert "0 errors, 0 warnings" in out.getvalue()


def test_a_project_folder_named_like_a_command_still_builds_by_default(
    tmp_path: Path, monkeypatch
) -> None:
    """`python build.py --project check` builds the project in ./check."""
    root = _project(tmp_path / "check")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    code = main(["--project", "check", "-j", "1"], out=out)
    assert code == 0, out.getvalue()
    assert (root / "output" / "memo.pdf").is_file()
    assert main(["--project=check", "check"], out=out) == 0


def test_project_option_then_a_command_runs_that_command(tmp_path: Path, capsys) -> None:
    """`build.py --project . diff` runs diff (it once became `build diff`: no briefing 'diff')."""
    root = _project(tmp_path / "p")
    code = main(["--project", str(root), "diff"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert "not in a git repository" in err and "no briefing" not in err


def test_a_manifest_replaced_by_a_link_to_dev_zero_is_not_read(built: Path) -> None:
    """It only means: rebuild everything, and write a real manifest in its place."""
    manifest = built / "output" / "manifest.json"
    manifest.unlink()
    manifest.symlink_to("/dev/zero")
    code, out = _build(built)
    assert code == 0, out
    assert "built 1 briefing" in out
    assert not manifest.is_symlink() and manifest.read_bytes().startswith(b"{")


def test_a_system_font_installed_makes_every_output_stale(tmp_path: Path) -> None:
    """A character no theme font has (✓) is drawn from a system font: installing or
    upgrading one changes the PDF as a WeasyPrint upgrade does, so the build is redone (it
    said "nothing to rebuild" and kept the old PDF)."""
    root = _project(tmp_path / "p")
    memo = root / "briefings/memo.md"
    memo.write_text(memo.read_text().replace("- The first lab", "- ✓ The first lab"))
    extra = tmp_path / "fonts"
    extra.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<include>/etc/fonts/fonts.conf</include><dir>{extra}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )

    def build() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "citebrief", "--project", str(root), "build"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO), "FONTCONFIG_FILE": str(config)},
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert "built 1 briefing" in build()
    assert "nothing to rebuild" in build()
    shutil.copy(REPO / "templates/fonts/Lato-Regular.ttf", extra / "Installed-Sans.ttf")
    assert "built 1 briefing" in build()


def test_an_output_folder_linked_round_in_a_loop_is_refused_by_build_and_passed_by_check(
    tmp_path: Path,
) -> None:
    """output/ a link to itself: check reads its caches through it (it printed 'internal
    error: RuntimeError: Symlink loop'), build refuses to write through it."""
    root = _project(tmp_path / "p")
    (root / "output").symlink_to("output")
    out = io.StringIO()
    assert main(["--project", str(root), "check"], out=out) == 0, out.getvalue()
    code, printed = _build(root)
    assert code == 1, printed
    assert (
        "output:1:1: error: this is a symbolic link; citebrief writes only into real folders"
        in (printed)
    )
