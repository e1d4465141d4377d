"""A Document as plain JSON-like values: the canonical form golden tests compare and the
build manifest hashes. Dataclass fields marked ``metadata={"shown": False}`` are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from ..facts.schema import BriefingFrontMatter
from ..model import PartialDate

_LEAVES = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    cls = type(value)
    if cls in _LEAVES:  # most values; exact types, so an enum is not taken for one
        return value
    if cls is tuple or cls is list:
        return [plain(v) for v in value]
    if isinstance(value, BriefingFrontMatter):
        return value.model_dump(mode="json")
    if isinstance(value, PartialDate):
        return value.iso()
    shape = _SHAPES[cls] if cls in _SHAPES else _dataclass_shape(value)
    if shape is not None:
        names, kind = shape
        data = {name: plain(getattr(value, name)) for name in names}
        if kind is not None:
            data["kind"] = kind
        return data
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


_SHAPES: dict[type, tuple[tuple[str, ...], str | None] | None] = {}
"""Field names and ``kind`` of each dataclass met so far, None for a type that is not one
(looking them up was most of the work)."""


def _dataclass_shape(value: Any) -> tuple[tuple[str, ...], str | None] | None:
    shape = None
    if is_dataclass(value) and not isinstance(value, type):
        kind = getattr(type(value), "kind", None)
        names = getattr(type(value), "plain_fields", None) or tuple(
            f.name for f in fields(value) if f.metadata.get("shown", True)
        )
        shape = (names, kind if isinstance(kind, str) else None)
    _SHAPES[type(value)] = shape
    return shape
