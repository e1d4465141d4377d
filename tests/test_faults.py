"""Faults of the machine, not of the input: a full disk, a read-only output/, two
publications at once. Each is a located error in plain words (never "internal error"), the
earlier outputs stay as they were, and no temporary file is left behind.

The faults are real: the disk fills under a file-size limit (RLIMIT_FSIZE, as a quota does),
output/ is read-only through a read-only bind mount (as root) or its mode (as a user).
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import REPO

BASE = Path(__file__).parent / "bad_inputs" / "_base"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def _citebrief(
    root: Path, *args: str, prefix: Sequence[str] = (), **popen: object
) -> subprocess.CompletedProcess[str]:
    """citebrief run on ``root`` in its own process (after ``prefix``, such as `unshare`)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "citebrief", "--project", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        **popen,  # type: ignore[arg-type]
    )


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in (root / "output").rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def _temporary_files(root: Path) -> list[str]:
    return [p.name for p in (root / "output").rglob("*.tmp")]


def _change_the_memo(root: Path) -> None:
    memo = root / "briefings/memo.md"
    memo.write_text(memo.read_text().replace("## Bottom line", "## The bottom line"))


def _full_disk(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("limit", [1, 30_000, 600_000])
def test_a_full_disk_is_named_at_the_file_and_leaves_no_temporary_file(
    tmp_path: Path, limit: int
) -> None:
    """The disk fills at the first byte, within the HTML, or within the PDF."""
    root = _project(tmp_path)
    assert _citebrief(root, "build").returncode == 0
    before = _outputs(root)
    _change_the_memo(root)
    run = _citebrief(root, "build", "-j", "1", preexec_fn=_full_disk(limit))
    printed = run.stdout + run.stderr
    assert run.returncode == 1, printed
    assert "internal error" not in printed and "Traceback" not in printed, printed
    assert ": error: this file could not be written: the disk is full" in printed, printed
    assert printed.startswith("output/"), printed
    assert "hint: free some space, then run again" in printed
    assert _outputs(root) == before
    assert _temporary_files(root) == []


def _read_only(folder: Path) -> list[str]:
    """A command prefix under which ``folder`` is read-only, for root as for a user."""
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return []
    if not shutil.which("unshare"):
        pytest.skip("as root, a read-only folder needs unshare (util-linux)")
    mount = f"mount --bind -o ro '{folder}' '{folder}' && exec \"$0\" \"$@\""
    return ["unshare", "-m", "sh", "-c", mount]


def test_a_read_only_output_folder_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _citebrief(root, "build").returncode == 0
    before = _outputs(root)
    _change_the_memo(root)
    run = _citebrief(root, "build", prefix=_read_only(root / "output"))
    printed = run.stdout + run.stderr
    assert run.returncode == 1, printed
    assert "internal error" not in printed, printed
    assert "could not be written: its folder is read-only or not yours to write" in printed
    assert "hint: make output/ writable" in printed
    assert _outputs(root) == before
    assert _temporary_files(root) == []


def test_a_second_publish_while_one_runs_is_told_so(tmp_path: Path) -> None:
    """The lock is held (as by a publish under way): the second says so and changes nothing."""
    root = _project(tmp_path)
    (root / "output/.cache").mkdir(parents=True)
    with open(root / "output/.cache/publish.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = _citebrief(root, "publish", "memo")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "another `publish` is running in this project, so 'memo' was not published" in (
        run.stdout + run.stderr
    )
    assert not (root / "editions").exists()


def test_two_publish_runs_at_once_publish_once_and_the_other_is_told_why(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "citebrief", "--project", str(root), "publish", "memo"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        for _ in range(2)
    ]
    results = []
    for run in runs:
        printed_by_run = run.communicate(timeout=300)[0].decode()
        results.append((run.returncode, printed_by_run))
    codes = sorted(code for code, _ in results)
    printed = "\n".join(text for _, text in results)
    assert codes == [0, 2], printed
    assert "internal error" not in printed
    assert "another `publish` is running" in printed or "already published" in printed, printed
    assert len(list((root / "editions/memo").iterdir())) == 1


_KILLED_PUBLISH = """
import os, pathlib, signal, sys
from citebrief.cli import main

where, root = sys.argv[1], sys.argv[2]
real_write, real_rename = pathlib.Path.write_bytes, os.rename


def write_bytes(self, data):
    if where == "first-file" and "/editions/" in str(self):  # the edition half written
        real_write(self, data)
        os.kill(os.getpid(), signal.SIGKILL)
    return real_write(self, data)


def rename(source, target, *args, **kwargs):
    if where == "before-rename" and "/editions/" in str(target):  # every file written
        os.kill(os.getpid(), signal.SIGKILL)
    return real_rename(source, target, *args, **kwargs)


pathlib.Path.write_bytes, os.rename = write_bytes, rename
sys.exit(main(["--project", root, "publish", "memo"]))
"""


def _edition_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in (root / "editions").rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("where", ["first-file", "before-rename"])
def test_a_publish_killed_mid_way_leaves_the_old_edition_and_a_clear_error(
    tmp_path: Path, where: str
) -> None:
    """kill -9 of `publish` while it writes a new edition: the earlier edition is as it was,
    no half edition is ever read as one (`check` names the unfinished folder, an error), and
    the next `publish` clears it and publishes."""
    root = _project(tmp_path)
    assert _citebrief(root, "publish", "memo").returncode == 0
    old = _edition_files(root)
    memo = root / "briefings/memo.md"
    memo.write_text(
        memo.read_text()
        .replace("edition: 2026-03-01", "edition: 2026-03-08")
        .replace("## Bottom line", "## The bottom line")
    )
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_PUBLISH, where, str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert killed.returncode == -9, killed.stdout + killed.stderr
    left = [p.name for p in (root / "editions/memo").iterdir()]
    assert sorted(left)[0].startswith(".2026-03-08.") and "2026-03-08" not in left
    assert {k: v for k, v in _edition_files(root).items() if "/2026-03-01/" in k} == old

    check = _citebrief(root, "check")
    printed = check.stdout + check.stderr
    assert check.returncode == 1, printed
    assert "internal error" not in printed
    assert (
        f"editions/memo/{sorted(left)[0]}:1:1: error: a `publish` was stopped before it " in printed
    )
    assert "finished the edition of 2026-03-08: this folder is not an edition" in printed
    assert "hint: delete editions/memo/.2026-03-08." in printed

    again = _citebrief(root, "publish", "memo")
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(p.name for p in (root / "editions/memo").iterdir()) == [
        "2026-03-01",
        "2026-03-08",
    ]
    assert _citebrief(root, "check").returncode == 0


def _editions(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "editions").rglob("*"))


