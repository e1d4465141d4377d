"""CI, git and editor integration: JSON Schemas, acknowledgements, annotations, workflow, hooks."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO, MiniProject

from citebrief.cli import main
from citebrief.facts.json_schemas import SchemaKind, schema_comment, schema_text
from citebrief.facts.load import split_front_matter

FACT_FILES = sorted((REPO / "briefings/facts").rglob("*.yaml"))
ARTICLE = "Chinese labs opened approximately 24,000 fraudulent accounts, the report said.\n"
FACT = """
- id: campaign.accounts
  label: Fraudulent accounts
  value: 24000
  unit: accounts
  qualifier: about
  citations:
    - source: news-1
      quote: "Chinese labs opened approximately 24,000 fraudulent accounts"
"""


def as_editor_sees(value: Any) -> Any:
    """YAML dates reach an editor's schema check as strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value


def validator(kind: SchemaKind) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_text(kind))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def all_messages(errors: Any) -> list[str]:
    """Every message, including those inside 'not valid under any of' (anyOf) errors."""
    found = []
    for error in errors:
        found.append(error.message)
        found += all_messages(error.context or [])
    return found


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


# --- JSON Schema ----------------------------------------------------------------------


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_the_schema_accepts_every_shipped_fact_file(path: Path) -> None:
    data = as_editor_sees(yaml.safe_load(path.read_text()))
    errors = [e.message for e in validator(SchemaKind.FACTS).iter_errors(data)]
    assert errors == []


def test_the_schema_accepts_every_shipped_source_and_briefing_front_matter() -> None:
    for kind, files in (
        (SchemaKind.SOURCE, sorted((REPO / "sources").glob("*.txt"))),
        (SchemaKind.BRIEFING, sorted((REPO / "briefings").glob("*.md"))),
    ):
        for path in files:
            split = split_front_matter(path.read_text(), path.name)
            data = as_editor_sees(yaml.safe_load(split.front_matter))  # type: ignore[union-attr]
            assert [e.message for e in validator(kind).iter_errors(data)] == [], path.name


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("qualifier: about", "qualifier: roughly"), "'roughly' is not one of"),
        (("label: Fraudulent accounts", "lable: Fraudulent accounts"), "'label' is a required"),
        (("  unit: accounts", "  unit: accounts\n  acknowledge:\n    quote-not-found: x"), "quote"),
        (("value: 24000", "value: true"), "is not valid under any of the given schemas"),
    ],
    ids=["qualifier", "misspelt-field", "acknowledge-an-error", "boolean-value"],
)
def test_the_schema_rejects_a_wrong_fact_file(change: tuple[str, str], complaint: str) -> None:
    data = yaml.safe_load(FACT.replace(*change))
    messages = " | ".join(all_messages(validator(SchemaKind.FACTS).iter_errors(data)))
    assert complaint in messages
    assert validator(SchemaKind.FACTS).is_valid(yaml.safe_load(FACT))


@pytest.mark.parametrize("kind", list(SchemaKind))
def test_the_committed_schemas_are_what_the_schema_command_prints(kind: SchemaKind) -> None:
    code, out = cli("schema", kind.value)
    assert code == 0
    assert out == (REPO / f"schemas/{kind.value}.schema.json").read_text(), (
        "the models in schema.py changed: run `.venv/bin/citebrief schema --write` and commit"
    )


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_every_fact_file_names_its_schema_for_editors(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    rel = path.relative_to(REPO).as_posix()
    assert first == schema_comment(rel)
    target = first.split("$schema=")[1]
    assert (path.parent / target).resolve() == REPO / "schemas/facts.schema.json"


def test_a_fact_in_a_subfolder_names_the_schema_one_level_further_up() -> None:
    assert schema_comment("briefings/facts/labs/minimax.yaml") == (
        "# yaml-language-server: $schema=../../../schemas/facts.schema.json"
    )


def test_schema_write_puts_all_three_into_the_project(project: MiniProject) -> None:
    run = project.run("schema", "--write")
    assert run.code == 0
    for kind in SchemaKind:
        assert (project.root / f"schemas/{kind.value}.schema.json").read_text() == schema_text(kind)


# --- acknowledge ---------------------------------------------------------------------


@pytest.fixture
def low(project: MiniProject) -> MiniProject:
    project.source("news-1", ARTICLE, reliability="low")
    return project


def test_strict_check_passes_on_the_shipped_example(real_project: MiniProject) -> None:
    run = real_project.run("check", "--strict")
    assert run.code == 0, run.out
    assert "0 errors, 0 warnings (3 more acknowledged)" in run.out


def test_an_acknowledged_warning_is_listed_with_its_reason_but_not_counted(
    low: MiniProject,
) -> None:
    low.facts(
        FACT.replace("  unit:", "  acknowledge:\n    low-reliability-only: Only source.\n  unit:")
    )
    run = low.run("check", "--strict")
    assert run.code == 0, run.out
    assert run.out.splitlines() == [
        "acknowledged warnings (not counted; the reason is printed in the evidence):",
        "  briefings/facts/facts.yaml:1:3: fact 'campaign.accounts' rests only on "
        "low-reliability sources (news-1)",
        "    acknowledged: Only source.",
        "1 source, 1 fact, 0 derived, 1 citation (1 quote matched exactly, 0 after "
        "normalising); 0 errors, 0 warnings (1 more acknowledged), 0 declared disagreements",
    ]
    data = json.loads(low.run("check", "--format", "json").out)
    assert data["acknowledged"][0]["reason"] == "Only source."
    assert data["acknowledged"][0]["code"] == "low-reliability-only"


def test_an_acknowledgement_with_no_warning_left_is_itself_a_warning(project: MiniProject) -> None:
    project.source("news-1", ARTICLE)
    project.facts(
        FACT.replace("  unit:", "  acknowledge:\n    low-reliability-only: Old.\n  unit:")
    )
    run = project.run("check", "--strict")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "briefings/facts/facts.yaml:5:5: error: fact 'campaign.accounts' acknowledges "
        "'low-reliability-only', but check gives no such warning for it"
    )


