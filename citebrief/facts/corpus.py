"""The project on disk: find its files, load and validate them into one Corpus."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..common.files import resolved
from ..errors import CitebriefError, Location, Problem, error
from ..model import (
    BUILTIN_MEASURES,
    BUILTIN_UNITS,
    Corpus,
    Derived,
    Entity,
    Fact,
    Measure,
    Source,
    Unit,
)
from .load import FrontMatterFile, load_yaml, read_text, split_front_matter
from .measures import check_fact_measures, validate_measures
from .register import REGISTER_FILE, check_subjects_and_units, validate_register
from .settings import MARKER, Settings, read_settings
from .validate import validate_fact_file, validate_source

SOURCES_DIR = "sources"
FACTS_DIR = "briefings/facts"
BRIEFINGS_DIR = "briefings"
LINKED_FOLDER = "linked-folder"


@dataclass(frozen=True)
class Project:
    """Where a citebrief project lives, and the settings in its citebrief.toml."""

    root: Path
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def open(cls, root: Path) -> Project:
        """The project at ``root`` (``--project DIR``); a folder that is not one is an error."""
        folder = resolved(root)
        if folder is None:
            raise CitebriefError(
                f"{root} is a symbolic link that leads round in a loop, so there is no folder",
                "check the path given to --project",
            )
        root = folder
        if not root.is_dir():
            raise CitebriefError(
                f"no project folder at {root}",
                "check the path given to --project, or create a project with `citebrief init DIR`",
            )
        if not os.path.lexists(root / MARKER):  # a link or a device there is reported when read
            raise CitebriefError(
                f"{root} is not a citebrief project: it has no {MARKER}", _marker_hint(root)
            )
        return cls(root, read_settings(root))

    @classmethod
    def find(cls, start: Path) -> Project:
        """The project holding ``start``: the nearest folder at or above it with citebrief.toml."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if os.path.lexists(folder / MARKER):  # a pipe or a link there is reported when read
                return cls.open(folder)
        raise CitebriefError(
            f"no citebrief project in {start} or any folder above it (none has a {MARKER})",
            "run the command inside a project, point to one with --project DIR, "
            "or create one with `citebrief init DIR`",
        )

    def require_content(self) -> None:
        """A project with no sources, facts or briefings is a misconfiguration, not a pass."""
        if not (self.source_files() or self.fact_files() or self.briefing_files()):
            raise CitebriefError(
                f"the project at {self.root} is empty: it has no sources/*.txt, "
                f"no {FACTS_DIR}/*.yaml and no {BRIEFINGS_DIR}/*.md",
                "check that --project points at the right folder; "
                "`citebrief init DIR` creates a project with an example",
            )

    def source_files(self) -> list[Path]:
        return _regular_files(self.root / SOURCES_DIR, (".txt",), recursive=False)

    def fact_files(self) -> list[Path]:
        """Every .yaml/.yml file under briefings/facts/, subfolders included, in path order."""
        return _regular_files(self.root / FACTS_DIR, (".yaml", ".yml"), recursive=True)

    def briefing_files(self) -> list[Path]:
        return _regular_files(self.root / BRIEFINGS_DIR, (".md",), recursive=False)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def folder_in_repository(self) -> str:
        """The project's folder relative to its git repository's root ('' at the root or
        outside git), found by looking for .git without running git."""
        for folder in (self.root, *self.root.parents):
            if (folder / ".git").exists():
                rel = self.root.relative_to(folder).as_posix()
                return "" if rel == "." else rel + "/"
        return ""


def _marker_hint(root: Path) -> str:
    if (root / SOURCES_DIR).is_dir() and (root / BRIEFINGS_DIR).is_dir():
        return (
            f'add a {MARKER} to mark the project (one line is enough: name = "…"), '
            "or check that --project points at the right folder"
        )
    return "check the path, or create a project there with `citebrief init DIR`"


