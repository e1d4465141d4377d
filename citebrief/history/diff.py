"""What changed in the fact base between a git ref and the working tree."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..claims.verify import Disagreement, verify_fact
from ..common.files import MAX_INPUT_BYTES
from ..common.memo import new_run
from ..common.write import temporary_folder, write_temporary
from ..errors import CitebriefError, Location
from ..facts.corpus import Project, load_corpus
from ..facts.display import format_date, value_with_unit
from ..facts.register import REGISTER_FILE
from ..model import Citation, Corpus, DateStyle, Fact, PartialDate, Source, Unit


@dataclass(frozen=True)
class FactChange:
    id: str
    label: str
    changes: tuple[tuple[str, str, str], ...]
    """(what, before, after) for value, qualifier, label, note, as_of, citations."""


@dataclass
class ChangeSet:
    ref: str
    ref_label: str
    facts_added: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, label, value)"""
    facts_removed: list[tuple[str, str, str]] = field(default_factory=list)
    facts_changed: list[FactChange] = field(default_factory=list)
    sources_added: list[tuple[str, str]] = field(default_factory=list)
    sources_removed: list[tuple[str, str]] = field(default_factory=list)
    sources_edited: list[tuple[str, str]] = field(default_factory=list)
    disagreements_appeared: list[tuple[str, str, str]] = field(default_factory=list)
    """(fact id, source, what it states)"""
    disagreements_resolved: list[tuple[str, str, str]] = field(default_factory=list)
    before_sources: dict[str, Source] = field(default_factory=dict, repr=False)
    """The sources as they were at the earlier state, to name those no longer cited."""

    @property
    def empty(self) -> bool:
        return not any(
            getattr(self, name)
            for name in (
                "facts_added",
                "facts_removed",
                "facts_changed",
                "sources_added",
                "sources_removed",
                "sources_edited",
                "disagreements_appeared",
                "disagreements_resolved",
            )
        )


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise CitebriefError("git is not installed", "install git to compare editions") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        last = message[-1] if message else "unknown error"
        if "not a git repository" in last:
            raise CitebriefError(
                "the project is not in a git repository",
                "editions are compared through git history: run `git init` and commit",
            )
        raise CitebriefError(f"git {args[0]} failed: {last}")
    return done.stdout


def default_ref(root: Path) -> str:
    """The last commit that changed a briefing's edition date, else HEAD~1."""
    found = (
        _git(root, "log", "-n", "1", "--format=%H", "-G", "^edition:", "--", "briefings")
        .decode()
        .strip()
    )
    if found:
        return found
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD~1")
    except CitebriefError as exc:
        if "not in a git repository" in exc.message:
            raise
        raise CitebriefError(
            "there is no earlier edition to compare with: no commit changed an edition date, "
            "and there is no commit before HEAD",
            "commit the briefings once, then compare; or name a ref: `citebrief diff REF`",
        ) from None
    return "HEAD~1"


def describe(root: Path, ref: str) -> str:
    return _git(root, "log", "-n", "1", "--format=%h (%ad)", "--date=short", ref).decode().strip()


def corpus_at(root: Path, ref: str) -> Corpus:
    """Load the fact base as it was at ``ref``, from git, without touching the work tree:
    its facts, sources and register."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except CitebriefError as exc:
        if "not in a git repository" in exc.message:
            raise
        raise CitebriefError(
            f"git has no commit '{ref}' to compare with",
            "give a ref that exists (`git log --oneline` lists them)",
        ) from None
    with temporary_folder("citebrief-diff-", ("sources", "briefings/facts")) as folder:
        for name, data in _files_at(root, ref, _READ_AT_REF).items():
            write_temporary(folder / name, data)
        return load_corpus(Project(folder)).corpus


_READ_AT_REF = ("sources", "briefings/facts", REGISTER_FILE)
"""What the fact base is made of, the register (entities, units, measures) included, so that
a past commit's facts are read as `check` read them then."""


