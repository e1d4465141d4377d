"""What shaped each output, so a build can skip outputs whose inputs did not change.

``output/manifest.json`` records, per briefing, the hash of its canonical Document (which
holds exactly what the briefing shows), of the templates, CSS and fonts, and of the tool
itself, with the hash of every file written. It holds no timings, so it is byte-identical
across builds of the same inputs.
"""

from __future__ import annotations

import functools
import hashlib
import json
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
    import ctypes
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
    return ", ".join(found)


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
