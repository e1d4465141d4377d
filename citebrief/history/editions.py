"""Editions: a briefing frozen as published, and what changed since its previous one.

`citebrief publish NAME` copies the briefing's PDF, HTML (and DOCX when built) into
``editions/NAME/EDITION/`` with a snapshot of what it used: its spec, the fact files
holding its facts, and the archived sources they cite. The snapshot is itself a small
project, loaded like any other. From then on `check` refuses content changes made under
the same `edition:` date, and "What changed" compares the briefing with its own previous
edition, read from the snapshots (never from git).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..claims.verify import Disagreement
from ..common.files import MAX_INPUT_BYTES, UnsafeFile, read_bounded
from ..common.write import make_real_folder, write_problem
from ..errors import CitebriefError, Location, Problem, ProblemsFound, Severity, error
from ..facts.corpus import Project, load_corpus
from ..facts.display import format_date
from ..facts.usage import shown_facts
from ..model import Corpus, DateStyle, PartialDate
from .diff import ChangeSet, compare_corpora, verified_like

EDITIONS_DIR = "editions"
SNAPSHOT_DIR = "snapshot"
RECORD = "edition.json"
OUTPUT_SUFFIXES = (".pdf", ".html", ".evidence.html", ".docx")

State = tuple[Corpus, tuple[Disagreement, ...]]


@dataclass(frozen=True)
class Edition:
    """One published edition of a briefing, as recorded in its edition.json."""

    briefing: str
    date: dt.date
    folder: Path
    facts: tuple[str, ...]
    """The facts and derived figures it showed."""
    sources: tuple[str, ...]

    def label(self, dates: DateStyle) -> str:
        return f"the edition of {format_date(partial_date(self.date), dates)}"


def partial_date(date: dt.date) -> PartialDate:
    return PartialDate(date.year, date.month, date.day)


def read_editions(root: Path, briefing: str) -> tuple[list[Edition], list[Problem]]:
    """The published editions of ``briefing``, oldest first, each checked against its
    edition.json: a damaged or edited edition is an error at its file, and is left out (its
    snapshot is not compared with anything)."""
    folder = root / EDITIONS_DIR / briefing
    if not folder.is_dir() or folder.is_symlink() or folder.parent.is_symlink():
        return [], []  # stray_editions reports the link
    found: list[Edition] = []
    problems: list[Problem] = []
    for child in sorted(folder.iterdir()):
        if _STAGING.match(child.name) and child.is_dir() and not child.is_symlink():
            problems.append(_unfinished(root, child))
            continue
        if not child.is_dir() or child.is_symlink():
            problems.append(_not_an_edition(root, child))
            continue
        edition, wrong = _read_edition(root, briefing, child)
        problems.extend(wrong)
        if edition is not None and not wrong:
            found.append(edition)
    return sorted(found, key=lambda e: e.date), problems


def stray_editions(root: Path, briefings: set[str]) -> list[Problem]:
    """What under editions/ no briefing's own check reads: editions/ or a briefing's folder
    there reached through a link (its content would lie outside the project, and change
    outside git), a file among the briefings' folders, and the editions of a briefing that
    is gone or renamed, which stay frozen all the same (their files are checked against
    their records)."""
    top = root / EDITIONS_DIR
    if top.is_symlink() or (top.exists() and not top.is_dir()):
        return [_not_an_edition(root, top)]
    if not top.is_dir():
        return []
    problems = []
    for child in sorted(top.iterdir()):
        if child.is_symlink() or not child.is_dir():
            problems.append(_not_an_edition(root, child))
        elif child.name not in briefings:
            problems.extend(read_editions(root, child.name)[1])
    return problems


def _not_an_edition(root: Path, path: Path) -> Problem:
    """A link or a file where only `publish`'s folders belong."""
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        message = "this is a symbolic link; published editions are kept in the project itself"
        what = "folder" if path.is_dir() else "file"
        hint = f"put the {what} itself at {rel}, in place of the link, or restore it from git"
    else:
        message = "this is not an edition: only the folders `publish` makes belong here"
        hint = f"delete {rel} (`git status {rel}` shows whether it was ever committed)"
    return error(Location(rel), "edition-damaged", message, hint)