def verified(corpus: Corpus) -> tuple[Corpus, tuple[Disagreement, ...]]:
    """The fact base with its disagreements: each fact's quotes found and the figures in them
    compared, nothing else of `check` (the prose checks do not change a disagreement)."""
    new_run()
    found = [d for fact in corpus.facts.values() for d in verify_fact(fact, corpus, False)[2]]
    return corpus, tuple(found)


def verified_like(
    corpus: Corpus, other: tuple[Corpus, tuple[Disagreement, ...]]
) -> tuple[Corpus, tuple[Disagreement, ...]]:
    """The disagreements of ``corpus``, verified once: a fact that reads as it does in
    ``other`` (wherever it stands in its file) and whose sources read as they do there has
    the disagreements it has there; only the others are verified (all of them when the
    register changed)."""
    same = _unchanged_facts(corpus, other[0]) if _same_register(corpus, other[0]) else set()
    kept = [d for d in other[1] if d.fact_id in same]
    changed = [f for f in corpus.facts.values() if f.id not in same]
    found = [d for fact in changed for d in verify_fact(fact, corpus, False)[2]]
    return corpus, tuple(kept + found)


_NOWHERE = Location("", 0, 0)


def _unchanged_facts(corpus: Corpus, other: Corpus) -> set[str]:
    sources = {
        sid
        for sid, source in corpus.sources.items()
        if sid in other.sources and _unplaced_source(source) == _unplaced_source(other.sources[sid])
    }
    return {
        fid
        for fid, fact in corpus.facts.items()
        if fid in other.facts
        and all(c.source in sources for c in fact.citations)
        and _unplaced(fact) == _unplaced(other.facts[fid])
    }


def _same_register(corpus: Corpus, other: Corpus) -> bool:
    def unplaced(items: dict[str, Any]) -> dict[str, Any]:
        return {k: replace(v, location=None) for k, v in items.items()}

    return all(
        unplaced(getattr(corpus, name)) == unplaced(getattr(other, name))
        for name in ("entities", "units", "measures")
    )


def _unplaced(fact: Fact) -> Fact:
    """The fact with every location taken out: a fact moved down its file is the same fact."""
    citations = tuple(replace(c, location=_NOWHERE) for c in fact.citations)
    return replace(
        fact,
        citations=citations,
        location=_NOWHERE,
        value_location=_NOWHERE,
        subject_location=None,
        unit_location=None,
        measure_location=None,
        acknowledged=tuple(replace(a, location=_NOWHERE) for a in fact.acknowledged),
    )


def _unplaced_source(source: Source) -> Source:
    return replace(source, location=_NOWHERE)


def _files_at(root: Path, ref: str, folders: tuple[str, ...]) -> dict[str, bytes]:
    """The regular files under ``folders`` at ``ref``, read from git's objects as data.

    A symbolic link, a submodule or a file over MAX_INPUT_BYTES that the commit held is left
    out: nothing is followed, extracted or written outside the temporary folder (`git
    archive` with tarfile refused a link to an absolute path: "AbsoluteLinkError")."""
    listing = _git(root, "ls-tree", "-r", "-l", "-z", ref, "--", *folders)
    wanted: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        meta, _, raw_name = record.partition(b"\t")
        fields = meta.split()
        if len(fields) != 4 or fields[1] != b"blob" or fields[0] not in (b"100644", b"100755"):
            continue
        name = raw_name.decode("utf-8", "surrogateescape")
        parts = name.split("/")
        if int(fields[3]) > MAX_INPUT_BYTES or ".." in parts or name.startswith("/"):
            continue
        wanted.append((name, fields[2].decode("ascii")))
    return dict(zip([n for n, _ in wanted], _blobs(root, [o for _, o in wanted]), strict=True))


