"""Jinja templates are read only from regular files inside the template folder.

Jinja's own ``FileSystemLoader`` follows symbolic links anywhere, so a link in
templates/ could put ``/etc/passwd`` into a briefing through ``{% include %}``. This
loader reads through ``files.read_confined``: links that leave the folder, devices,
FIFOs and oversized files are refused with a template error naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from ..common.files import UnsafeFile, read_confined
from ..errors import in_quotes

MAX_TEMPLATE_BYTES = 1024 * 1024


class TemplateRefused(jinja2.TemplateError):
    """A template file that exists but is not read (a link out of the folder, a device…)."""


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from the first folder (layer) that has the name: the project's, then defaults."""

    def __init__(self, layers: tuple[Path, ...]) -> None:
        self.layers = layers

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            pieces = split_template_path(template)
        except jinja2.TemplateNotFound:
            raise jinja2.TemplateNotFound(
                template, f"template {in_quotes(template)} not found: names cannot leave templates/"
            ) from None
        found = _first_layer(self.layers, "/".join(pieces))
        if found is None:
            raise jinja2.TemplateNotFound(
                template, f"template {in_quotes(template)} not found in templates/"
            )
        layer, path = found
        text = _read_text(path, layer, template)
        stamp = _stamp(path)
        return text, str(path), lambda: _stamp(path) == stamp


def _first_layer(layers: tuple[Path, ...], name: str) -> tuple[Path, Path] | None:
    """The first layer with an entry called ``name`` (a link counts: it is refused, not skipped)."""
    for layer in layers:
        if os.path.lexists(layer / name):
            return layer, layer / name
    return None


def _read_text(path: Path, layer: Path, name: str) -> str:
    try:
        return read_confined(path, layer, MAX_TEMPLATE_BYTES, name="templates/").decode("utf-8")
    except UnsafeFile as exc:
        raise TemplateRefused(f"{name}: {exc.reason}") from None
    except UnicodeDecodeError:
        raise TemplateRefused(f"{name}: the file is not valid UTF-8 text") from None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def read_template_text(layers: tuple[Path, ...], name: str) -> str:
    """A stylesheet from the first layer that has it, under the same rules as templates."""
    found = _first_layer(layers, name)
    if found is None:
        raise TemplateRefused(f"{name}: not found in templates/")
    return _read_text(found[1], found[0], name)