def _read_edition(root: Path, briefing: str, folder: Path) -> tuple[Edition | None, list[Problem]]:
    rel = folder.relative_to(root).as_posix()
    record = f"{rel}/{RECORD}"
    try:
        text = read_bounded(folder / RECORD, MAX_INPUT_BYTES).decode("utf-8")
    except FileNotFoundError:
        return None, [_damaged(Location(rel), f"this edition folder has no {RECORD}", rel)]
    except UnicodeDecodeError:
        return None, [_damaged(Location(record), "this edition record is not UTF-8 text", rel)]
    except UnsafeFile as exc:
        return None, [_damaged(Location(record), f"not read: {exc.reason}", rel)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Location(record, exc.lineno, exc.colno)
        return None, [_damaged(where, f"this edition record is not valid JSON ({exc.msg})", rel)]
    wrong = _record_problem(data, briefing, folder.name)
    if wrong:
        line = _key_line(text, wrong[0])
        return None, [_damaged(Location(record, line), f"this edition record {wrong[1]}", rel)]
    edition = Edition(
        briefing,
        dt.date.fromisoformat(data["edition"]),
        folder,
        tuple(data["facts"]),
        tuple(data["sources"]),
    )
    return edition, _file_problems(folder, rel, data["files"])


def _record_problem(data: Any, briefing: str, folder_name: str) -> tuple[str, str] | None:
    """(the key at fault, what is wrong) for a record that is not as publish writes it."""
    if not isinstance(data, dict):
        return "", "is not a JSON object with the keys publish writes"
    for key, what in _RECORD_KEYS.items():
        if not isinstance(data.get(key), type(what[0])):
            return key, f"has no '{key}' ({what[1]})"
    if data["briefing"] != briefing:
        return "briefing", f"is for briefing '{data['briefing']}', not '{briefing}'"
    if data["edition"] != folder_name:
        return "edition", f"records the edition of {data['edition']}, not of {folder_name}"
    try:
        dt.date.fromisoformat(data["edition"])
    except ValueError:
        return "edition", f"has an edition date that is not a date: '{data['edition']}'"
    if not all(isinstance(x, str) for x in (*data["facts"], *data["sources"])):
        return "facts", "has a fact or source id that is not text"
    if data.get("digest") != record_digest(data):
        return "digest", (
            "was edited after the edition was published (its 'digest' does not match its content)"
        )
    if f"{SNAPSHOT_DIR}/briefings/{briefing}.md" not in data["files"]:
        return (
            "files",
            f"does not list the snapshot of the briefing ({SNAPSHOT_DIR}/briefings/{briefing}.md)",
        )
    for name, digest in data["files"].items():
        if not (_safe_name(name) and isinstance(digest, str) and _SHA256.fullmatch(digest)):
            return "files", f"has an unusable entry in 'files': '{name}'"
    for source in data["sources"]:
        if f"{SNAPSHOT_DIR}/sources/{source}.txt" not in data["files"]:
            return "files", f"does not list the snapshot of source '{source}', which it cites"
    return None


def record_digest(data: Any) -> str:
    """The SHA-256 of a record's content (every key but 'digest', in a canonical form).

    It makes a hand edit of the record (an entry removed, a hash swapped) visible; someone
    who recomputes it on purpose is seen in the git history, which is the edition's record
    of last resort."""
    content = {key: value for key, value in data.items() if key != "digest"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return _sha256(canonical.encode("utf-8"))


_RECORD_KEYS: dict[str, tuple[Any, str]] = {
    "edition": ("", "the edition's date, YYYY-MM-DD"),
    "briefing": ("", "the briefing's name"),
    "facts": ([], "a list of the facts it shows"),
    "sources": ([], "a list of the sources they cite"),
    "files": ({}, "each file's SHA-256 hash"),
    "digest": ("", "the SHA-256 of the record itself"),
}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _key_line(text: str, key: str) -> int:
    if key:
        for number, line in enumerate(text.splitlines(), 1):
            if f'"{key}"' in line:
                return number
    return 1


def _file_problems(folder: Path, rel: str, files: dict[str, str]) -> list[Problem]:
    """Each file of the edition against the hash its record holds; every other file in the
    folder is reported too (an added page beside the outputs would be served as part of the
    edition; a snapshot file would be read as what it showed)."""
    problems = []
    for name, digest in sorted(files.items()):
        where = Location(f"{rel}/{name}")
        try:
            data = read_bounded(folder / name, MAX_EDITION_FILE)
        except FileNotFoundError:
            problems.append(_damaged(where, "this file of the published edition is missing", rel))
            continue
        except UnsafeFile as exc:
            problems.append(_damaged(where, f"not read: {exc.reason}", rel))
            continue
        if _sha256(data) != digest:
            problems.append(
                _damaged(where, "this file was changed after the edition was published", rel)
            )
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() and name not in files and name != RECORD:  # a folder of it, too
            problems.append(_not_an_edition(folder.parents[2], path))
        elif name not in files and name != RECORD and not path.is_dir():
            problems.append(
                _damaged(
                    Location(f"{rel}/{name}"),
                    "this file was added to the published edition (its record does not list it)",
                    rel,
                    f"a published edition is frozen: delete this file (`git clean -n {rel}/` "
                    "lists the files added there)",
                )
            )
    return problems


MAX_EDITION_FILE = 512 * 1024 * 1024
"""Largest file of an edition that is hashed (a PDF with many charts stays far below)."""


_STAGING = re.compile(r"\.\d{4}-\d{2}-\d{2}\.[^/]+\Z")
"""The hidden folder `publish` writes an edition into before renaming it into place."""


def _unfinished(root: Path, folder: Path) -> Problem:
    """A publication stopped before its edition was complete (killed, or the machine went
    down): the folder is not an edition, and is never read as one."""
    rel = folder.relative_to(root).as_posix()
    date = folder.name[1:11]
    return error(
        Location(rel),
        "edition-unfinished",
        f"a `publish` was stopped before it finished the edition of {date}: this folder is "
        "not an edition, and nothing was published",
        f"delete {rel}/ (the next `publish` does so itself), then publish again",
    )


def remove_unfinished(root: Path, briefing: str) -> None:
    """Delete what an interrupted `publish` left of its editions (called under the lock that
    lets one `publish` run at a time, so no other is writing one)."""
    folder = root / EDITIONS_DIR / briefing
    if folder.is_dir() and not folder.is_symlink():
        for child in folder.iterdir():
            if _STAGING.match(child.name) and child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)


def _damaged(where: Location, message: str, folder: str, hint: str = "") -> Problem:
    return error(
        where,
        "edition-damaged",
        message,
        hint or f"a published edition is frozen: restore it from git (`git checkout -- {folder}/`)",
    )


def snapshot_state(edition: Edition, now: State, dates: DateStyle) -> tuple[State, str]:
    """The fact base the edition used, and its briefing spec's text, from the snapshot; only
    the facts that differ from ``now``'s are verified again (the rest have now's
    disagreements, as `diff` does)."""
    snapshot = edition.folder / SNAPSHOT_DIR
    loaded = load_corpus(Project(snapshot))
    errors = [p for p in loaded.problems if p.severity == Severity.ERROR]
    if errors:  # intact (its hashes match) but no longer read: say where, never compare it
        prefix = f"{EDITIONS_DIR}/{edition.briefing}/{edition.folder.name}/{SNAPSHOT_DIR}/"
        raise ProblemsFound(
            [
                replace(p, location=replace(p.location, path=prefix + p.location.path))
                for p in errors
            ],
            f"{edition.label(dates)} of '{edition.briefing}' cannot be read back from its snapshot",
            {prefix + k: v for k, v in loaded.texts.items()},
        )
    spec = snapshot / "briefings" / f"{edition.briefing}.md"
    corpus = loaded.corpus
    return verified_like(corpus, now), spec.read_text(encoding="utf-8")


def used_ids(document: Any, corpus: Corpus) -> tuple[set[str], set[str]]:
    """The facts (with derived figures and their inputs) a briefing shows, and the sources
    those facts cite."""
    facts = set(shown_facts(document, corpus))
    for derived_id in facts & set(corpus.derived):
        item = corpus.derived[derived_id]
        facts |= {*item.inputs, item.compare_with} - {""}
    sources = {
        c.source for fid in facts if fid in corpus.facts for c in corpus.facts[fid].citations
    }
    return facts & ({*corpus.facts, *corpus.derived}), sources


def restricted(state: State, fact_ids: set[str]) -> State:
    """Only these facts, the derived figures among them, and the sources they cite."""
    corpus, disagreements = state
    facts = {k: v for k, v in corpus.facts.items() if k in fact_ids}
    cited = {c.source for f in facts.values() for c in f.citations}
    kept = Corpus(
        sources={k: v for k, v in corpus.sources.items() if k in cited},
        facts=facts,
        derived={k: v for k, v in corpus.derived.items() if k in fact_ids},
        **_other_fields(corpus),
    )
    return kept, tuple(d for d in disagreements if d.fact_id in fact_ids)


def _other_fields(corpus: Corpus) -> dict[str, Any]:
    from dataclasses import fields

    return {
        f.name: getattr(corpus, f.name)
        for f in fields(corpus)
        if f.name not in ("sources", "facts", "derived")
    }


def changes_since(edition: Edition, now: State, dates: DateStyle) -> ChangeSet:
    """What changed in the fact base since ``edition``, read from its snapshot."""
    before, _ = snapshot_state(edition, now, dates)
    return compare_corpora(before, now, edition.date.isoformat(), edition.label(dates), dates)


# --- sentences a principal can read -----------------------------------------------------------


# --- check: a published edition is frozen ---------------------------------------------------


# --- publish ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    folder: Path
    files: tuple[str, ...]


def publish(
    root: Path, document: Any, now: State, texts: dict[str, str], outputs: Path
) -> Published:
    """Freeze the briefing's built outputs and a snapshot of what it used."""
    spec = document.spec
    date = spec.meta.edition
    target = root / EDITIONS_DIR / spec.name / date.isoformat()
    if target.exists():
        raise CitebriefError(
            f"the edition of {format_date(partial_date(date), spec.house.dates)} of '{spec.name}' is already published "
            f"({EDITIONS_DIR}/{spec.name}/{date.isoformat()}/)",
            "to publish again, give the briefing a new `edition:` date",
        )
    facts, sources = used_ids(document, now[0])
    files = _edition_files(root, spec, facts, sources, now[0], outputs)
    record = {
        "briefing": spec.name,
        "edition": date.isoformat(),
        "facts": sorted(facts),
        "sources": sorted(sources),
        "files": {name: _sha256(data) for name, data in sorted(files.items())},
    }
    record["digest"] = record_digest(record)
    files[RECORD] = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()
    try:
        _write_folder(root, target, files)
    except OSError as exc:
        if not target.is_dir():  # not published by anyone: the folder refused (read-only)
            where = Location(target.relative_to(root).as_posix())
            raise ProblemsFound([write_problem(where, exc)], "") from exc
        raise CitebriefError(  # published meanwhile by another process (it keeps its edition)
            f"the edition of {format_date(partial_date(date), spec.house.dates)} of '{spec.name}' was published by "
            f"another run meanwhile ({EDITIONS_DIR}/{spec.name}/{date.isoformat()}/)",
            "to publish again, give the briefing a new `edition:` date",
        ) from exc
    return Published(target, tuple(sorted(files)))


def _edition_files(
    root: Path, spec: Any, facts: set[str], sources: set[str], corpus: Corpus, outputs: Path
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for suffix in OUTPUT_SUFFIXES:
        built = outputs / f"{spec.name}{suffix}"
        if built.is_file():
            files[built.name] = built.read_bytes()
    fact_files = {
        item.location.path
        for fid in facts
        for item in [corpus.facts.get(fid) or corpus.derived.get(fid)]
        if item is not None
    }
    snapshot = [spec.path, *sorted(fact_files), *(f"sources/{s}.txt" for s in sorted(sources))]
    if (root / "briefings/entities.yaml").is_file():
        snapshot.append("briefings/entities.yaml")
    for rel in snapshot:
        files[f"{SNAPSHOT_DIR}/{rel}"] = (root / rel).read_bytes()
    return files


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _write_folder(root: Path, target: Path, files: dict[str, bytes]) -> None:
    """Write every file into a hidden folder beside ``target``, then rename it into place.
    A file the system refuses (a full disk) is an error at the file it would have become,
    and nothing is left behind."""
    make_real_folder(target.parent, within=target.parents[1], generated=False)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for rel, data in files.items():
            path = staging / rel
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            except OSError as exc:
                where = Location((target / rel).relative_to(root).as_posix())
                raise ProblemsFound([write_problem(where, exc)], "") from exc
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
