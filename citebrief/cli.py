"""The command line: the one place that prints problems and chooses exit codes.

Exit codes: 0 no errors, 1 errors found in the input, 2 usage or internal failure.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import CitebriefError, ProblemsFound, Severity

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

    check = commands.add_parser("check", help="check every fact, quote and figure")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format", choices=["text", "json", "github"], default="text", help="output format"
    )
    check.set_defaults(run=_run_check)

    build = commands.add_parser(
        "build", help="check, then build briefings into output/ (the default)"
    )
    build.add_argument("names", nargs="*", metavar="NAME", help="briefings to build (default: all)")
    build.set_defaults(run=_run_build)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args([*argv, "build"])
        run: Callable[[argparse.Namespace, TextIO], int] = args.run
        return run(args, out)
    except ProblemsFound as exc:
        from .report import format_problem

        for problem in exc.problems:
            print(format_problem(problem, exc.texts), file=out)
        print(f"citebrief: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    except CitebriefError as exc:
        print(f"citebrief: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=sys.stderr)
        return EXIT_FAILURE
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


def main_entry() -> None:
    sys.exit(main())


def _project(args: argparse.Namespace):
    from .project import Project

    return Project(args.project.resolve()) if args.project else Project.find(Path.cwd())


def _run_check(args: argparse.Namespace, out: TextIO) -> int:
    from .project import check
    from .report import FORMATTERS

    report = check(_project(args), strict=args.strict)
    print(FORMATTERS[args.format](report), file=out)
    return EXIT_PROBLEMS if report.count(Severity.ERROR) else EXIT_OK


def _run_build(args: argparse.Namespace, out: TextIO) -> int:
    from .pipeline import build

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    report, built = build(_project(args), args.names or None, progress=progress)
    warnings = report.count(Severity.WARNING)
    if warnings:
        print(
            f"check: {warnings} warning{'s' * (warnings != 1)} (run `python build.py check` to see them)",
            file=out,
        )
    print(_build_table(built), file=out)
    return EXIT_OK


def _build_table(built: list) -> str:
    rows = [("briefing", "pages", "PDF size", "HTML size", "seconds")]
    rows += [
        (b.name, str(b.pages), _size(b.pdf_bytes), _size(b.html_bytes), f"{b.seconds:.2f}")
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
