"""Loaded YAML into a pydantic model, or problems located at the value that is wrong."""

from __future__ import annotations

from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..common.characters import DELETE_HINT, describe_control
from ..errors import Problem, error, in_quotes
from .load import Loaded
from .schema import (
    WarningCode,
    help_for,
)

M = TypeVar("M", bound=BaseModel)


def parse_model(
    schema: type[M], data: Any, loaded: Loaded, path: tuple[Any, ...], what: str
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (found at ``path`` in ``loaded``) against ``schema``."""
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        return None, _located_problems(exc, data, loaded, path, what, schema)


def _located_problems(
    exc: ValidationError,
    data: Any,
    loaded: Loaded,
    base: tuple[Any, ...],
    what: str,
    schema: type[BaseModel],
) -> list[Problem]:
    seen: dict[tuple[Any, ...], Problem] = {}
    for err in sorted(exc.errors(), key=_is_plain_type_error):
        loc = _data_path(data, err["loc"], err["type"])
        if loc in seen or _already_reported((*base, *loc), loaded):
            continue
        help_text = help_for(_owner(schema, loc).__name__, _field_name(loc))
        seen[loc] = _problem_for(err, loc, loaded, base, what, help_text)
    return list(seen.values())


def _is_plain_type_error(err: Any) -> bool:
    """False for the error that says most: a text with a control character in a field that
    also takes a number ('value') fails as 'not an integer' too; the character is the news."""
    return not (err["type"] == "string_pattern_mismatch" and _control_in(err.get("input")))


def _control_in(value: Any) -> str | None:
    return describe_control(value) if isinstance(value, str) else None


def _already_reported(path: tuple[Any, ...], loaded: Loaded) -> bool:
    return any(path[: len(done)] == done for done in loaded.reported)


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> tuple[Any, ...]:
    """Cut pydantic's error location down to the part that indexes the data itself."""
    path: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            kind == "extra_forbidden" and part == loc[-1]
        ):
            path.append(part)
            node = node.get(part) if isinstance(node, dict) else None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif kind == "missing" and part == loc[-1]:
            path.append(part)
        else:
            break
    return tuple(path)


def _field_name(loc: tuple[Any, ...]) -> str:
    return next((p for p in reversed(loc) if isinstance(p, str)), "")


def _owner(schema: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose field ``loc`` ends at (a citation's 'source' belongs to CitationEntry)."""
    owner: type[BaseModel] | None = schema
    found = schema
    for part in loc:
        if isinstance(part, str) and owner is not None and part in owner.model_fields:
            found = owner
            owner = _model_in(owner.model_fields[part].annotation)
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``list[CitationEntry] | None`` → CitationEntry)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        model = _model_in(arg)
        if model is not None:
            return model
    return None


def _problem_for(
    err: Any,
    loc: tuple[Any, ...],
    loaded: Loaded,
    base: tuple[Any, ...],
    what: str,
    help_text: str,
) -> Problem:
    field = _field_name(loc)
    if "citations" in loc[:-1]:
        what = "citation"
    if len(loc) >= 2 and loc[-2] == "acknowledge":
        return error(
            loaded.key_at((*base, *loc)),
            "acknowledge-unknown",
            f"'{field}' cannot be acknowledged: only warnings can "
            f"({', '.join(get_args(WarningCode))})",
            "an error must be fixed, not acknowledged; check the spelling of the warning's name",
        )
    if err["type"] == "missing":
        return error(
            loaded.at((*base, *loc[:-1])),
            "missing-field",
            f"{what} is missing the required field '{field}'",
            f"add '{field}:'" + (f" ({help_text})" if help_text else ""),
        )
    if err["type"] == "extra_forbidden":
        return error(
            loaded.key_at((*base, *loc)),
            "unknown-field",
            f"unknown field '{field}' in {what}",
            "check the spelling; the allowed fields are listed in the README",
        )
    found = err.get("input")
    if err["type"] == "value_error":  # our own readers' reasons, already in plain words
        return error(
            loaded.at((*base, *loc)),
            "wrong-value",
            f"field '{field}': {err['ctx']['error']}",
            f"write {help_text}" if help_text else "",
        )
    control = _control_in(found)
    if err["type"] == "string_pattern_mismatch" and control:
        return error(
            loaded.at((*base, *loc)),
            "control-character",
            f"field '{field}': it contains {control}",
            DELETE_HINT + " (type a space if it stood between two words)",
        )
    if err["type"] == "string_too_short":
        return error(
            loaded.at((*base, *loc)),
            "empty-field",
            f"field '{field}' is empty",
            f"write {help_text}" if help_text else f"write the {field}, or remove the field",
        )
    return error(
        loaded.at((*base, *loc)),
        "wrong-type",
        f"field '{field or 'entry'}' has an unusable value {_show(found)}: "
        f"{err['msg'][0].lower()}{err['msg'][1:]}",
        f"write {help_text}" if help_text else "",
    )


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "(a mapping)"
    if isinstance(value, list):
        return "(a list)"
    text = in_quotes(value) if isinstance(value, str) else str(value)
    return text if len(text) < 40 else text[:37] + "..."
