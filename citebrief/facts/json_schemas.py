"""JSON Schemas for the files staff edit, exported from the pydantic models of schema.py.

Editors use them to validate as staff type: fact files name theirs in a first-line
comment (`# yaml-language-server: $schema=…`, read by the YAML extension of VS Code and
other editors). The schemas describe the shape only; `check` still verifies quotes,
figures and ids.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from ..common.write import write_outputs
from .schema import BriefingFrontMatter, DerivedEntry, FactEntry, SourceFrontMatter, help_for

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"


class SchemaKind(StrEnum):
    FACTS = "facts"
    SOURCE = "source"
    BRIEFING = "briefing"


_TITLES = {
    SchemaKind.FACTS: "citebrief fact file: one fact, or a list of facts and derived figures",
    SchemaKind.SOURCE: "citebrief source front matter (the YAML between --- lines in sources/*.txt)",
    SchemaKind.BRIEFING: "citebrief briefing front matter (the YAML between --- lines in briefings/*.md)",
}


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    if kind == SchemaKind.FACTS:
        entry = FactEntry | DerivedEntry
        adapter: TypeAdapter[Any] = TypeAdapter(entry | list[entry])  # type: ignore[valid-type]
    elif kind == SchemaKind.SOURCE:
        adapter = TypeAdapter(SourceFrontMatter)
    else:
        adapter = TypeAdapter(BriefingFrontMatter)
    schema = adapter.json_schema()
    _describe(schema)
    return {"$schema": DRAFT, "title": _TITLES[kind], **schema}


def _describe(node: Any) -> None:
    """Give every property the plain-words help check uses, so editors show it on hover."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            help_text = help_for(str(node.get("title", "")), name)
            if isinstance(prop, dict) and help_text:
                prop.setdefault("description", help_text)
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def schema_text(kind: SchemaKind) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(kind: SchemaKind) -> str:
    return f"{SCHEMA_DIR}/{kind.value}.schema.json"


def schema_comment(fact_file: str) -> str:
    """The first line a fact file at ``fact_file`` (relative to the project) carries."""
    depth = len(Path(fact_file).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}{schema_path(SchemaKind.FACTS)}"


def write_schemas(root: Path) -> list[str]:
    """Write every schema into the project's schemas/ folder; return the paths written."""

    files = {f"{kind.value}.schema.json": schema_text(kind).encode() for kind in SchemaKind}
    write_outputs(root / SCHEMA_DIR, files)
    return [schema_path(kind) for kind in SchemaKind]
