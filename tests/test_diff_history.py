"""`diff` reads history as data: whatever a past commit held (a symbolic link to /etc/passwd,
to a folder outside, a submodule) is never followed, written or extracted, and what was a
regular fact or source file then is compared as usual."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from conftest import MiniProject

from citebrief.cli import main

TEXT = "The agency counted 300 pending licence applications on March 1, 2026.\n"
FACTS = """
- id: lic.pending
  label: Pending licence applications
  value: {value}
  unit: applications
  qualifier: exact
  citations:
    - source: agency
      quote: "The agency counted 300 pending licence applications"
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def diff(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--project", str(root), "diff", *args], out=out)
    return code, out.getvalue()


@pytest.mark.parametrize(
    "link, target",
    [
        ("sources/passwd.txt", "/etc/passwd"),
        ("sources/up.txt", "../../outside.txt"),
        ("briefings/facts/etc", "/etc"),
        ("briefings/facts/more.yaml", "/dev/zero"),
        ("sources", "/etc"),
    ],
)
def test_a_commit_that_held_a_symbolic_link_is_read_safely(
    project: MiniProject, tmp_path: Path, capsys, link: str, target: str
) -> None:
    (tmp_path / "outside.txt").write_text("root:x:0:0 outside\n")
    project.source("agency", TEXT)
    project.facts(FACTS.format(value=300))
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "first")
    moved = project.root / "moved"
    if link == "sources":  # the whole folder was a link then
        os.rename(project.root / "sources", moved)
    (project.root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, project.root / link)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "a link")
    ref = git(project.root, "rev-parse", "HEAD").strip()
    (project.root / link).unlink()
    if link == "sources":
        os.rename(moved, project.root / "sources")
    project.facts(FACTS.format(value=320))
    code, out = diff(project.root, ref)
    printed = out + capsys.readouterr().err
    assert "internal error" not in printed and "root:x:" not in printed, printed
    assert code == 0, printed
    assert "lic.pending" in printed
    assert (tmp_path / "outside.txt").read_text() == "root:x:0:0 outside\n"
