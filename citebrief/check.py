"""`check`, the first half of the pipeline: load, verify and compose every briefing, and
collect every problem, sorted by place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .claims.verify import Disagreement, QuoteMatch, Verification, verify
from .common.memo import no_cycle_collection
from .document.compose import compose, load_briefing
from .document.frozen import edition_problems
from .errors import Code, Problem, Severity
from .facts.acknowledge import Acknowledged, apply_acknowledgements
from .facts.corpus import FACTS_DIR, LINKED_FOLDER, SOURCES_DIR, LoadResult, Project, load_corpus
from .facts.register import REGISTER_FILE
from .history.editions import changes_since, read_editions, stray_editions
from .model import Corpus
from .render.manifest import OUTPUT_DIR
from .render.pages import LAYOUT_CODES, page_budget_problems
from .render.theme import theme_problems


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


def check(project: Project, strict: bool = False, page_budgets: bool = False) -> CheckReport:
    """Run every check on the project and collect all problems, sorted by place.

    ``page_budgets``: also lay out each briefing that has a page budget (when nothing else is
    wrong) to predict whether it fits; a build holds the budget on the real PDF instead."""
    with no_cycle_collection():
        loaded = load_corpus(project)
        verification = verify(loaded.corpus)
        problems = [*loaded.problems, *verification.problems, *theme_problems(project.root)]
        briefings = compose_briefings(project, loaded, verification, problems)
        problems = list(dict.fromkeys(problems))  # a fact two briefings show is reported once
    laid_out = page_budgets and not any(p.severity == Severity.ERROR for p in problems)
    if laid_out:  # its warnings can be acknowledged on their facts like any other
        problems.extend(page_budget_problems(project, briefings))
    problems, acknowledged = apply_acknowledgements(
        problems, loaded.corpus, None if laid_out else LAYOUT_CODES
    )
    problems = without_knock_ons(problems, loaded)  # acknowledgements' own knock-ons too
    if strict:
        problems = [_as_error(p) for p in problems]
    problems.sort(key=lambda p: (p.location, p.code))
    acknowledged.sort(key=lambda a: (a.problem.location, a.problem.code))
    return CheckReport(loaded.corpus, problems, loaded.texts, verification, briefings, acknowledged)


def compose_briefings(
    project: Project, loaded: LoadResult, verification: Verification, problems: list[Problem]
) -> list[Any]:
    """Compose every briefing spec; problems go to ``problems``, documents are returned."""
    documents = []
    now = (loaded.corpus, verification.disagreements)
    for file in project.briefing_files():
        spec, found, text = load_briefing(
            project.root, file, project.settings.template, project.settings.house
        )
        loaded.texts[file.relative_to(project.root).as_posix()] = text
        problems.extend(found)
        if spec is None:
            continue
        editions, damaged = read_editions(project.root, spec.name)
        problems.extend(damaged)
        previous = [e for e in editions if e.date < spec.meta.edition]
        changes = (
            changes_since(previous[-1], now, spec.house.dates)
            if previous and "```changes" in spec.body
            else None
        )
        document, found = compose(
            spec,
            loaded.corpus,
            verification,
            changes,
            project.settings.citation_style,
            project.root / OUTPUT_DIR,
        )
        problems.extend(found)
        problems.extend(edition_problems(spec, text, document, now, editions))
        if document is not None:
            documents.append(document)
    problems.extend(stray_editions(project.root, {f.stem for f in project.briefing_files()}))
    return documents


KNOCK_ON_CODES = frozenset({Code.UNKNOWN_SOURCE, Code.UNKNOWN_FACT, Code.DERIVED_INPUT})
REGISTER_KNOCK_ON_CODES = frozenset({Code.MISSING_SUBJECT, Code.UNKNOWN_ENTITY, Code.UNKNOWN_UNIT})
_FACT_KNOCK_ON_CODES = frozenset({Code.UNKNOWN_FACT, Code.DERIVED_INPUT})
_SOURCE_KNOCK_ON_CODES = frozenset(
    {
        Code.UNKNOWN_SOURCE,
        Code.ACKNOWLEDGE_UNKNOWN,
        Code.ACKNOWLEDGEMENT_UNUSED,
        Code.QUOTE_NOT_FOUND,
        Code.NO_AGREEING_CITATION,
    }
)
_DEFINED_ID = re.compile(r"""^[ \t-]*id:[ \t]*["']?([^\s"'#]+)""", re.M)


def without_knock_ons(problems: list[Problem], loaded: LoadResult) -> list[Problem]:
    """Drop "not in the fact base" errors about ids defined in a file that already failed.

    One bad indent in a fact file must give one error, not one more for every reference
    to the facts that file would have defined; likewise one error in the register.
    """
    problems = _without_register_knock_ons(problems)
    if any(p.code == LINKED_FOLDER and p.location.path == f"{SOURCES_DIR}/" for p in problems):
        # no source was read: every citation and acknowledgement would be reported again
        return [p for p in problems if p.code not in _SOURCE_KNOCK_ON_CODES]
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
