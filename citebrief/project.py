"""The project on disk: find its files, load and validate them into one Corpus."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .acknowledge import Acknowledged, apply_acknowledgements
from .errors import CitebriefError, Location, Problem, Severity, error
from .load import FrontMatterFile, load_yaml, read_text, split_front_matter
from .model import BUILTIN_UNITS, Corpus, Derived, Entity, Fact, Source, Unit
from .settings import MARKER, Settings, read_settings
from .theme import theme_problems
from .validate import (
    REGISTER_FILE,
    check_subjects_and_units,
    validate_fact_file,
    validate_register,
    validate_source,
)
from .verify import Disagreement, QuoteMatch, Verification, verify

if TYPE_CHECKING:
    pass

SOURCES_DIR = "sources"
FACTS_DIR = "briefings/facts"
BRIEFINGS_DIR = "briefings"


@dataclass(frozen=True)
class Project:
    """Where a citebrief project lives, and the settings in its citebrief.toml."""

    root: Path
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def open(cls, root: Path) -> Project:
        """The project at ``root`` (``--project DIR``); a folder that is not one is an error."""
        root = root.resolve()
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
            if (folder / MARKER).is_file():
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
    entities, units, has_register = _load_register(project, result)
    result.corpus = Corpus(
        sources=_unique(sources, "source", result.problems),
        facts=_unique(facts, "fact", result.problems),
        derived=_unique(derived, "fact", result.problems, taken=set(f.id for f in facts)),
        entities=entities,
        units=units,
        has_register=has_register,
    )
    result.problems.extend(check_subjects_and_units(result.corpus))
    return result


def _load_register(
    project: Project, result: LoadResult
) -> tuple[dict[str, Entity], dict[str, Unit], bool]:
    """briefings/entities.yaml, when the project keeps one."""
    file = project.root / REGISTER_FILE
    if not file.is_file() or file.is_symlink():
        return {}, dict(BUILTIN_UNITS), False
    read = read_text(project.root, file)
    if isinstance(read, Problem):
        result.problems.append(read)
        return {}, dict(BUILTIN_UNITS), True
    rel, text = read
    result.texts[rel] = text
    loaded, found = load_yaml(text, rel)
    result.problems.extend(found)
    if loaded is None:
        return {}, dict(BUILTIN_UNITS), True
    entities, units, found = validate_register(loaded)
    result.problems.extend(found)
    return entities, units, True


def _load_sources(project: Project, result: LoadResult) -> list[Source]:
    sources: list[Source] = []
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


@dataclass
class CheckReport:
    """Everything `check` found: problems, quote matches, disagreements, counts."""

    corpus: Corpus
    problems: list[Problem]
    texts: dict[str, str]
    verification: Verification | None
    briefings: list[Any] = field(default_factory=list)
    """(spec, document) of every briefing that composed without errors."""
    acknowledged: list[Acknowledged] = field(default_factory=list)
    """Warnings accepted by an `acknowledge:` on their fact: not counted, still listed."""

    @property
    def matches(self) -> tuple[QuoteMatch, ...]:
        return self.verification.matches if self.verification else ()

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        return self.verification.disagreements if self.verification else ()

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def check(project: Project, strict: bool = False) -> CheckReport:
    """Run every check on the project and collect all problems, sorted by place."""
    with _no_cycle_collection():
        loaded = load_corpus(project)
        verification = verify(loaded.corpus)
        problems = [*loaded.problems, *verification.problems, *theme_problems(project.root)]
        briefings = compose_briefings(project, loaded, verification, problems)
        problems = list(dict.fromkeys(problems))  # a fact two briefings show is reported once
        problems = without_knock_ons(problems, loaded)
        problems, acknowledged = apply_acknowledgements(problems, loaded.corpus)
    if strict:
        problems = [_as_error(p) for p in problems]
    problems.sort(key=lambda p: (p.location, p.code))
    acknowledged.sort(key=lambda a: (a.problem.location, a.problem.code))
    return CheckReport(loaded.corpus, problems, loaded.texts, verification, briefings, acknowledged)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while the corpus is built.

    Loading makes millions of small objects, none of them in cycles; each full pass of
    the collector walks all of them, which made `check` grow faster than the corpus
    (a quarter of its time at 50,000 facts). Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compose_briefings(
    project: Project, loaded: LoadResult, verification: Verification, problems: list[Problem]
) -> list[Any]:
    """Compose every briefing spec; problems go to ``problems``, documents are returned."""
    from .compose import compose, load_briefing
    from .editions import changes_since, edition_problems, read_editions

    documents = []
    now = (loaded.corpus, verification.disagreements)
    for file in project.briefing_files():
        spec, found, text = load_briefing(project.root, file, project.settings.template)
        loaded.texts[file.relative_to(project.root).as_posix()] = text
        problems.extend(found)
        if spec is None:
            continue
        editions, damaged = read_editions(project.root, spec.name)
        problems.extend(damaged)
        previous = [e for e in editions if e.date < spec.meta.edition]
        changes = (
            changes_since(previous[-1], now) if previous and "```changes" in spec.body else None
        )
        document, found = compose(spec, loaded.corpus, verification, changes)
        problems.extend(found)
        problems.extend(edition_problems(spec, text, document, now, editions))
        if document is not None:
            documents.append(document)
    return documents


KNOCK_ON_CODES = frozenset({"unknown-source", "unknown-fact", "derived-input"})
REGISTER_KNOCK_ON_CODES = frozenset({"missing-subject", "unknown-entity", "unknown-unit"})
_FACT_KNOCK_ON_CODES = frozenset({"unknown-fact", "derived-input"})
LINKED_FOLDER = "linked-folder"
_DEFINED_ID = re.compile(r"""^[ \t-]*id:[ \t]*["']?([^\s"'#]+)""", re.M)


def without_knock_ons(problems: list[Problem], loaded: LoadResult) -> list[Problem]:
    """Drop "not in the fact base" errors about ids defined in a file that already failed.

    One bad indent in a fact file must give one error, not one more for every reference
    to the facts that file would have defined; likewise one error in the register.
    """
    problems = _without_register_knock_ons(problems)
    if any(p.code == LINKED_FOLDER for p in problems):  # any missing fact may be in there
        return [p for p in problems if p.code not in _FACT_KNOCK_ON_CODES]
    broken = _ids_in_failed_files(problems, loaded)
    for item in loaded.corpus.derived.values():
        if {*item.inputs, item.compare_with} & broken:
            broken.add(item.id)
    return [p for p in problems if not (p.code in KNOCK_ON_CODES and p.subject in broken)]


def _without_register_knock_ons(problems: list[Problem]) -> list[Problem]:
    """An error in briefings/entities.yaml leaves the register partly or wholly unread: the
    facts' subjects and units it would have defined are then not reported one by one (and no
    hint lists a register that was not read)."""
    if not any(p.severity == Severity.ERROR and p.location.path == REGISTER_FILE for p in problems):
        return problems
    return [
        p
        for p in problems
        if p.code not in REGISTER_KNOCK_ON_CODES or p.location.path == REGISTER_FILE
    ]


def _ids_in_failed_files(problems: list[Problem], loaded: LoadResult) -> set[str]:
    failed = {
        p.location.path
        for p in problems
        if p.severity == Severity.ERROR and p.code not in KNOCK_ON_CODES
    }
    ids: set[str] = set()
    for path in failed:
        if path.startswith(f"{SOURCES_DIR}/"):
            ids.add(Path(path).stem)
        if path.startswith((f"{SOURCES_DIR}/", f"{FACTS_DIR}/")):
            ids.update(_DEFINED_ID.findall(loaded.texts.get(path, "")))
    return ids


def _as_error(problem: Problem) -> Problem:
    if problem.severity == Severity.ERROR:
        return problem
    return Problem(problem.location, Severity.ERROR, problem.message, problem.hint, problem.code)
