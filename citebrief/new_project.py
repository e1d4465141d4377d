"""`citebrief init DIR`: a working project that builds on the first try, nothing copied.

It writes citebrief.toml, the folders, a .gitignore for output/, a .gitattributes that
keeps archived sources' line ends as LF, the JSON Schemas for
editors, one archived example source (a short note about citebrief itself, so nothing in
it is invented), one fact citing it (in a subfolder, one fact per file), an example memo,
and the CI workflow (at the git repository's root when DIR is inside one).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import __version__
from .archive.intake import source_file_text
from .common.files import resolved
from .common.write import write_outputs, write_problem
from .errors import CitebriefError, Location, ProblemsFound
from .facts.json_schemas import schema_comment, write_schemas
from .facts.settings import MARKER
from .scaffold import APT_PACKAGES, workflow_text

EXAMPLE_SOURCE = "citebrief-guide"
EXAMPLE_FACT_FILE = "briefings/facts/example/memo-length.yaml"
EXAMPLE_BRIEFING = "briefings/example-memo.md"


@dataclass(frozen=True)
class Created:
    root: Path
    files: tuple[str, ...]
    """Paths written inside the project, relative to it."""
    workflow: Path
    """The CI workflow written (inside the git repository's .github/ when there is one)."""
    install_from: str
    """Where the workflow installs citebrief from; "" when the team must set it."""


def init_project(target: Path, today: dt.date) -> Created:
    """Create a new project at ``target`` (a new or empty folder)."""
    root = resolved(target)
    if root is None:
        raise CitebriefError(
            f"{target} is a symbolic link that leads round in a loop, so no folder can be made",
            "choose a new folder name",
        )
    _refuse_unusable(root)
    made = not root.exists()
    try:
        written = _write_project(root, today)
        git_root = _git_root(root) or root
        install_from = _install_spec(git_root)
        workflow = _write_workflow(root, git_root, install_from)
    except (OSError, CitebriefError) as exc:  # a full disk, a read-only folder
        _undo(root, made)
        if isinstance(exc, CitebriefError):
            raise
        raise ProblemsFound([write_problem(Location(_shown(root, exc)), exc)], "") from exc
    return Created(root, tuple(sorted(written)), workflow, install_from)


def _write_project(root: Path, today: dt.date) -> list[str]:
    files = _project_files(root, today)
    for rel, text in files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:  # a write error names no file: name it here
            raise ProblemsFound([write_problem(Location(rel), exc)], "") from exc
    (root / "sources").mkdir(exist_ok=True)
    return [*files, *write_schemas(root)]


def _undo(root: Path, made: bool) -> None:
    """Take away what a failed init wrote (the folder was new or empty), so that running
    it again, once the disk has room, starts afresh instead of finding the folder not empty."""
    if made:
        shutil.rmtree(root, ignore_errors=True)
    elif root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _shown(root: Path, exc: OSError) -> str:
    """The file the system refused, inside the new project when it is there."""
    path = Path(str(exc.filename or root))
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _refuse_unusable(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise CitebriefError(f"{root} exists and is not a folder", "choose a new folder name")
    above = next((p for p in root.parents if os.path.lexists(p)), None)
    if above is not None and not above.is_dir():
        raise CitebriefError(
            f"{above} is a file, so no folder can be made inside it for {root}",
            f"give a path that does not go through the file {above.name}",
        )
    if above is not None and not os.access(above, os.W_OK | os.X_OK):
        raise CitebriefError(
            f"cannot create {root}: {above} is a folder you cannot write in",
            "choose a folder you can write in",
        )
    if root.is_dir() and any(root.iterdir()):
        raise CitebriefError(
            f"{root} is not empty: init writes only into a new or empty folder",
            "choose a new folder name, so nothing of yours is overwritten",
        )


def _scaffold(name: str) -> str:
    return resources.files("citebrief.scaffold").joinpath(name).read_text(encoding="utf-8")


def _project_files(root: Path, today: dt.date) -> dict[str, str]:
    name = root.name.replace("-", " ").replace("_", " ")
    guide = _scaffold("guide.txt")
    source_meta = {
        "id": EXAMPLE_SOURCE,
        "title": "How a citebrief project works",
        "publisher": "citebrief",
        "author": "unknown",
        "url": "unknown",
        "published": "unknown",
        "retrieved": today.isoformat(),
        "kind": "primary",
        "reliability": "high",
        "reliability_note": "citebrief's own description of how it works, shipped with it",
        "note": f"An example source written by `citebrief init` (citebrief {__version__}); "
        "delete it once your own sources are archived.",
    }
    return {
        MARKER: (
            "# This folder is a citebrief project.\n"
            f'name = "{_toml_text(name)}"\n\n'
            "[defaults]\n"
            '# A briefing whose front matter names no template uses this one: "paper" or "memo".\n'
            'template = "memo"\n'
            "# `check` treats warnings as errors; accept one with `acknowledge:` on its fact.\n"
            "strict = true\n\n"
            "[house]\n"
            '# Paper "a4" or "letter", dates "uk" (23 November 2026) or "us" (November 23, 2026).\n'
            'paper = "a4"\n'
            'dates = "uk"\n'
            '# Notes and sources: "chicago-fullnote-bibliography.csl" (Chicago notes), "apa.csl",\n'
            "# or the path of a CSL file inside the project.\n"
            'citation_style = "chicago-fullnote-bibliography.csl"\n'
        ),
        ".gitignore": _scaffold("gitignore"),
        ".gitattributes": _scaffold("gitattributes"),
        f"sources/{EXAMPLE_SOURCE}.txt": source_file_text(source_meta, guide),
        EXAMPLE_FACT_FILE: _scaffold("example-fact.yaml").replace(
            "{{ schema_comment }}", schema_comment(EXAMPLE_FACT_FILE)
        ),
        EXAMPLE_BRIEFING: _scaffold("example-memo.md").replace("{{ today }}", today.isoformat()),
    }


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _install_spec(git_root: Path) -> str:
    """What CI installs citebrief from: the repository itself when it holds the tool, else
    the git checkout this citebrief runs from, pinned to its commit; "" when neither is known
    (the workflow then stops with a message saying what to set)."""
    if (git_root / "citebrief" / "__init__.py").is_file() and (
        git_root / "pyproject.toml"
    ).is_file():
        return "."
    checkout = Path(__file__).resolve().parent.parent
    remote = _git(checkout, "remote", "get-url", "origin")
    commit = _git(checkout, "rev-parse", "HEAD")
    if remote.startswith("https://") and re.fullmatch(r"[0-9a-f]{40}", commit):
        return f"git+{remote}@{commit}"
    return ""


def _git(folder: Path, *args: str) -> str:
    import subprocess

    if not (folder / ".git").exists():
        return ""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


_UNSET_INSTALL = (
    'test -n "$CITEBRIEF" || { echo "::error::set CITEBRIEF at the top of this workflow to '
    "citebrief's git URL pinned to a commit (git+https://…/citebrief@COMMIT)\"; exit 1; } && "
)


def _write_workflow(root: Path, git_root: Path, install_from: str) -> Path:
    """The CI workflow: in the git repository's .github/workflows/ (named after the project
    when the repository already has one), else in the project's own .github/."""
    project = root.relative_to(git_root).as_posix()
    folder = git_root / ".github" / "workflows"
    suffix = ""
    if (folder / "briefings.yml").exists():
        suffix = "-" + (re.sub(r"[^a-z0-9]+", "-", root.name.lower()).strip("-") or "project")
    install = _UNSET_INSTALL + (
        f"sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends "
        f'{APT_PACKAGES} && python -m venv .venv && .venv/bin/pip install -q "$CITEBRIEF"'
    )
    text = workflow_text(project, install, ".venv/bin/citebrief", install_from, name_suffix=suffix)
    path = folder / f"briefings{suffix}.yml"
    write_outputs(folder, {path.name: text.encode("utf-8")}, generated=False)  # whole or not at all
    return path