def test_an_error_cannot_be_acknowledged(low: MiniProject) -> None:
    low.facts(FACT.replace("  unit:", "  acknowledge:\n    quote-not-found: Trust me.\n  unit:"))
    run = low.run("check")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "briefings/facts/facts.yaml:5:5: error: 'quote-not-found' cannot be acknowledged: "
        "only warnings can (low-reliability-only, short-quote, stale-fact, disagreement-agrees, "
        "note-placement, derived-contradicts)"
    )


# --- GitHub -------------------------------------------------------------------------


def test_annotations_name_paths_from_the_git_root_when_the_project_is_in_a_subfolder(
    tmp_path: Path,
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    project = MiniProject(tmp_path / "subjects" / "bis")
    project.source("news-1", ARTICLE)
    project.facts(FACT.replace("24,000 fraudulent", "25,000 fake"))
    run = project.run("check", "--format", "github")
    assert run.out.startswith(
        "::error file=subjects/bis/briefings/facts/facts.yaml,line=8,col=14,"
        "title=citebrief quote-not-found::"
    )
    assert project.run("check").out.startswith("briefings/facts/facts.yaml:8:14: error:")


def test_the_workflow_is_the_one_init_writes_and_its_check_passes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("workflow", REPO / ".ci/workflow.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    text = (REPO / ".github/workflows/briefings.yml").read_text()
    assert text == module.REPOSITORY_WORKFLOW
    steps = yaml.safe_load(text)["jobs"]["briefings"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "bash .ci/setup" in runs
    check = next(r for r in runs if " check " in r)
    assert "--strict --format github" in check
    assert any(" build " in r for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "./output/"
    code, out = cli(*shlex.split(check)[1:-2], "--project", str(REPO))
    assert code == 0, out


def test_ci_runs_what_ci_run_runs_and_the_annotated_check_on_every_change() -> None:
    """The tests workflow runs `.ci/run` (set-up, then the whole suite) on every push and
    pull request, whatever files changed, then `check` with GitHub annotations."""
    workflow = yaml.safe_load((REPO / ".github/workflows/tests.yml").read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert on == {"push": None, "pull_request": None}
    runs = [step.get("run", "") for step in workflow["jobs"]["tests"]["steps"]]
    assert "bash .ci/run" in runs
    check = runs[runs.index("bash .ci/run") + 1]
    assert check == ".venv/bin/citebrief check --strict --format github"
    ci_run = (REPO / ".ci/run").read_text()
    assert "bash .ci/setup --test && .venv/bin/python -m pytest" in ci_run


def test_the_pre_commit_hook_runs_check_on_the_files_staff_edit() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        "briefings/facts/labs/minimax.yaml",
        "subjects/bis/sources/bis-rule.txt",
        "briefings/memo.md",
        "citebrief.toml",
    ):
        assert files.search(path), path
    assert not files.search("README.md")
    code, out = cli(*shlex.split(hook["entry"])[1:], "--project", str(REPO))
    assert code == 0, out
