"""A second subject, as a new team would start it: init, add-source, a fact, a memo, a PDF."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from citebrief.cli import main
from citebrief.document.model import Chart, ChartDatum, ChartKind
from citebrief.render.chart import cache_key
from citebrief.render.theme import DEFAULTS, Theme

RULE = """BIS Relaxes Export License Review for H200 Chips

On January 15, 2026, the Bureau of Industry and Security published a rule that moves license review for H200 chips to a case-by-case policy.
Exporters must certify that approved customers in China will not use the chips for military end uses.
"""

FACT = """# yaml-language-server: $schema=../../../schemas/facts.schema.json
id: rule.published
label: BIS publishes the H200 rule
value: 2026-01-15
citations:
  - source: {source}
    quote: "On January 15, 2026, the Bureau of Industry and Security published a rule"
"""

MEMO = """---
title: The H200 rule
edition: 2026-02-01
audience: The Director
marking: Internal
author: Export controls staff
---

## Bottom line

- BIS published its H200 rule on [[rule.published]].
"""


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def git_repository(folder: Path) -> Path:
    folder.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def pdftotext(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_a_second_subject_in_an_empty_repository_builds_with_nothing_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repository(tmp_path / "repo")
    project = repo / "subjects" / "bis"
    monkeypatch.chdir(repo)

    code, out = cli("init", "subjects/bis")
    assert code == 0, out
    assert "CI workflow: .github/workflows/briefings.yml" in out
    assert not (project / "templates").exists()

    article = tmp_path / "bis-rule.txt"
    article.write_text(RULE)
    code, out = cli(
        "add-source", str(article), "--project", "subjects/bis", "--publisher", "Example Law LLP",
        "--published", "2026-01-16", "--reliability", "high", "--id", "bis-rule",
    )  # fmt: skip
    assert code == 0, out
    (project / "briefings/facts/rule").mkdir()
    (project / "briefings/facts/rule/published.yaml").write_text(FACT.format(source="bis-rule"))
    (project / "briefings/bis-memo.md").write_text(MEMO)

    code, out = cli("check", "--project", "subjects/bis")
    assert code == 0, out
    assert out.startswith("2 sources, 2 facts"), out
    code, out = cli("build", "--project", "subjects/bis")
    assert code == 0, out
    text = pdftotext(project / "output/bis-memo.pdf")
    assert "BIS published its H200 rule on 15 January 2026" in text
    assert (project / "output/example-memo.pdf").is_file()

    workflow = yaml.safe_load((repo / ".github/workflows/briefings.yml").read_text())
    steps = [s.get("run", "") for s in workflow["jobs"]["briefings"]["steps"]]
    install = next(s for s in steps if "apt-get install" in s)
    assert "pandoc" in install.split()  # the build writes the Word edition with pandoc
    check = next(s for s in steps if " check " in s)
    assert check == (".venv/bin/citebrief check --project subjects/bis --strict --format github")
    code, out = cli(*shlex.split(check)[1:])
    assert code == 0, out
    upload = workflow["jobs"]["briefings"]["steps"][-1]
    assert upload["with"]["path"] == "subjects/bis/output/"


def test_the_fresh_project_is_strict_ignores_output_and_validates_in_editors(
    tmp_path: Path,
) -> None:
    code, _ = cli("init", str(tmp_path / "new"))
    assert code == 0
    root = tmp_path / "new"
    assert (root / ".gitignore").read_text().splitlines()[-1] == "output/"
    # a Windows checkout (core.autocrlf) must not turn an archived source's LF into CRLF
    assert "sources/** text eol=lf" in (root / ".gitattributes").read_text().splitlines()
    assert "strict = true" in (root / "citebrief.toml").read_text()
    code, out = cli("check", "--project", str(root))
    assert (code, out.split(";")[-1].strip()) == (
        0,
        "0 errors, 0 warnings, 0 declared disagreements",
    )
    fact = root / "briefings/facts/example/memo-length.yaml"
    target = fact.read_text().splitlines()[0].split("$schema=")[1]
    assert (fact.parent / target).resolve() == root / "schemas/facts.schema.json"
    assert (root / ".github/workflows/briefings.yml").is_file()  # no git: beside the project


def test_init_refuses_a_folder_that_holds_anything(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _ = cli("init", str(tmp_path))
    assert code == 2
    assert f"{tmp_path} is not empty" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_inside_a_file_names_the_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "afile").write_text("mine")
    code, _ = cli("init", str(tmp_path / "afile/sub"))
    err = capsys.readouterr().err
    assert code == 2 and "internal error" not in err
    assert f"{tmp_path / 'afile'} is a file, so no folder can be made inside it" in err
    assert (tmp_path / "afile").read_text() == "mine"


def test_a_second_project_in_a_repository_gets_a_workflow_of_its_own(tmp_path: Path) -> None:
    repo = git_repository(tmp_path / "repo")
    assert cli("init", str(repo / "subjects/bis"))[0] == 0
    code, _ = cli("init", str(repo / "subjects/ai-chips"))
    assert code == 0
    assert sorted(p.name for p in (repo / ".github/workflows").iterdir()) == [
        "briefings-ai-chips.yml",
        "briefings.yml",
    ]


def test_python_build_py_init_works_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "init", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert "python build.py build --project" in done.stdout


def test_a_project_overrides_one_template_and_keeps_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert cli("init", str(root))[0] == 0
    (root / "templates").mkdir()
    css = (DEFAULTS / "briefing.css").read_text() + "\n.house-rule { color: #123456; }\n"
    (root / "templates/briefing.css").write_text(css)
    code, out = cli("build", "--project", str(root))
    assert code == 0, out
    html = (root / "output/example-memo.html").read_text()
    assert ".house-rule { color: #123456; }" in html
    assert "@font-face" in html  # fonts.css still comes from the defaults
    assert (root / "output/fonts/Lato-Regular.ttf").read_bytes() == (
        DEFAULTS / "fonts/Lato-Regular.ttf"
    ).read_bytes()
    assert Theme.of(root).find("briefing.css") == root / "templates/briefing.css"
    assert Theme.of(root).find("memo.html.j2") == DEFAULTS / "memo.html.j2"


def test_the_chart_cache_key_changes_with_the_font_files(tmp_path: Path) -> None:
    chart = Chart(
        "c", ChartKind.BARS, "T", (ChartDatum("A", "a.b", "1"),), (), "alt", 1
    )  # fmt: skip
    fonts = Theme((DEFAULTS,)).fonts()
    other = tmp_path / "Lato-Regular.ttf"
    other.write_bytes(b"another font")
    assert cache_key(chart, fonts) == cache_key(chart, dict(fonts))
    assert cache_key(chart, fonts) != cache_key(chart, {**fonts, "Lato-Regular.ttf": other})
    assert cache_key(chart, fonts) != cache_key(chart, {})


def _install_spec_of(workflow_path: Path) -> tuple[str, str]:
    workflow = yaml.safe_load(workflow_path.read_text())
    steps = workflow["jobs"]["briefings"]["steps"]
    install = next(s["run"] for s in steps if s.get("name") == "Install citebrief")
    return workflow["env"]["CITEBRIEF"], install


def _installs_no_bare_name(spec: str, install: str) -> None:
    """pip gets ".", a git URL pinned to a commit, or nothing (and the step stops): never a
    bare name, which pip would look up on PyPI, where anyone may register it."""
    assert "citebrief==" not in install
    assert spec == "." or spec == "" or re.fullmatch(r"git\+https://\S+@[0-9a-f]{40}", spec), spec
    if spec == "":
        assert install.startswith('test -n "$CITEBRIEF" || {'), install


def test_the_ci_workflow_never_installs_citebrief_by_a_bare_pypi_name(tmp_path: Path) -> None:
    repo = tmp_path / "team"
    (repo / ".git").mkdir(parents=True)
    code, out = cli("init", str(repo / "subjects/bis"))
    assert code == 0, out
    spec, install = _install_spec_of(repo / ".github/workflows/briefings.yml")
    _installs_no_bare_name(spec, install)
    assert 'pip install -q "$CITEBRIEF"' in install
    if spec == "":
        assert "set CITEBRIEF at its top to citebrief's git URL pinned to a commit" in out


def test_a_repository_holding_the_tool_installs_it_from_itself(tmp_path: Path) -> None:
    repo = tmp_path / "fork"
    (repo / ".git").mkdir(parents=True)
    (repo / "citebrief").mkdir()
    (repo / "citebrief/__init__.py").write_text("")
    (repo / "pyproject.toml").write_text('[project]\nname = "citebrief"\n')
    code, out = cli("init", str(repo / "subjects/bis"))
    assert code == 0, out
    spec, install = _install_spec_of(repo / ".github/workflows/briefings.yml")
    assert spec == "."
    _installs_no_bare_name(spec, install)


def test_this_repositorys_workflow_installs_from_itself_and_watches_editions() -> None:
    spec, install = _install_spec_of(REPO / ".github/workflows/briefings.yml")
    assert spec == "." and install == "bash .ci/setup"
    workflow = yaml.safe_load((REPO / ".github/workflows/briefings.yml").read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    for event in ("push", "pull_request"):
        assert {"citebrief.toml", "editions/**", "sources/**"} <= set(on[event]["paths"])


def test_a_new_projects_workflow_runs_when_editions_or_settings_change(tmp_path: Path) -> None:
    repo = tmp_path / "team"
    (repo / ".git").mkdir(parents=True)
    assert cli("init", str(repo / "subjects/bis"))[0] == 0
    workflow = yaml.safe_load((repo / ".github/workflows/briefings.yml").read_text())
    paths = set(workflow[True]["push"]["paths"])
    assert {"subjects/bis/editions/**", "subjects/bis/citebrief.toml"} <= paths
