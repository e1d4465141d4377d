"""Each subcommand: read its arguments, call one library function, print the result."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from ..archive.intake import NewSource, add_source, read_input
from ..archive.quoting import find_words, nearest_passages, source_or_error
from ..archive.search import search
from ..archive.triage import triage
from ..archive.triage_text import as_text as triage_text
from ..check import check
from ..claims.verify import INVISIBLE_HINT, describe_invisible
from ..common.counts import counted
from ..common.memo import no_cycle_collection
from ..common.values import read_date
from ..common.write import exclusive, make_real_folder
from ..errors import CitebriefError, Location, ProblemsFound, Severity, error, in_quotes
from ..facts.corpus import Project, load_corpus
from ..facts.display import page_reference
from ..facts.json_schemas import SchemaKind, schema_text, write_schemas
from ..facts.usage import Kind, unused, uses
from ..facts.validate import is_web_address
from ..history.diff import as_json, as_markdown, as_text, compare
from ..history.editions import publish, remove_unfinished
from ..new_project import EXAMPLE_BRIEFING, init_project
from ..pipeline import OUTPUT_DIR, build
from ..report import FORMATTERS
from ..watch import watch
from .context import (
    EXIT_OK,
    EXIT_PROBLEMS,
    command_here,
    command_typed,
    project_of,
    shown,
)


def run_check(args: argparse.Namespace, out: TextIO) -> int:

    project = project_of(args)
    strict = project.settings.strict if args.strict is None else args.strict
    report = check(project, strict=strict, page_budgets=True)
    prefix = project.folder_in_repository() if args.format == "github" else ""
    print(FORMATTERS[args.format](report, shown(prefix)), file=out)
    return EXIT_PROBLEMS if report.count(Severity.ERROR) else EXIT_OK


def run_build(args: argparse.Namespace, out: TextIO) -> int:

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.jobs is not None and args.jobs < 1:
        raise CitebriefError("-j must be at least 1")
    result = build(
        project_of(args), args.names or None, progress=progress, jobs=args.jobs, force=args.force
    )
    warnings = result.report.count(Severity.WARNING)
    if warnings:
        print(
            f"check: {counted(warnings, 'warning')} (run `{command_here()} check` to see them)",
            file=out,
        )
    if result.built:
        print(_build_table(result.built), file=out)
    if result.skipped:
        names = ", ".join(result.skipped)
        print(f"up to date, not rebuilt: {names}", file=out)
    if not result.built:
        print("nothing to rebuild: every output is up to date (use --force to rebuild)", file=out)
    return EXIT_OK


def _build_table(built: list) -> str:
    rows = [("briefing", "pages", "PDF size", "HTML size", "Word size", "seconds")]
    rows += [
        (
            b.name,
            str(b.pages),
            _size(b.pdf_bytes),
            _size(b.html_bytes),
            _size(b.docx_bytes),
            f"{b.seconds:.2f}",
        )
        for b in built
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\nbuilt {counted(len(built), 'briefing')} into output/"


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def run_add_source(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    published = read_date(args.published) if args.published not in (None, "unknown") else None
    if isinstance(published, str):  # the one date reader says why it is not a date
        raise CitebriefError(f"--published {published}", "write YYYY-MM-DD, YYYY-MM or YYYY")
    if args.url and args.url != "unknown" and not is_web_address(args.url):
        raise CitebriefError(
            f"--url {in_quotes(args.url)} is not a web address",
            "give the address the document was taken from, starting with https:// (or http://)",
        )
    if args.retrieved and args.retrieved != "unknown":
        try:
            retrieved = dt.date.fromisoformat(args.retrieved)
        except ValueError:
            raise CitebriefError(
                f"--retrieved {in_quotes(args.retrieved)} is not a date", "write YYYY-MM-DD"
            ) from None
        if retrieved > dt.date.today():
            raise CitebriefError(
                f"--retrieved {args.retrieved} is after today",
                "give the day the document was taken from its site, or leave it out (today)",
            )
    if not args.path:  # Path("") is the current folder, and the error was placed at ":1:1"
        raise CitebriefError("no file was given (the path is empty)", "give the file's path")
    try:
        data, name = read_input(args.path, sys.stdin.buffer)
    except CitebriefError as exc:  # the file given cannot be read: an input error, at its path
        where = Location("<standard input>" if args.path == "-" else args.path)
        raise ProblemsFound(
            [error(where, "source-unreadable", exc.message, exc.hint)], ""
        ) from None
    new = NewSource(
        data=data,
        name=name if args.path == "-" else args.path,  # errors name the file as typed
        url=args.url,
        title=args.title,
        publisher=args.publisher,
        author=args.author,
        published=args.published,
        kind=args.kind,
        reliability=args.reliability,
        reliability_note=args.reliability_note,
        note=args.note,
        id=args.id,
        retrieved=args.retrieved,
        license=args.license,
    )
    project = project_of(args, with_content=False)
    archived = add_source(project.root, new, dt.date.today())
    rel = archived.path.relative_to(project.root).as_posix()
    size = f"{counted(archived.pages, 'page')}, " if archived.pages else ""
    print(
        f"archived {rel} ({size}{counted(archived.lines, 'line')}, sha256 {archived.sha256[:12]}…)",
        file=out,
    )
    print(f"id: {archived.id}", file=out)
    for notice in archived.notices:
        print(f"note: {notice}", file=out)
    try:
        print(triage_summary(project, archived.id), file=out)
    except CitebriefError as exc:  # archived all the same; `triage` can run once it is fixed
        print(f"triage: not run ({exc.message})", file=out)
    print(
        f"next: review its front matter (reliability, publisher, dates), then find a quote with\n"
        f'  {command_here()} quote {archived.id} "a few words from the text"',
        file=out,
    )
    return EXIT_OK


def run_triage(args: argparse.Namespace, out: TextIO) -> int:
    print(triage_summary(project_of(args), args.source_id), file=out)
    return EXIT_OK


def triage_summary(project, source_id: str) -> str:  # type: ignore[no-untyped-def]

    with no_cycle_collection():  # as `check`: no cycles, and the collector walked them all
        corpus = load_corpus(project).corpus
        source = source_or_error(corpus.sources, source_id)
        return triage_text(source, triage(source, corpus))


def run_quote(args: argparse.Namespace, out: TextIO) -> int:
    import json

    if not args.words.strip():
        raise CitebriefError(
            "no words to look for: the quote is empty",
            f"give a few words from the source, e.g. {command_here()} quote {args.source_id} "
            '"a few words from the text"',
        )
    corpus = load_corpus(project_of(args)).corpus
    source = source_or_error(corpus.sources, args.source_id)
    found = find_words(source, args.words)
    if found is not None:
        how = "exact match" if found.exact else "match after normalising quotes, dashes and spaces"
        where = f", {page_reference(found.pages)}" if found.pages else ""
        print(f"{found.location}: {how}{where}", file=out)
        print(f"  {found.location.line:>4} | {_line(source, found.location.line)}", file=out)
        print("paste into a fact's citations:", file=out)
        print(
            f"    - source: {source.id}\n      quote: {json.dumps(found.quotable, ensure_ascii=False)}",
            file=out,
        )
        return EXIT_OK
    invisible = describe_invisible(args.words)
    if invisible:
        print(f"not found in {source.location.path}: the words contain {invisible}", file=out)
        print(f"  hint: {INVISIBLE_HINT}", file=out)
        return EXIT_PROBLEMS
    print(f"not found in {source.location.path}; the nearest passages are:", file=out)
    for passage in nearest_passages(source, args.words):
        where = f", {page_reference(passage.pages)}" if passage.pages else ""
        print(f"{passage.location}: ({passage.score:.0%} alike{where})", file=out)
        print(f"  {passage.location.line:>4} | {passage.text}", file=out)
    return EXIT_PROBLEMS


def _line(source, number: int) -> str:
    lines = source.text.split("\n")
    index = number - source.body_line
    return lines[index][:200] if 0 <= index < len(lines) else ""


def run_diff(args: argparse.Namespace, out: TextIO) -> int:

    project = project_of(args, with_content=False)
    changes = compare(project, args.ref, dates=project.settings.house.dates)
    formatter = {"text": as_text, "json": as_json, "markdown": as_markdown}[args.format]
    print(formatter(changes).rstrip("\n"), file=out)
    return EXIT_OK


def run_watch(args: argparse.Namespace, out: TextIO) -> int:

    def say(message: str) -> None:
        print(message, file=out, flush=True)

    watch(project_of(args), args.port, say, shown=shown())
    return EXIT_OK


def run_uses(args: argparse.Namespace, out: TextIO) -> int:

    report = check(project_of(args))
    found = uses(args.target, report.corpus, report.briefings)
    print(f"{found.target} ({found.kind.value}, {found.location}): {found.title}", file=out)
    if found.kind == Kind.SOURCE:
        _section(out, "facts that cite it", found.facts, "no fact cites it")
    if found.kind != Kind.DERIVED:
        _section(out, "derived figures that depend on it", found.derived, "none")
    _section(out, "briefings that show it", found.briefings, "no briefing shows it")
    _note_broken_briefings(report, out)
    return EXIT_OK


def _section(out: TextIO, title: str, items, empty: str) -> None:
    if not items:
        print(f"{title}: {empty}", file=out)
        return
    print(f"{title} ({len(items)}):", file=out)
    for item in items:
        how = f" — {item.how}" if item.how else ""
        print(f"  {item.name} ({item.location}){how}", file=out)


def _note_broken_briefings(report, out: TextIO) -> None:
    composed = {d.spec.name for d in report.briefings}
    broken = sorted(
        {p.location.path for p in report.problems if p.severity == Severity.ERROR}
        & {f"briefings/{Path(p).name}" for p in report.texts if p.endswith(".md")}
    )
    broken = [b for b in broken if Path(b).stem not in composed]
    if broken:
        print(
            f"not counted, because they have errors: {', '.join(broken)} "
            f"(run `{command_here()} check`)",
            file=out,
        )


def run_search(args: argparse.Namespace, out: TextIO) -> int:
    import json

    if args.limit < 1:
        raise CitebriefError("--limit must be at least 1")
    project = project_of(args)
    corpus = load_corpus(project).corpus
    hits = search(corpus.sources, " ".join(args.words), args.limit, _search_index(project))
    if not hits:
        print(f"no archived source contains any of: {' '.join(args.words)}", file=out)
        return EXIT_PROBLEMS
    for rank, hit in enumerate(hits, 1):
        print(
            f"{rank}. {hit.location} ({_publisher(hit.source)}; matches {', '.join(hit.matched)})",
            file=out,
        )
        print(
            f"    - source: {hit.source.id}\n"
            f"      quote: {json.dumps(hit.text, ensure_ascii=False)}",
            file=out,
        )
    return EXIT_OK


def run_unused(args: argparse.Namespace, out: TextIO) -> int:

    report = check(project_of(args))
    found = unused(report.corpus, report.briefings)
    _section(out, "facts no briefing uses", found.facts, "none (every fact is used)")
    _section(out, "sources no briefing uses", found.sources, "none (every source is used)")
    _note_broken_briefings(report, out)
    return EXIT_OK


def _search_index(project: Project) -> Path | None:
    """output/.cache/search.sqlite, kept between searches; None (an index in memory) when
    output/ is not a real, writable folder."""
    cache = project.root / OUTPUT_DIR / ".cache"
    try:
        make_real_folder(cache, within=project.root / OUTPUT_DIR)
    except (ProblemsFound, OSError):
        return None
    index = cache / "search.sqlite"
    if index.is_symlink() or (index.exists() and not index.is_file()):
        return None
    return index if os.access(cache, os.W_OK) else None


def _publisher(source) -> str:
    return "publisher unknown" if source.publisher == "unknown" else source.publisher


def run_schema(args: argparse.Namespace, out: TextIO) -> int:

    if not args.write:
        print(schema_text(SchemaKind(args.kind)), end="", file=out)
        return EXIT_OK
    project = project_of(args, with_content=False)
    for path in write_schemas(project.root):
        print(f"wrote {path}", file=out)
    print(
        "fact files name theirs in their first line, for editors that validate YAML:\n"
        "  # yaml-language-server: $schema=../../schemas/facts.schema.json",
        file=out,
    )
    return EXIT_OK


def run_init(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    created = init_project(args.folder, dt.date.today())
    where = _shown_path(created.root)
    print(f"created a citebrief project in {where}:", file=out)
    for rel in created.files:
        print(f"  {rel}", file=out)
    print(f"CI workflow: {_shown_path(created.workflow)}", file=out)
    if not created.install_from:
        print(
            "  before its first run, set CITEBRIEF at its top to citebrief's git URL pinned to "
            "a commit\n  (git+https://…/citebrief@COMMIT): citebrief is not on PyPI",
            file=out,
        )
    print(
        f"next: build the example memo, then replace it with your own:\n"
        f"  {command_typed()} build --project {where}\n"
        f"  ({where}/{EXAMPLE_BRIEFING} is the memo; archive sources with\n"
        f"  {command_typed()} add-source FILE --project {where})",
        file=out,
    )
    return EXIT_OK


def _shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)


def run_publish(args: argparse.Namespace, out: TextIO) -> int:

    project = project_of(args)
    busy = f"another `publish` is running in this project, so '{args.name}' was not published"
    hint = "wait for it to finish, then publish again (an edition already published is kept)"
    with exclusive(project.root / OUTPUT_DIR / PUBLISH_LOCK, busy, hint):
        return _publish_locked(project, args, out)


PUBLISH_LOCK = ".cache/publish.lock"
"""Held by `publish` from its build to the edition's folder: one publication at a time."""


def _publish_locked(project: Project, args: argparse.Namespace, out: TextIO) -> int:
    remove_unfinished(project.root, args.name)  # an earlier publish killed mid-way
    result = build(project, [args.name], progress=lambda m: print(m, file=sys.stderr))
    report = result.report
    if project.settings.strict and report.count(Severity.WARNING):
        raise CitebriefError(
            "this project is strict and check has warnings, so nothing was published",
            f"run `{command_here()} check` and fix or acknowledge them",
        )
    document = next(d for d in report.briefings if d.spec.name == args.name)
    now = (report.corpus, report.disagreements)
    published = publish(project.root, document, now, report.texts, project.root / OUTPUT_DIR)
    rel = published.folder.relative_to(project.root).as_posix()
    print(f"published {args.name}, edition of {document.spec.meta.edition} into {rel}/:", file=out)
    for name in published.files:
        print(f"  {name}", file=out)
    print(
        f"commit {rel}/; from now on `{command_here()} check` refuses changes to what this edition "
        "shows until the briefing gets a new `edition:` date",
        file=out,
    )
    return EXIT_OK
