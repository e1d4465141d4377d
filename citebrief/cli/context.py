"""What hints repeat back to the user: the command as typed, the --project given; exit codes."""

from __future__ import annotations

import argparse
import sys
from contextvars import ContextVar
from pathlib import Path

from ..facts.corpus import Project
from ..report import Shown

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


def command_typed() -> str:
    """The command as the user ran it, for usage lines and hints that work as written:
    `.venv/bin/citebrief`, `.venv/bin/python build.py`, `.venv/bin/python -m citebrief`."""
    typed = sys.argv[0] if sys.argv else ""
    if Path(typed).name == "build.py":
        return f"{_python()} build.py"
    if Path(typed).name == "__main__.py" and Path(typed).parent.name == "citebrief":
        return f"{_python()} -m citebrief"
    if Path(typed).name == "citebrief" and "/" in typed and not Path(typed).is_absolute():
        return typed  # `.venv/bin/citebrief`, as typed in this shell
    return "citebrief"


def _python() -> str:
    """The Python running citebrief, as a path from here when it is under this folder (a
    project's `.venv/bin/python`), else `python` (an activated environment's)."""
    executable = Path(sys.executable)
    try:
        return executable.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return "python"


def shown(path_prefix: str = ""):

    return Shown(command_typed(), path_prefix, PROJECT_TYPED.get())


def command_here() -> str:
    """The command with the --project the user gave, for hints to run next."""
    project = PROJECT_TYPED.get()
    return command_typed() + (f" --project {project}" if project else "")


PROJECT_TYPED: ContextVar[str] = ContextVar("project_typed", default="")
"""The --project value as the user typed it, so hints can repeat it."""


def typed_project(argv: list[str]) -> str:
    import shlex

    for index, arg in enumerate(argv):
        if arg == "--project" and index + 1 < len(argv):
            return shlex.quote(argv[index + 1])
        if arg.startswith("--project="):
            return shlex.quote(arg.split("=", 1)[1])
    return ""


def project_of(args: argparse.Namespace, with_content: bool = True):
    """The project the command works on; for reading commands it must hold something."""

    project = Project.open(args.project) if args.project else Project.find(Path.cwd())
    if with_content:
        project.require_content()
    return project