@pytest.mark.parametrize("limit", [1, 30_000])
def test_a_full_disk_during_publish_is_named_at_the_file_and_publishes_nothing(
    tmp_path: Path, limit: int
) -> None:
    """The briefing is built; the disk fills while its edition is written (at the first byte,
    or within the PDF): an error at the edition's file, no edition, no hidden folder left."""
    root = _project(tmp_path)
    assert _citebrief(root, "build").returncode == 0
    run = _citebrief(root, "publish", "memo", preexec_fn=_full_disk(limit))
    printed = run.stdout + run.stderr
    assert run.returncode == 1, printed
    assert "internal error" not in printed and "Traceback" not in printed, printed
    assert printed.startswith("editions/memo/2026-03-01/"), printed
    assert ": error: this file could not be written: the disk is full" in printed, printed
    assert _editions(root) == ["editions/memo"]
    assert _citebrief(root, "publish", "memo").returncode == 0  # space freed: it publishes


def test_a_read_only_editions_folder_is_named_and_nothing_is_published(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _citebrief(root, "build").returncode == 0
    (root / "editions/memo").mkdir(parents=True)
    run = _citebrief(root, "publish", "memo", prefix=_read_only(root / "editions"))
    printed = run.stdout + run.stderr
    assert run.returncode == 1, printed
    assert "internal error" not in printed, printed
    assert "could not be written: its folder is read-only or not yours to write" in printed
    assert "hint: make editions/ writable" in printed
    assert _editions(root) == ["editions/memo"]


@pytest.mark.parametrize("limit", [0, 3_000])
def test_a_full_disk_during_init_is_named_and_leaves_no_half_made_project(
    tmp_path: Path, limit: int
) -> None:
    """The disk fills at the first file (citebrief.toml) or at the schemas: an error at the
    file, and nothing left, so that `init` runs again once there is room (a half-made
    project was left behind, and a second `init` found the folder not empty)."""

    def init(*popen: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "citebrief", "init", "new"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            timeout=300,
            preexec_fn=popen[0] if popen else None,  # type: ignore[arg-type]
        )

    run = init(_full_disk(limit))
    printed = run.stdout + run.stderr
    assert run.returncode == 1, printed
    assert "internal error" not in printed and "Traceback" not in printed, printed
    assert ": error: this file could not be written: the disk is full" in printed, printed
    assert printed.startswith(("citebrief.toml:", "schemas/")), printed
    assert not (tmp_path / "new").exists()
    assert init().returncode == 0
    assert (tmp_path / "new/citebrief.toml").is_file()


def test_a_full_disk_for_pandoc_s_temporary_files_is_said_in_words(tmp_path: Path) -> None:
    """On a cold cache `check` hands the citation style to pandoc in a temporary file: a full
    disk there was an internal error (OSError: File too large)."""
    root = _project(tmp_path)
    run = _citebrief(root, "check", preexec_fn=_full_disk(100))
    printed = run.stdout + run.stderr
    assert run.returncode == 2, printed
    assert "internal error" not in printed and "Traceback" not in printed, printed
    assert "error: a temporary file could not be written in " in printed, printed
    assert "hint: free some space there (or point TMPDIR at a folder with room)" in printed
