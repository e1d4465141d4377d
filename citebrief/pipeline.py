"""The whole build, as the stages in order: check (load → verify → compose), then what
changed since the last build, then render (charts, HTML, PDF, DOCX, evidence), then write.

Each briefing's rendering is a pure function of its composed document and the project's
templates, so briefings are skipped when the hashes of their inputs are unchanged and
rendered in parallel processes otherwise.
"""

from __future__ import annotations

import shutil
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckReport, check
from .common.write import StagedOutputs, make_real_folder, sweep_stale_temp_files
from .document.model import Document
from .errors import CitebriefError, ProblemsFound, Severity
from .facts.corpus import Project
from .render.briefing import (
    BuiltBriefing,
    Progress,
    RenderedBriefing,
    font_files,
    rendered_briefings,
)
from .render.docx import pandoc_version
from .render.manifest import (
    CHART_CACHE,
    OUTPUT_DIR,
    OUTPUT_SUFFIXES,
    Entry,
    briefing_inputs,
    digest,
    inputs_key,
    manifest_bytes,
    read_manifest,
    renderer_versions,
    tool_digest,
    up_to_date,
)
from .render.theme import Theme


@dataclass
class BuildResult:
    report: CheckReport
    built: list[BuiltBriefing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def build(
    project: Project,
    names: list[str] | None = None,
    out_dir: Path | None = None,
    progress: Progress = lambda _: None,
    jobs: int | None = None,
    force: bool = False,
    report: CheckReport | None = None,
) -> BuildResult:
    """The stages in order: check, choose what changed, render it in memory, write it all.

    ``report`` is a check just made of the same files (watch builds the briefing on
    screen first, then the rest, checking once).
    """
    report = report or check(project)  # load → verify → compose: the first half
    if any(p.severity == Severity.ERROR for p in report.problems):
        raise ProblemsFound(report.problems, "the check failed, so nothing was built", report.texts)
    out_dir = _ready_output_folder(project, out_dir, force)
    manifest = read_manifest(out_dir)
    result = BuildResult(report)
    todo = _out_of_date(project, _chosen(report.briefings, names), manifest, out_dir, force, result)
    if not todo:
        return result
    rendered = rendered_briefings(  # charts, HTML, PDF, DOCX, evidence: bytes in memory
        project, [d for d, _, _ in todo], out_dir / CHART_CACHE, jobs, progress
    )
    _write_all(project, out_dir, todo, rendered, manifest, result)
    return result


def _ready_output_folder(project: Project, out_dir: Path | None, force: bool) -> Path:
    """output/ as a real folder of the project, swept of what a killed build left behind."""
    out_dir = out_dir or project.root / OUTPUT_DIR
    # a link (or a file) at output/ or its cache: refused before anything is read, swept or
    # removed (--force empties the cache: through a link that would delete outside the project)
    make_real_folder(out_dir / CHART_CACHE, within=out_dir, create=False)
    if out_dir.is_dir():
        sweep_stale_temp_files(out_dir)  # left by a build that was killed mid-write
    if force:  # --force redraws charts too: the cache is only a cache
        shutil.rmtree(out_dir / CHART_CACHE, ignore_errors=True)
    return out_dir


Todo = list[tuple[Document, str, dict[str, str]]]
"""Each briefing to render, with the hash of its inputs and the inputs themselves."""


def _out_of_date(
    project: Project,
    documents: list[Document],
    manifest: dict[str, Entry],
    out_dir: Path,
    force: bool,
    result: BuildResult,
) -> Todo:
    """The briefings whose inputs changed since their outputs were built (all with --force)."""
    templates = Theme.of(project.root).digest()
    tool = f"{tool_digest()} {pandoc_version()[0]}; {renderer_versions()}"  # no pandoc: stops here
    todo: Todo = []
    for document in documents:
        inputs = briefing_inputs(document, templates, tool)
        key = inputs_key(inputs)
        expected = {f"{document.spec.name}{suffix}" for suffix in OUTPUT_SUFFIXES}
        if not force and up_to_date(manifest.get(document.spec.name), key, out_dir, expected):
            result.skipped.append(document.spec.name)
        else:
            todo.append((document, key, inputs))
    return todo


def _write_all(
    project: Project,
    out_dir: Path,
    todo: Todo,
    rendered: Generator[RenderedBriefing, None, None],
    manifest: dict[str, Entry],
    result: BuildResult,
) -> None:
    """Stage each briefing's files as it is rendered, then put every one in place at once."""
    with StagedOutputs(out_dir) as staged, closing(rendered):
        # the fonts every web edition uses: read, hashed and written once, not once a briefing
        shared = font_files(Theme.of(project.root).fonts())
        shared_digests = {n: digest(b) for n, b in shared.items()}
        staged.add(shared)
        for (document, key, inputs), done in zip(todo, rendered, strict=True):
            staged.add(done.files)
            made = {n: digest(b) for n, b in done.files.items()} | shared_digests
            manifest[document.spec.name] = Entry(
                key, inputs, dict(sorted(made.items())), done.built.pages
            )
            result.built.append(done.built)
        staged.add({"manifest.json": manifest_bytes(manifest)})
        staged.commit()  # every output appears at once, or (on any error) none does


def _chosen(documents: list[Document], names: list[str] | None) -> list[Document]:
    if not names:
        return documents
    by_name = {d.spec.name: d for d in documents}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CitebriefError(
            f"no briefing named '{unknown[0]}'",
            "briefings are the .md files in briefings/: " + ", ".join(sorted(by_name)),
        )
    return [by_name[n] for n in dict.fromkeys(names)]  # a name given twice is built once
