"""A project's citebrief.toml: its name and the defaults its commands use."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..common.characters import DELETE_HINT, describe_control
from ..common.files import UnsafeFile, read_confined
from ..errors import Location, ProblemsFound, error
from ..model import DateStyle, House, Paper
from .schema import FIELD_HELP, ProjectDefaults, ProjectFile
from .styles import DEFAULT_STYLE, CitationStyle, StyleError, default_style, load_style

MARKER = "citebrief.toml"


@dataclass(frozen=True)
class Settings:
    """What citebrief.toml says; every field has a default so the file may be one line."""

    name: str = ""
    """The project's name, as staff call the subject."""
    template: str | None = None
    """The template of a briefing whose front matter names none (None: it must name one)."""
    strict: bool = False
    """Whether `check` treats warnings as errors without being told `--strict`."""
    house: House = field(default_factory=House)
    """Paper, date style and language of every output ([house])."""
    citation_style: CitationStyle = field(default_factory=default_style)
    """The CSL style notes and source lists are formatted in ([house] citation_style)."""


def read_settings(root: Path) -> Settings:
    """Read and validate ``root/citebrief.toml``; a bad file is a located error."""
    try:
        data_bytes = read_confined(root / MARKER, root, 1024 * 1024, name="the project")
    except UnsafeFile as exc:
        raise ProblemsFound(
            [error(Location(MARKER), "settings", f"{MARKER} not read: {exc.reason}", exc.hint)],
            f"{MARKER} has an error",
        ) from None
    text = data_bytes.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(str(exc))
        raise _problem(
            Location(MARKER, line, column),
            f"{MARKER} is not valid TOML: {_plain(str(exc))}",
            'write one setting per line, e.g. name = "Export controls" (text in double quotes)',
            text,
        ) from None
    try:
        parsed = ProjectFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][-1]) if first["loc"] else ""
        control = describe_control(first["input"]) if isinstance(first["input"], str) else None
        raise _problem(
            Location(MARKER, _line_of_key(text, key), 1),
            f"setting '{'.'.join(str(p) for p in first['loc'])}' in {MARKER}: "
            + (
                f"it contains {control}"
                if control
                else f"{first['msg'][0].lower()}{first['msg'][1:]}"
            ),
            DELETE_HINT if control else _settings_hint(first["type"], first["loc"], key),
            text,
        ) from None
    defaults = parsed.defaults
    house = parsed.house
    style = _citation_style(root, house.citation_style if house else None, text)
    return Settings(
        name=parsed.name or "",
        template=defaults.template if defaults else None,
        strict=bool(defaults and defaults.strict),
        house=House(Paper(house.paper), DateStyle(house.dates), house.lang, style.name)
        if house
        else House(),
        citation_style=style,
    )


def _citation_style(root: Path, name: str | None, text: str) -> CitationStyle:
    """The style [house] names (the shipped default when it names none), read and checked."""
    if name is None or name == DEFAULT_STYLE:
        return default_style()
    where = Location(MARKER, _line_of_key(text, "citation_style"), 1)
    try:
        return load_style(root, name, where)
    except StyleError as exc:
        raise _problem(
            where, f"setting 'house.citation_style' in {MARKER}: {exc.message}", exc.hint, text
        ) from None


ALLOWED = (
    "allowed: name, under [defaults]: template, strict, "
    "and under [house]: paper, dates, lang, citation_style"
)


def _settings_hint(kind: str, loc: tuple[int | str, ...], key: str) -> str:
    """An unknown key is never told to change its value: a default written at the top
    level ('strict = true') belongs under [defaults]."""
    if kind == "extra_forbidden":
        if len(loc) == 1 and key in ProjectDefaults.model_fields:
            return (
                f"move it under a [defaults] line: every setting after [defaults] belongs to it "
                f"(e.g. [defaults] on one line, {key} = … on the next)"
            )
        return f"check the spelling; {ALLOWED}"
    help_text = FIELD_HELP.get(f"settings.{key}", "")
    return f"write {help_text}" if help_text else ALLOWED


def _problem(where: Location, message: str, hint: str, text: str) -> ProblemsFound:
    return ProblemsFound(
        [error(where, "settings", message, hint)],
        f"{MARKER} has an error",
        {MARKER: text},
    )


def _position(message: str) -> tuple[int, int]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)


def _plain(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message).lower()


def _line_of_key(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|{re.escape(key)}\s*=)")
    for number, line in enumerate(text.splitlines(), 1):
        if key and pattern.match(line):
            return number
    return 1