def _regular_files(folder: Path, suffixes: tuple[str, ...], recursive: bool) -> list[Path]:
    """Files under ``folder`` with one of ``suffixes``; hidden names are skipped.

    Links, devices and pipes with such a name are listed too, so that reading them
    reports a located "not read" problem (``files.read_confined``) rather than the
    file silently missing from the project; so are links to folders (os.walk does not
    follow them), which ``linked_folder`` reports.
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Path] = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        found.extend(Path(here) / d for d in dirs if (Path(here) / d).is_symlink())
        for name in files:
            path = Path(here) / name
            if path.suffix in suffixes and not name.startswith("."):
                found.append(path)
    return sorted(found)


@dataclass
class LoadResult:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """The text of every file read, by relative path, for showing offending lines."""


def load_corpus(project: Project) -> LoadResult:
    """Load and validate every source and fact file; cross-file checks run last."""
    result = LoadResult(Corpus())
    sources = _load_sources(project, result)
    facts, derived = _load_facts(project, result)
    entities, units, measures, has_register = _load_register(project, result)
    result.corpus = Corpus(
        sources=_unique(sources, "source", result.problems),
        facts=_unique(facts, "fact", result.problems),
        derived=_unique(derived, "fact", result.problems, taken=set(f.id for f in facts)),
        entities=entities,
        units=units,
        measures=measures,
        has_register=has_register,
    )
    result.problems.extend(check_subjects_and_units(result.corpus))
    result.problems.extend(check_fact_measures(result.corpus))
    return result


def _load_register(
    project: Project, result: LoadResult
) -> tuple[dict[str, Entity], dict[str, Unit], dict[str, Measure], bool]:
    """briefings/entities.yaml, when the project keeps one."""
    file = project.root / REGISTER_FILE
    if not os.path.lexists(file):  # anything else there (a pipe, a link) is reported when read
        return {}, dict(BUILTIN_UNITS), dict(BUILTIN_MEASURES), False
    read = read_text(project.root, file)
    if isinstance(read, Problem):
        result.problems.append(read)
        return {}, dict(BUILTIN_UNITS), dict(BUILTIN_MEASURES), True
    rel, text = read
    result.texts[rel] = text
    loaded, found = load_yaml(text, rel)
    result.problems.extend(found)
    if loaded is None:
        return {}, dict(BUILTIN_UNITS), dict(BUILTIN_MEASURES), True
    entities, units, found = validate_register(loaded)
    result.problems.extend(found)
    measures, found = validate_measures(loaded)
    result.problems.extend(found)
    return entities, units, measures, True


def _load_sources(project: Project, result: LoadResult) -> list[Source]:
    sources: list[Source] = []
    if (project.root / SOURCES_DIR).is_symlink():  # listed as empty: say why, at the folder
        result.problems.append(
            error(
                Location(f"{SOURCES_DIR}/"),
                LINKED_FOLDER,
                f"not read: {SOURCES_DIR}/ is a symbolic link to a folder, and links are not "
                "followed; so none of the archived sources in it is read",
                f"move or copy the sources into a real {SOURCES_DIR}/ folder instead of linking",
            )
        )
    for file in project.source_files():
        read = read_text(project.root, file)
        if isinstance(read, Problem):
            result.problems.append(read)
            continue
        rel, text = read
        result.texts[rel] = text
        split = split_front_matter(text, rel)
        if isinstance(split, Problem):
            result.problems.append(split)
            continue
        source = _source(split, file.stem, result.problems)
        if source is not None:
            sources.append(source)
    return sources


def _source(split: FrontMatterFile, stem: str, problems: list[Problem]) -> Source | None:
    loaded, found = load_yaml(
        split.front_matter, split.path, line_offset=split.front_matter_line - 1
    )
    problems.extend(found)
    if loaded is None:
        return None
    source, found = validate_source(split, loaded, stem)
    problems.extend(found)
    return source


def linked_folder(rel: str) -> Problem:
    return error(
        Location(rel),
        LINKED_FOLDER,
        "not read: this is a symbolic link to a folder, and links are not followed; "
        "so none of the fact files in it is read",
        "move or copy the folder here instead of linking to it",
    )


def linked_file(rel: str) -> Problem:
    return error(
        Location(rel),
        LINKED_FOLDER,
        "not read: this is a symbolic link, and links are not followed",
        "move or copy the file here instead of linking to it",
    )


def _load_facts(project: Project, result: LoadResult) -> tuple[list[Fact], list[Derived]]:
    facts: list[Fact] = []
    derived: list[Derived] = []
    for file in project.fact_files():
        if file.is_symlink() and (file.is_dir() or file.is_file()):
            rel = file.relative_to(project.root).as_posix()
            result.problems.append(linked_folder(rel) if file.is_dir() else linked_file(rel))
            continue
        read = read_text(project.root, file)
        if isinstance(read, Problem):
            result.problems.append(read)
            continue
        rel, text = read
        result.texts[rel] = text
        loaded, found = load_yaml(text, rel)
        result.problems.extend(found)
        if loaded is None:
            continue
        file_facts, file_derived, found = validate_fact_file(loaded, rel)
        facts.extend(file_facts)
        derived.extend(file_derived)
        result.problems.extend(found)
    return facts, derived


T = TypeVar("T", Source, Fact, Derived)


def _unique(
    items: list[T], what: str, problems: list[Problem], taken: set[str] | None = None
) -> dict[str, T]:
    by_id: dict[str, T] = {}
    for item in items:
        first = by_id.get(item.id)
        if first is None and taken and item.id in taken:
            problems.append(
                error(
                    item.location,
                    f"duplicate-{what}-id",
                    f"{what} id '{item.id}' is already used by a fact",
                    "",
                )
            )
            continue
        if first is not None:
            problems.append(
                error(
                    item.location,
                    f"duplicate-{what}-id",
                    f"duplicate {what} id '{item.id}' (first defined at {first.location})",
                    "ids must be unique across the project: rename one of the two",
                )
            )
            continue
        by_id[item.id] = item
    return by_id
