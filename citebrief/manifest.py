"""What shaped each output, so a build can skip outputs whose inputs did not change.

``output/manifest.json`` records, per briefing, a hash of every input that shaped it:
the spec, each fact it shows, each source those facts cite (or every source, when the
briefing lists them all), the templates and CSS, and the tool itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document, Generated
from .model import Derived, Fact, Source

MANIFEST = "manifest.json"
FORMAT = 1


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """One hash over every file under ``folder`` (names and contents), in sorted order."""
    h = hashlib.sha256()
    for path in sorted(
        p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts
    ):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def tool_digest() -> str:
    return f"{__version__}:{tree_digest(Path(__file__).parent, '*.py')[:16]}"


def fact_digest(fact: Fact) -> str:
    data = {
        "label": fact.label,
        "kind": fact.kind,
        "number": str(fact.number),
        "unit": fact.unit,
        "qualifier": fact.qualifier.value if fact.qualifier else None,
        "date": fact.date.iso() if fact.date else None,
        "text": fact.text,
        "as_of": fact.as_of.isoformat() if fact.as_of else None,
        "note": fact.note,
        "citations": [[c.source, c.quote, c.disagrees, c.note] for c in fact.citations],
    }
    return digest(json.dumps(data, sort_keys=True, ensure_ascii=False))


def source_digest(source: Source) -> str:
    fields = [
        source.id,
        source.title,
        source.publisher,
        source.author,
        source.url,
        str(source.published),
        str(source.retrieved),
        source.kind,
        source.reliability,
        source.reliability_note,
        source.note,
        source.sha256,
        str(source.body_line),
    ]
    return digest("\0".join(fields) + "\0" + source.text)


def briefing_inputs(
    document: Document, spec_text: str, templates: str, tool: str, derived: dict[str, Derived]
) -> dict[str, str]:
    """Every input that shapes this briefing's outputs, each with its hash."""
    sections = {b.section for b in document.blocks if isinstance(b, Generated)}
    fact_ids = set(document.facts_used)
    if "timeline" in sections:
        fact_ids |= {f.id for f in document.timeline}
    if "disagreements" in sections:
        fact_ids |= {d.fact_id for d in document.disagreements}
    facts = {fid: document.facts[fid] for fid in fact_ids if fid in document.facts}
    sources = {s.id: s for s in document.all_sources}
    if sections & {"sources", "assessment"}:
        source_ids = set(sources)
    else:
        source_ids = {c.source for f in facts.values() for c in f.citations} & set(sources)
    inputs = {"spec": digest(spec_text), "templates": templates, "tool": tool}
    changes = [
        b.html for b in document.blocks if isinstance(b, Generated) and b.section == "changes"
    ]
    if changes:
        inputs["changes"] = digest(changes[0])
    inputs |= {f"fact:{fid}": fact_digest(facts[fid]) for fid in sorted(facts)}
    inputs |= {f"source:{sid}": source_digest(sources[sid]) for sid in sorted(source_ids)}
    inputs |= {
        f"derived:{fid}": digest(repr((d.formula, d.inputs, d.unit, d.compare_with, d.label)))
        for fid, d in sorted(derived.items())
        if fid in document.facts_used
    }
    return inputs


def inputs_key(inputs: dict[str, str]) -> str:
    return digest(json.dumps(inputs, sort_keys=True))


@dataclass(frozen=True)
class Entry:
    """One briefing's record: the key of its inputs, the inputs, and its files' hashes."""

    key: str
    inputs: dict[str, str]
    files: dict[str, str]
    seconds: float
    pages: int
    built_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "inputs": self.inputs,
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "pages": self.pages,
            "built_at": self.built_at,
        }


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {
            name: Entry(
                e["key"],
                e["inputs"],
                e["files"],
                e.get("seconds", 0.0),
                e.get("pages", 0),
                e.get("built_at", ""),
            )
            for name, e in data["outputs"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # a missing or damaged manifest only means: rebuild everything


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    data = {"format": FORMAT, "outputs": {n: entries[n].to_json() for n in sorted(entries)}}
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def up_to_date(entry: Entry | None, key: str, out_dir: Path) -> bool:
    if entry is None or entry.key != key:
        return False
    for name, sha in entry.files.items():
        path = out_dir / name
        if not path.is_file() or digest(path.read_bytes()) != sha:
            return False
    return True
