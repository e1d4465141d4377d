"""What shaped each output, so a build can skip outputs whose inputs did not change.

``output/manifest.json`` records, per briefing, the hash of its canonical Document (which
holds exactly what the briefing shows), of the templates, CSS and fonts, and of the tool
itself, with the hash of every file written. It holds no timings, so it is byte-identical
across builds of the same inputs.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..common.files import UnsafeFile, is_regular_inside, read_confined
from ..document.model import Document

MANIFEST = "manifest.json"
FORMAT = 2


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """One hash over every file under ``folder`` (names and contents), in sorted order."""
    h = hashlib.sha256()
    for path in sorted(
        p
        for p in folder.glob(pattern)
        if "__pycache__" not in p.parts and is_regular_inside(p, folder)
    ):
        try:
            data = read_confined(path, folder)
        except (OSError, UnsafeFile):
            continue  # not a file citebrief reads (a link out of the folder): not an input
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + data + b"\0")
    return h.hexdigest()


@functools.cache
def tool_digest() -> str:
    return f"{__version__}:{tree_digest(Path(__file__).parent.parent, '**/*.py')[:16]}"  # the whole package


RENDERERS = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "matplotlib", "pillow")
"""The Python packages whose version shapes an output's bytes or layout."""
NATIVE = (("libpango-1.0.so.0", "pango_version_string"), ("libharfbuzz.so.0", "hb_version_string"))
"""The system libraries WeasyPrint lays text out and subsets fonts with."""


@functools.cache
def renderer_versions() -> str:
    """Every renderer's version, as one string: 'weasyprint 70.0, pydyf 0.11, …'. An upgrade
    of any of them (WeasyPrint left old PDFs "up to date") makes every output stale."""
    from importlib import metadata

    found = []
    for name in RENDERERS:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} none")
    for library, function in NATIVE:
        try:
            call = getattr(ctypes.CDLL(library), function)
            call.restype = ctypes.c_char_p
            found.append(f"{library.split('.so')[0]} {call().decode()}")
        except (OSError, AttributeError):
            found.append(f"{library.split('.so')[0]} none")
    found.append(f"system fonts {system_fonts_digest()[:16]}")
    return ", ".join(found)


def system_fonts_digest() -> str:
    """A hash of the fonts fontconfig offers (each file's path, size and time): WeasyPrint
    takes a character none of the theme's fonts has (✓, ★) from one of them, so installing or
    upgrading a system font changes the PDF as an upgrade of WeasyPrint does. 3 ms for 23
    fonts (no file is read); "none" where fontconfig cannot be loaded."""
    files = sorted(_fontconfig_files())
    entries = []
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            continue
        entries.append(f"{name}\0{info.st_size}\0{int(info.st_mtime)}")
    return digest("\n".join(entries)) if files else "none"


class _FontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.POINTER(ctypes.c_void_p)),
    ]


def _fontconfig_files() -> list[str]:
    """The file of every font fontconfig lists (FcFontList), through its C library."""
    try:
        fc = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        return []
    pointer = ctypes.c_void_p
    fc.FcInitLoadConfigAndFonts.restype = pointer
    fc.FcPatternCreate.restype = pointer
    fc.FcObjectSetBuild.restype = pointer
    fc.FcObjectSetBuild.argtypes = [ctypes.c_char_p, pointer]
    fc.FcFontList.restype = ctypes.POINTER(_FontSet)
    fc.FcFontList.argtypes = [pointer, pointer, pointer]
    fc.FcPatternGetString.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int, pointer]
    for name in ("FcFontSetDestroy", "FcObjectSetDestroy", "FcPatternDestroy", "FcConfigDestroy"):
        getattr(fc, name).argtypes = [pointer]
    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcPatternCreate()
    wanted = fc.FcObjectSetBuild(b"file", None)
    fonts = fc.FcFontList(config, pattern, wanted)
    files = []
    if fonts:
        for i in range(fonts.contents.nfont):
            file = ctypes.c_char_p()
            if fc.FcPatternGetString(fonts.contents.fonts[i], b"file", 0, ctypes.byref(file)) == 0:
                files.append(os.fsdecode(file.value or b""))
        fc.FcFontSetDestroy(ctypes.cast(fonts, pointer))
    fc.FcObjectSetDestroy(wanted)
    fc.FcPatternDestroy(pattern)
    fc.FcConfigDestroy(config)
    return [f for f in files if f]


def briefing_inputs(document: Document, templates: str, tool: str) -> dict[str, str]:
    """What shapes a briefing's outputs: its canonical Document, the templates, the tool.

    The Document holds everything the briefing shows and nothing else, so its hash
    replaces any hand-kept list of what the templates read.
    """
    return {"document": digest(document.compact_json()), "templates": templates, "tool": tool}


def inputs_key(inputs: dict[str, str]) -> str:
    return digest(json.dumps(inputs, sort_keys=True))


@dataclass(frozen=True)
class Entry:
    """One briefing's record: the key of its inputs, the inputs, its files' hashes, its pages."""

    key: str
    inputs: dict[str, str]
    files: dict[str, str]
    pages: int

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "inputs": self.inputs, "files": self.files, "pages": self.pages}


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    try:
        data = json.loads(read_confined(out_dir / MANIFEST, out_dir).decode("utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {
            name: Entry(e["key"], e["inputs"], e["files"], e.get("pages", 0))
            for name, e in data["outputs"].items()
        }
    except (OSError, UnsafeFile, ValueError, KeyError, TypeError, AttributeError):
        return {}  # a missing or damaged manifest only means: rebuild everything


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    data = {"format": FORMAT, "outputs": {n: entries[n].to_json() for n in sorted(entries)}}
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def up_to_date(entry: Entry | None, key: str, out_dir: Path, expected: set[str]) -> bool:
    """True when the inputs are unchanged and every expected output is on disk as recorded.

    The manifest is checked against the files themselves: an output that is missing, was
    edited, or that the manifest does not list (a hand-edited ``files: {}``) is rebuilt.
    """
    if entry is None or entry.key != key or not expected <= set(entry.files):
        return False
    for name, sha in entry.files.items():
        path = out_dir / name
        try:
            if digest(read_confined(path, out_dir, 1 << 30)) != sha:
                return False
        except (OSError, UnsafeFile):  # missing, or replaced by a link or a device
            return False
    return True


OUTPUT_DIR = "output"


OUTPUT_SUFFIXES = (".html", ".pdf", ".docx", ".evidence.html")
"""The files every briefing builds into output/ (its name, then one of these)."""


CHART_CACHE = ".cache/charts"
