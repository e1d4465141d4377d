"""The source archive: write an archived text with its front matter and hash."""

from __future__ import annotations

import json
from collections.abc import Mapping

from .verify import sha256_text

FIELD_ORDER = (
    "id",
    "title",
    "publisher",
    "author",
    "url",
    "published",
    "retrieved",
    "kind",
    "reliability",
    "reliability_note",
    "note",
    "sha256",
)


def source_file_text(meta: Mapping[str, str], body: str) -> str:
    """The full text of a source file: front matter (with the body's sha256), then the body."""
    fields = {**meta, "sha256": sha256_text(body)}
    lines = ["---"]
    for name in FIELD_ORDER:
        if fields.get(name):
            lines.append(f"{name}: {_yaml_scalar(fields[name])}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def _yaml_scalar(value: str) -> str:
    if value.replace("-", "").isdigit() and len(value) == 10:
        return value  # an ISO date
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML string
