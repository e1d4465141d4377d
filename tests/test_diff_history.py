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
from citebrief.history import diff as diff_module

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


REGISTER = """
entities:
  - id: agency
    name: The agency
units:
  - id: applications
    singular: application
    plural: applications
"""
THREE = """
- id: lic.pending
  label: Pending licence applications
  value: {value}
  unit: applications
  qualifier: exact
  subject: agency
  citations:
    - source: agency
      quote: "The agency counted 300 pending licence applications"
- id: lic.refused
  label: Refused licence applications
  value: 12
  unit: applications
  qualifier: exact
  subject: agency
  citations:
    - source: agency
      quote: "It refused 12 applications"
- id: lic.granted
  label: Granted licence applications
  value: 40
  unit: applications
  qualifier: exact
  subject: agency
  citations:
    - source: agency
      quote: "and granted 40 applications"
"""


@pytest.mark.parametrize(
    "register_now, again",
    [
        (REGISTER, ["lic.pending"]),
        (
            REGISTER + "  - id: ministry\n    name: The ministry\n",
            ["lic.granted", "lic.pending", "lic.refused"],
        ),
    ],
    ids=["register-unchanged", "register-changed"],
)
def test_diff_verifies_each_fact_once_and_again_only_where_the_commit_changed_it(
    project: MiniProject, monkeypatch: pytest.MonkeyPatch, register_now: str, again: list[str]
) -> None:
    """The working tree's facts are verified once; at the ref only the fact whose value
    changed is verified again (a fact moved down its file is the same fact), unless the
    register changed: then every fact is."""
    project.source(
        "agency",
        "The agency counted 300 pending licence applications on March 1, 2026. It refused "
        "12 applications and granted 40 applications.\n",
    )
    project.file("briefings/entities.yaml", REGISTER)
    project.facts(THREE.format(value=320))
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "first")
    project.facts("# moved down a line\n" + THREE.format(value=300))
    project.file("briefings/entities.yaml", register_now)
    verified: list[str] = []
    real = diff_module.verify_fact

    def counted(fact, corpus, prose=True):  # type: ignore[no-untyped-def]
        verified.append(fact.id)
        return real(fact, corpus, prose)

    monkeypatch.setattr(diff_module, "verify_fact", counted)
    code, out = diff(project.root, "HEAD")
    assert code == 0, out
    assert "lic.pending" in out and "lic.refused" not in out
    assert sorted(verified) == sorted(["lic.granted", "lic.pending", "lic.refused", *again])
