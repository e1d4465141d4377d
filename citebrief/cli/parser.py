"""The command line's parser: every subcommand, its options, its help and an example."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from ..errors import CitebriefError
from ..model import Reliability
from . import commands as actions
from . import review as review_command
from .context import command_typed

EXAMPLES = {
    "check": "citebrief check --strict --format github",
    "build": "citebrief build distillation-memo --force",
    "add-source": (
        "citebrief add-source ~/Downloads/rule.pdf --url https://www.federalregister.gov/… "
        "--publisher 'Federal Register' --reliability high"
    ),
    "triage": "citebrief triage fenwick-h200-rule",
    "quote": 'citebrief quote fenwick-h200-rule "increased exports of NVIDIA H200"',
    "diff": "citebrief diff HEAD~3 --format markdown",
    "init": "citebrief init subjects/bis",
    "publish": "citebrief publish distillation-memo",
    "uses": "citebrief uses labs.minimax.exchanges",
    "search": "citebrief search license review H200",
    "unused": "citebrief unused",
    "schema": "citebrief schema --write",
    "watch": "citebrief watch --port 8001",
    "review": "citebrief review ~/Downloads/distillation-memo-cleared.docx --apply",
}
"""One example per subcommand, shown at the end of its --help."""


def _sentence(help_text: str) -> str:
    """A command's one-line help as the first sentence of its --help ('PDF' stays 'PDF')."""
    return help_text[:1].upper() + help_text[1:] + "."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CitebriefError(message, f"run `{self.prog} --help` for usage")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=command_typed(),  # usage lines and examples say it as the user runs it
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
    check.set_defaults(run=actions.run_check)

    build = commands.add_parser(
        "build", help="check, then build briefings into output/ (the default)"
    )
    build.add_argument("names", nargs="*", metavar="NAME", help="briefings to build (default: all)")
    build.add_argument(
        "-j", "--jobs", type=int, default=None, help="parallel processes (default: cores)"
    )
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.set_defaults(run=actions.run_build)

    add = commands.add_parser(
        "add-source",
        help="archive a PDF, text, Markdown, saved HTML, CSV or XLSX file into sources/",
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
    add.add_argument(
        "--license", default=None, help="the terms it may be reused under (tables: CC BY 4.0, …)"
    )
    add.add_argument("--id", default="", help="the source id (default: derived from title or URL)")
    add.set_defaults(run=actions.run_add_source)

    triage = commands.add_parser(
        "triage", help="what an archived source says about the fact base: agrees, differs, new"
    )
    triage.add_argument("source_id", metavar="SOURCE_ID")
    triage.set_defaults(run=actions.run_triage)

    quote = commands.add_parser("quote", help="find words in an archived source, ready to cite")
    quote.add_argument("source_id", metavar="SOURCE_ID")
    quote.add_argument("words", metavar="WORDS")
    quote.set_defaults(run=actions.run_quote)

    diff = commands.add_parser("diff", help="what changed in the fact base since a git ref")
    diff.add_argument(
        "ref",
        nargs="?",
        default=None,
        metavar="REF",
        help="git ref (default: the last commit that changed a briefing's edition date, else HEAD~1)",
    )
    diff.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    diff.set_defaults(run=actions.run_diff)

    init = commands.add_parser(
        "init", help="create a new project that builds on the first try (a new or empty folder)"
    )
    init.add_argument("folder", metavar="DIR", type=Path)
    init.set_defaults(run=actions.run_init)

    publish = commands.add_parser(
        "publish",
        help="freeze an edition: outputs and a snapshot of its facts and sources in editions/",
    )
    publish.add_argument("name", metavar="NAME", help="the briefing (its file name without .md)")
    publish.set_defaults(run=actions.run_publish)

    uses = commands.add_parser(
        "uses", help="which briefings and derived figures depend on a fact or a source"
    )
    uses.add_argument("target", metavar="FACT_OR_SOURCE", help="a fact id or a source id")
    uses.set_defaults(run=actions.run_uses)

    search = commands.add_parser(
        "search", help="search every archived source; ranked passages ready to paste as quotes"
    )
    search.add_argument("words", nargs="+", metavar="WORDS")
    search.add_argument("-n", "--limit", type=int, default=8, help="passages to show (default 8)")
    search.set_defaults(run=actions.run_search)

    unused = commands.add_parser("unused", help="facts and sources that no briefing uses")
    unused.set_defaults(run=actions.run_unused)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of fact files, source or briefing front matter"
    )
    schema.add_argument("kind", nargs="?", choices=["facts", "source", "briefing"], default="facts")
    schema.add_argument(
        "--write", action="store_true", help="write all three into the project's schemas/ folder"
    )
    schema.set_defaults(run=actions.run_schema)

    watch = commands.add_parser(
        "watch", help="rebuild on every change and serve output/ on 127.0.0.1 with live reload"
    )
    watch.add_argument(
        "--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)"
    )
    watch.set_defaults(run=actions.run_watch)

    review = commands.add_parser(
        "review",
        help="a cleared Word file's tracked changes and comments, against the briefing's sources",
    )
    review.add_argument("file", metavar="CLEARED.docx", type=Path)
    review.add_argument(
        "--briefing", metavar="NAME", help="the briefing it was made from (default: by its title)"
    )
    review.add_argument(
        "--apply",
        action="store_true",
        help="make the prose changes in the briefing's Markdown (never a figure)",
    )
    review.set_defaults(run=review_command.run_review)
    return parser


def _accept_project_after_command(commands) -> None:
    """`citebrief check --project DIR` works as well as `citebrief --project DIR check`
    (pre-commit and CI append arguments after the command), and so does `--debug`."""
    add_parser = commands.add_parser

    def with_project(*args, **kwargs):
        example = EXAMPLES[args[0]].replace("citebrief", command_typed(), 1)
        kwargs.setdefault("description", _sentence(kwargs.get("help", "")))
        sub = add_parser(
            *args,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            **kwargs,
        )
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
