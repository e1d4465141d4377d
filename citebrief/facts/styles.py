"""Citation styles: the CSL file a project's notes and source list are formatted in.

``citebrief.toml [house] citation_style`` names a style citebrief ships (``apa.csl``), a
file of the project's own ``templates/csl/`` by the same kind of name, or a CSL file inside
the project by its path (``styles/house.csl``). The file is read and checked here, once,
so a missing or broken style is an error at its line of citebrief.toml, before any
briefing is composed.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..common.files import UnsafeFile, read_bounded, read_confined
from ..common.shipped import SHIPPED_TEMPLATES
from ..errors import Location, in_quotes

DEFAULT_STYLE = "chicago-fullnote-bibliography.csl"
STYLES_FOLDER = "csl"
SHIPPED_STYLES = SHIPPED_TEMPLATES / STYLES_FOLDER
MAX_STYLE_BYTES = 1024 * 1024
_CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class CitationStyle:
    """A CSL style, read and checked."""

    name: str
    """As citebrief.toml names it ('apa.csl', 'styles/house.csl')."""
    xml: str
    """The style file's text, as citeproc reads it."""
    notes: bool
    """A note style (class="note": citations are notes) rather than an author–date one."""
    title: str
    """The style's own title ('Chicago Manual of Style 17th edition (full note)')."""
    has_bibliography: bool
    """Whether the style formats a source list; citebrief's own entries are used when not."""
    where: Location = field(default_factory=lambda: Location("citebrief.toml"))
    """The line of citebrief.toml that chose it (the file itself for the default)."""


class StyleError(Exception):
    """A style that cannot be used, in plain words, with what to write instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def shipped_styles() -> list[str]:
    return sorted(p.name for p in SHIPPED_STYLES.glob("*.csl"))


def styles_hint() -> str:
    return (
        "use one of the styles citebrief ships: "
        + ", ".join(f'"{name}"' for name in shipped_styles())
        + ', or the path of a CSL file inside the project (e.g. "templates/csl/house.csl")'
    )


@functools.cache
def default_style() -> CitationStyle:
    path = SHIPPED_STYLES / DEFAULT_STYLE
    return parsed_style(DEFAULT_STYLE, read_bounded(path, MAX_STYLE_BYTES))


def load_style(root: Path, name: str, where: Location) -> CitationStyle:
    """The style ``name`` of the project at ``root``; raises :class:`StyleError`."""
    if not name.endswith(".csl"):
        raise StyleError(
            f"citation style {in_quotes(name)} is not a CSL file (.csl)", styles_hint()
        )
    try:
        data = _read(root, name)
    except FileNotFoundError:
        raise StyleError(f"citation style {in_quotes(name)} not found", styles_hint()) from None
    except UnsafeFile as exc:
        raise StyleError(
            f"citation style {in_quotes(name)} not read: {exc.reason}", styles_hint()
        ) from None
    style = parsed_style(name, data)
    return CitationStyle(
        style.name, style.xml, style.notes, style.title, style.has_bibliography, where
    )


def _read(root: Path, name: str) -> bytes:
    """A bare name is looked up in the project's templates/csl/, then among the shipped
    styles; a path is a file inside the project."""
    if "/" not in name and "\\" not in name:
        own = root / "templates" / STYLES_FOLDER / name
        if own.exists() or own.is_symlink():
            return read_confined(own, root, MAX_STYLE_BYTES, name="the project")
        shipped = SHIPPED_STYLES / name
        if name in shipped_styles():
            return read_bounded(shipped, MAX_STYLE_BYTES)
        raise FileNotFoundError(name)
    return read_confined(root / name, root, MAX_STYLE_BYTES, name="the project")


def parsed_style(name: str, data: bytes) -> CitationStyle:
    """Check that ``data`` is a CSL style citeproc can format notes with."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise StyleError(
            f"citation style {in_quotes(name)} is not valid XML ({exc})",
            "save the file again from the CSL style repository, or " + styles_hint(),
        ) from None
    if root.tag != f"{_CSL}style" or root.find(f"{_CSL}citation") is None:
        raise StyleError(
            f"citation style {in_quotes(name)} is not a CSL style (no <style> with a <citation>)",
            styles_hint(),
        )
    kind = root.get("class")
    if kind not in ("note", "in-text"):
        raise StyleError(
            f'citation style {in_quotes(name)} has class="{kind}"; a CSL style is "note" or "in-text"',
            styles_hint(),
        )
    title = root.findtext(f"{_CSL}info/{_CSL}title") or name
    has_bibliography = root.find(f"{_CSL}bibliography") is not None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StyleError(
            f"citation style {in_quotes(name)} is not UTF-8 text", styles_hint()
        ) from None
    return CitationStyle(name, text, kind == "note", title, has_bibliography)
