"""The command line: the one place that prints problems and chooses exit codes.

Exit codes: 0 no errors, 1 errors found in the input, 2 usage or internal failure.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TextIO

from . import __version__
from .archive.intake import NewSource, add_source, read_input
from .archive.quoting import find_words, nearest_passages, source_or_error
from .archive.search import search
from .archive.triage import as_text as triage_text
from .archive.triage import triage
from .check import check
from .claims.verify import INVISIBLE_HINT, describe_invisible
from .errors import CitebriefError, Location, ProblemsFound, Severity, error, in_quotes
from .facts.corpus import Project, load_corpus
from .facts.display import page_reference
from .facts.json_schemas import SchemaKind, schema_text, write_schemas
from .facts.usage import Kind, unused, uses
from .facts.validate import is_web_address
from .history.diff import as_json, as_markdown, as_text, compare
from .history.editions import publish
from .model import PartialDate, Reliability
from .new_project import EXAMPLE_BRIEFING, init_project
from .pipeline import OUTPUT_DIR, build, page_budget_problems
from .report import FORMATTERS, Shown, as_run, format_problem
from .watch import watch

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CitebriefError(message, f"run `{self.prog} --help` for usage")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="citebrief",
        description="Check cited facts and build policy briefings from them.",
    )
    parser.add_argument("--version", action="version", version=f"citebrief {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on failure")
    parser.add_argument(
        "--project", type=Path, default=None, help="project folder (default: found from here)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _accept_project_after_command(commands)

    check = commands.add_parser("check", help="check every fact, quote and figure")
    check.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="treat warnings as errors (default: 'strict' in citebrief.toml, else no)",
    )
    check.add_argument(
        "--format", choices=["text", "json", "github"], default="text", help="output format"
    )
    check.set_defaults(run=_run_check)

    build = commands.add_parser(
        "build", help="check, then build briefings into output/ (the default)"
    )
    build.add_argument("names", nargs="*", metavar="NAME", help="briefings to build (default: all)")
    build.add_argument(
        "-j", "--jobs", type=int, default=None, help="parallel processes (default: cores)"
    )
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.set_defaults(run=_run_build)

    add = commands.add_parser(
        "add-source", help="archive a PDF, text, Markdown or saved HTML file into sources/"
    )
    add.add_argument("path", metavar="PATH", help="the file to archive, or - for standard input")
    add.add_argument("--url", default=None)
    add.add_argument("--title", default=None, help="(default: the document's own title)")
    add.add_argument("--publisher", default=None)
    add.add_argument("--author", default=None, help="(default: the document's own author)")
    add.add_argument("--published", default=None, help="YYYY-MM-DD, YYYY-MM or YYYY, or unknown")
    add.add_argument("--retrieved", default=None, help="YYYY-MM-DD (default: today)")
    add.add_argument(
        "--kind", choices=["primary", "secondary", "aggregator"], help="(default: secondary)"
    )
    add.add_argument(
        "--reliability",
        choices=[r.value for r in Reliability],
        help="(default: unassessed; check warns until it is set)",
    )
    add.add_argument("--reliability-note", default=None, help="why the source earns that rating")
    add.add_argument("--note", default=None, help="anything a reviewer should know")
    add.add_argument("--id", default="", help="the source id (default: derived from title or URL)")
    add.set_defaults(run=_run_add_source)

    triage = commands.add_parser(
        "triage", help="what an archived source says about the fact base: agrees, differs, new"
    )
    triage.add_argument("source_id", metavar="SOURCE_ID")
    triage.set_defaults(run=_run_triage)

    quote = commands.add_parser("quote", help="find words in an archived source, ready to cite")
    quote.add_argument("source_id", metavar="SOURCE_ID")
    quote.add_argument("words", metavar="WORDS")
    quote.set_defaults(run=_run_quote)

    diff = commands.add_parser("diff", help="what changed in the fact base since a git ref")
    diff.add_argument(
        "ref",
        nargs="?",
        default=None,
        metavar="REF",
        help="git ref (default: the last commit that changed a briefing's edition date, else HEAD~1)",
    )
    diff.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    diff.set_defaults(run=_run_diff)

    init = commands.add_parser(
        "init", help="create a new project that builds on the first try (a new or empty folder)"
    )
    init.add_argument("folder", metavar="DIR", type=Path)
    init.set_defaults(run=_run_init)

    publish = commands.add_parser(
        "publish",
        help="freeze an edition: outputs and a snapshot of its facts and sources in editions/",
    )
    publish.add_argument("name", metavar="NAME", help="the briefing (its file name without .md)")
    publish.set_defaults(run=_run_publish)

    uses = commands.add_parser(
        "uses", help="which briefings and derived figures depend on a fact or a source"
    )
    uses.add_argument("target", metavar="FACT_OR_SOURCE", help="a fact id or a source id")
    uses.set_defaults(run=_run_uses)

    search = commands.add_parser(
        "search", help="search every archived source; ranked passages ready to paste as quotes"
    )
    search.add_argument("words", nargs="+", metavar="WORDS")
    search.add_argument("-n", "--limit", type=int, default=8, help="passages to show (default 8)")
    search.set_defaults(run=_run_search)

    unused = commands.add_parser("unused", help="facts and sources that no briefing uses")
    unused.set_defaults(run=_run_unused)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of fact files, source or briefing front matter"
    )
    schema.add_argument("kind", nargs="?", choices=["facts", "source", "briefing"], default="facts")
    schema.add_argument(
        "--write", action="store_true", help="write all three into the project's schemas/ folder"
    )
    schema.set_defaults(run=_run_schema)

    watch = commands.add_parser(
        "watch", help="rebuild on every change and serve output/ on 127.0.0.1 with live reload"
    )
    watch.add_argument(
        "--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)"
    )
    watch.set_defaults(run=_run_watch)
    return parser


def _accept_project_after_command(commands) -> None:
    """`citebrief check --project DIR` works as well as `citebrief --project DIR check`
    (pre-commit and CI append arguments after the command), and so does `--debug`."""
    add_parser = commands.add_parser

    def with_project(*args, **kwargs):
        sub = add_parser(*args, **kwargs)
        sub.add_argument(
            "--project",
            type=Path,
            default=argparse.SUPPRESS,
            help="project folder (default: found from here)",
        )
        sub.add_argument(  # the error message says "run with --debug": after the command too
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        return sub

    commands.add_parser = with_project


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    _PROJECT_TYPED.set(_typed_project(argv))
    try:
        parser = build_parser()
        args = parser.parse_args(_with_default_command(argv, _command_names(parser)))
        run: Callable[[argparse.Namespace, TextIO], int] = args.run
        return run(args, out)
    except ProblemsFound as exc:
        for problem in exc.problems:
            print(format_problem(problem, exc.texts, _shown()), file=out)
        if exc.message:  # a summary that adds to the located errors, never a repeat of one
            print(f"citebrief: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    except CitebriefError as exc:
        print(f"citebrief: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {as_run(exc.hint, _shown())}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("citebrief: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the CLI edge: anything unexpected is a bug, shown in one line
        if debug:
            traceback.print_exc()
        else:
            print(
                f"citebrief: internal error: {type(exc).__name__}: {exc} "
                "(this is a bug; run with --debug for the traceback)",
                file=sys.stderr,
            )
        return EXIT_FAILURE


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices or ())


def _with_default_command(argv: list[str], commands: set[str]) -> list[str]:
    """`python build.py [--project DIR] [-j 2 --force NAME]` means `build`.

    Only the word right after the global options can be the command, so a project
    folder named 'check' (`--project check`) is never taken for one.
    """
    index = 0
    while index < len(argv) and (
        argv[index] in ("--debug", "--project") or argv[index].startswith("--project=")
    ):
        index += 2 if argv[index] == "--project" else 1
    rest = argv[index:]
    if (rest and rest[0] in commands) or {"-h", "--help", "--version"} & set(argv[: index + 1]):
        return argv
    return [*argv[:index], "build", *rest]


def main_entry() -> None:
    sys.exit(main())


def _command() -> str:
    """The command as the user typed it, for hints: `python build.py` only when run that way."""
    typed = sys.argv[0] if sys.argv else ""
    if Path(typed).name == "build.py":
        return "python build.py"
    if Path(typed).name == "citebrief" and "/" in typed and not Path(typed).is_absolute():
        return typed  # `.venv/bin/citebrief`, as typed in this shell
    return "citebrief"


def _shown(path_prefix: str = ""):

    return Shown(_command(), path_prefix, _PROJECT_TYPED.get())


def _command_here() -> str:
    """The command with the --project the user gave, for hints to run next."""
    project = _PROJECT_TYPED.get()
    return _command() + (f" --project {project}" if project else "")


_PROJECT_TYPED: ContextVar[str] = ContextVar("project_typed", default="")
"""The --project value as the user typed it, so hints can repeat it."""


def _typed_project(argv: list[str]) -> str:
    import shlex

    for index, arg in enumerate(argv):
        if arg == "--project" and index + 1 < len(argv):
            return shlex.quote(argv[index + 1])
        if arg.startswith("--project="):
            return shlex.quote(arg.split("=", 1)[1])
    return ""


def _project(args: argparse.Namespace, with_content: bool = True):
    """The project the command works on; for reading commands it must hold something."""

    project = Project.open(args.project) if args.project else Project.find(Path.cwd())
    if with_content:
        project.require_content()
    return project


def _run_check(args: argparse.Namespace, out: TextIO) -> int:

    project = _project(args)
    strict = project.settings.strict if args.strict is None else args.strict
    report = check(project, strict=strict)
    if not report.count(Severity.ERROR):
        report.problems.extend(page_budget_problems(project, report.briefings, report.texts))
    prefix = project.folder_in_repository() if args.format == "github" else ""
    print(FORMATTERS[args.format](report, _shown(prefix)), file=out)
    return EXIT_PROBLEMS if report.count(Severity.ERROR) else EXIT_OK


def _run_build(args: argparse.Namespace, out: TextIO) -> int:

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.jobs is not None and args.jobs < 1:
        raise CitebriefError("-j must be at least 1")
    result = build(
        _project(args), args.names or None, progress=progress, jobs=args.jobs, force=args.force
    )
    warnings = result.report.count(Severity.WARNING)
    if warnings:
        print(
            f"check: {warnings} warning{'s' * (warnings != 1)} (run `{_command_here()} check` to see them)",
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
    return "\n".join(lines) + f"\nbuilt {len(built)} briefing{'s' * (len(built) != 1)} into output/"


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _run_add_source(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    if args.published and args.published != "unknown" and PartialDate.parse(args.published) is None:
        raise CitebriefError(
            f"--published {in_quotes(args.published)} is not a date",
            "write YYYY-MM-DD, YYYY-MM or YYYY",
        )
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
    )
    project = _project(args, with_content=False)
    archived = add_source(project.root, new, dt.date.today())
    rel = archived.path.relative_to(project.root).as_posix()
    size = f"{archived.pages} page{'s' * (archived.pages != 1)}, " if archived.pages else ""
    print(
        f"archived {rel} ({size}{archived.lines} lines, sha256 {archived.sha256[:12]}…)", file=out
    )
    print(f"id: {archived.id}", file=out)
    for notice in archived.notices:
        print(f"note: {notice}", file=out)
    try:
        print(_triage_text(project, archived.id), file=out)
    except CitebriefError as exc:  # archived all the same; `triage` can run once it is fixed
        print(f"triage: not run ({exc.message})", file=out)
    print(
        f"next: review its front matter (reliability, publisher, dates), then find a quote with\n"
        f'  {_command_here()} quote {archived.id} "a few words from the text"',
        file=out,
    )
    return EXIT_OK


def _run_triage(args: argparse.Namespace, out: TextIO) -> int:
    print(_triage_text(_project(args), args.source_id), file=out)
    return EXIT_OK


def _triage_text(project, source_id: str) -> str:  # type: ignore[no-untyped-def]

    corpus = load_corpus(project).corpus
    source = source_or_error(corpus.sources, source_id)
    return triage_text(source, triage(source, corpus))


def _run_quote(args: argparse.Namespace, out: TextIO) -> int:
    import json

    if not args.words.strip():
        raise CitebriefError(
            "no words to look for: the quote is empty",
            f"give a few words from the source, e.g. {_command_here()} quote {args.source_id} "
            '"a few words from the text"',
        )
    corpus = load_corpus(_project(args)).corpus
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


def _run_diff(args: argparse.Namespace, out: TextIO) -> int:

    changes = compare(_project(args, with_content=False), args.ref)
    formatter = {"text": as_text, "json": as_json, "markdown": as_markdown}[args.format]
    print(formatter(changes).rstrip("\n"), file=out)
    return EXIT_OK


def _run_watch(args: argparse.Namespace, out: TextIO) -> int:

    def say(message: str) -> None:
        print(message, file=out, flush=True)

    watch(_project(args), args.port, say)
    return EXIT_OK


def _run_uses(args: argparse.Namespace, out: TextIO) -> int:

    report = check(_project(args))
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
            f"(run `{_command_here()} check`)",
            file=out,
        )


def _run_search(args: argparse.Namespace, out: TextIO) -> int:
    import json

    if args.limit < 1:
        raise CitebriefError("--limit must be at least 1")
    corpus = load_corpus(_project(args)).corpus
    hits = search(corpus.sources, " ".join(args.words), args.limit)
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


def _run_unused(args: argparse.Namespace, out: TextIO) -> int:

    report = check(_project(args))
    found = unused(report.corpus, report.briefings)
    _section(out, "facts no briefing uses", found.facts, "none: every fact is used")
    _section(out, "sources no briefing uses", found.sources, "none: every source is used")
    _note_broken_briefings(report, out)
    return EXIT_OK


def _publisher(source) -> str:
    return "publisher unknown" if source.publisher == "unknown" else source.publisher


def _run_schema(args: argparse.Namespace, out: TextIO) -> int:

    if not args.write:
        print(schema_text(SchemaKind(args.kind)), end="", file=out)
        return EXIT_OK
    project = _project(args, with_content=False)
    for path in write_schemas(project.root):
        print(f"wrote {path}", file=out)
    print(
        "fact files name theirs in their first line, for editors that validate YAML:\n"
        "  # yaml-language-server: $schema=../../schemas/facts.schema.json",
        file=out,
    )
    return EXIT_OK


def _run_init(args: argparse.Namespace, out: TextIO) -> int:
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
        f"  {_command()} build --project {where}\n"
        f"  ({where}/{EXAMPLE_BRIEFING} is the memo; archive sources with\n"
        f"  {_command()} add-source FILE --project {where})",
        file=out,
    )
    return EXIT_OK


def _shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)


def _run_publish(args: argparse.Namespace, out: TextIO) -> int:

    project = _project(args)
    result = build(project, [args.name], progress=lambda m: print(m, file=sys.stderr))
    report = result.report
    if project.settings.strict and report.count(Severity.WARNING):
        raise CitebriefError(
            "this project is strict and check has warnings, so nothing was published",
            f"run `{_command_here()} check` and fix or acknowledge them",
        )
    document = next(d for d in report.briefings if d.spec.name == args.name)
    now = (report.corpus, report.disagreements)
    published = publish(project.root, document, now, report.texts, project.root / OUTPUT_DIR)
    rel = published.folder.relative_to(project.root).as_posix()
    print(f"published {args.name}, edition of {document.spec.meta.edition} into {rel}/:", file=out)
    for name in published.files:
        print(f"  {name}", file=out)
    print(
        f"commit {rel}/; from now on `{_command_here()} check` refuses changes to what this edition "
        "shows until the briefing gets a new `edition:` date",
        file=out,
    )
    return EXIT_OK