def _blobs(root: Path, objects: list[str]) -> list[bytes]:
    """The contents of git objects, read by one `git cat-file --batch`."""
    if not objects:
        return []
    done = subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch"],
        input="".join(f"{o}\n" for o in objects).encode("ascii"),
        capture_output=True,
        check=True,
    )
    out, at, found = done.stdout, 0, []
    for _ in objects:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        found.append(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return found


def compare(project: Project, ref: str | None = None, *, dates: DateStyle) -> ChangeSet:
    """Compare the fact base at ``ref`` with the working tree's, each verified once: the
    facts a commit left as they were are not verified again."""
    root = project.root
    ref = ref or default_ref(root)
    before = corpus_at(root, ref)
    now = verified(load_corpus(project).corpus)
    return compare_corpora(verified_like(before, now), now, ref, describe(root, ref), dates)


def compare_corpora(
    before: tuple[Corpus, tuple[Disagreement, ...]],
    after: tuple[Corpus, tuple[Disagreement, ...]],
    ref: str,
    ref_label: str,
    dates: DateStyle,
) -> ChangeSet:
    """What changed between two loaded fact bases (from git, or an edition's snapshot)."""
    changes = ChangeSet(ref, ref_label, before_sources=dict(before[0].sources))
    _compare_facts(before[0], after[0], changes, dates)
    _compare_sources(before[0], after[0], changes)
    old = {(d.fact_id, d.source, d.stated) for d in before[1]}
    new = {(d.fact_id, d.source, d.stated) for d in after[1]}
    changes.disagreements_appeared = sorted(new - old)
    changes.disagreements_resolved = sorted(old - new)
    return changes


def _compare_facts(before: Corpus, after: Corpus, changes: ChangeSet, dates: DateStyle) -> None:
    for fid in sorted(set(after.facts) - set(before.facts)):
        f = after.facts[fid]
        changes.facts_added.append((fid, f.label, value_with_unit(f, after.units, dates)))
    for fid in sorted(set(before.facts) - set(after.facts)):
        f = before.facts[fid]
        changes.facts_removed.append((fid, f.label, value_with_unit(f, before.units, dates)))
    for fid in sorted(set(before.facts) & set(after.facts)):
        diffs = _fact_diffs(before.facts[fid], after.facts[fid], before.units, after.units, dates)
        if diffs:
            changes.facts_changed.append(FactChange(fid, after.facts[fid].label, tuple(diffs)))


def _fact_diffs(
    old: Fact, new: Fact, old_units: dict[str, Unit], new_units: dict[str, Unit], dates: DateStyle
) -> list[tuple[str, str, str]]:
    diffs = []
    pairs = [
        ("value", value_with_unit(old, old_units, dates), value_with_unit(new, new_units, dates)),
        (
            "qualifier",
            old.qualifier.value if old.qualifier else "",
            new.qualifier.value if new.qualifier else "",
        ),
        (
            "date precision",
            old.date.precision.value if old.date else "",
            new.date.precision.value if new.date else "",
        ),
        ("label", old.label, new.label),
        ("as of", _as_of(old, dates), _as_of(new, dates)),
        ("note", old.note, new.note),
    ]
    diffs += [(what, a, b) for what, a, b in pairs if a != b]
    old_c = {(c.source, _cited_words(c)): c.disagrees for c in old.citations}
    new_c = {(c.source, _cited_words(c)): c.disagrees for c in new.citations}
    for source, quote in sorted(new_c.keys() - old_c.keys()):
        diffs.append(("citation added", "", _cited(source, quote, new_c[source, quote])))
    for source, quote in sorted(old_c.keys() - new_c.keys()):
        diffs.append(("citation removed", _cited(source, quote, old_c[source, quote]), ""))
    for key in sorted(old_c.keys() & new_c.keys()):
        if old_c[key] != new_c[key]:  # the same quote, cited for another reason
            before, after = (_cited(*key, c[key], supports=True) for c in (old_c, new_c))
            diffs.append(("citation reason", before, after))
    return diffs


def _as_of(fact: Fact, dates: DateStyle) -> str:
    return format_date(PartialDate.of(fact.as_of), dates) if fact.as_of else ""


def _cited_words(citation: Citation) -> str:
    """The quote, or for a table's cell its row and column."""
    if citation.cell is None:
        return citation.quote
    return f"row {citation.cell.row}, column {citation.cell.column}"


def _cited(source: str, quote: str, disagrees: str, supports: bool = False) -> str:
    """A citation as a change shows it: its source and quote, and why it disagrees if it
    does (with ``supports``, that it supports the value if it does not)."""
    if disagrees:
        return f"{source}: “{quote}” (disagrees: {disagrees})"
    return f"{source}: “{quote}”" + (" (supports the value)" if supports else "")


def _compare_sources(before: Corpus, after: Corpus, changes: ChangeSet) -> None:
    changes.sources_added = [
        (s, after.sources[s].title) for s in sorted(set(after.sources) - set(before.sources))
    ]
    changes.sources_removed = [
        (s, before.sources[s].title) for s in sorted(set(before.sources) - set(after.sources))
    ]
    for sid in sorted(set(before.sources) & set(after.sources)):
        a, b = before.sources[sid], after.sources[sid]
        if a.text != b.text or a.sha256 != b.sha256:
            changes.sources_edited.append((sid, "archived text changed"))
        elif (
            a.title,
            a.publisher,
            a.author,
            a.url,
            a.published,
            a.reliability,
            a.reliability_note,
        ) != (
            b.title,
            b.publisher,
            b.author,
            b.url,
            b.published,
            b.reliability,
            b.reliability_note,
        ):
            changes.sources_edited.append((sid, "front matter changed"))


# --- output --------------------------------------------------------------------------------------


def as_json(changes: ChangeSet) -> str:
    data = asdict(changes)
    data.pop("before_sources")
    data["facts_changed"] = [
        {
            "id": c.id,
            "label": c.label,
            "changes": [{"what": w, "before": a, "after": b} for w, a, b in c.changes],
        }
        for c in changes.facts_changed
    ]
    return json.dumps(data, indent=2, ensure_ascii=False)


def as_text(changes: ChangeSet) -> str:
    lines = [f"changes since {changes.ref_label}:"]
    if changes.empty:
        return lines[0] + " none"
    for fid, label, value in changes.facts_added:
        lines.append(f"+ fact {fid}: {value} ({label})")
    for fid, label, value in changes.facts_removed:
        lines.append(f"- fact {fid}: {value} ({label})")
    for change in changes.facts_changed:
        for what, a, b in change.changes:
            lines.append(f"~ fact {change.id}: {what}: {a or '—'} → {b or '—'}")
    lines += [f"+ source {sid}: {title}" for sid, title in changes.sources_added]
    lines += [f"- source {sid}: {title}" for sid, title in changes.sources_removed]
    lines += [f"~ source {sid}: {what}" for sid, what in changes.sources_edited]
    lines += [
        f"+ disagreement on {f}: {s} states “{v}”" for f, s, v in changes.disagreements_appeared
    ]
    lines += [
        f"- disagreement on {f}: {s} states “{v}” (resolved)"
        for f, s, v in changes.disagreements_resolved
    ]
    return "\n".join(lines)


def as_markdown(changes: ChangeSet) -> str:
    """A list a briefing can include under 'What changed since the last edition'."""
    if changes.empty:
        return f"No fact, source or disagreement has changed since {changes.ref_label}.\n"
    items = [f"- New: {label}: {value}" for _, label, value in changes.facts_added]
    items += [f"- Withdrawn: {label} ({value})" for _, label, value in changes.facts_removed]
    for change in changes.facts_changed:
        parts = "; ".join(f"{what} {a or 'none'} → {b or 'none'}" for what, a, b in change.changes)
        items.append(f"- Revised: {change.label}: {parts}")
    items += [f"- New source: {title} (`{sid}`)" for sid, title in changes.sources_added]
    items += [f"- Source edited: `{sid}` ({what})" for sid, what in changes.sources_edited]
    items += [
        f"- New disagreement: `{s}` states “{v}” for `{f}`"
        for f, s, v in changes.disagreements_appeared
    ]
    items += [
        f"- Resolved disagreement: `{s}` on `{f}`" for f, s, v in changes.disagreements_resolved
    ]
    return f"Since {changes.ref_label}:\n\n" + "\n".join(map(_ended, items)) + "\n"


def _ended(sentence: str) -> str:
    """The sentence with one full stop: none added after one it ends with already (a note, a
    title or a quote may end with '.', '?' or '!', inside a closing quotation mark or not)."""
    return sentence if sentence.rstrip("”’\"'").endswith((".", "?", "!")) else sentence + "."
