"""The templates, CSS and fonts a project renders with: its own over the shipped defaults.

citebrief ships a complete set (the repository's ``templates/``); a project overrides any file by
putting one of the same name in its own ``templates/`` folder (``templates/briefing.css``,
``templates/memo.html.j2``, ``templates/fonts/Lato-Regular.ttf``). Nothing has to be copied
to start a project.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..common.shipped import SHIPPED_TEMPLATES
from ..errors import Location, Problem, error

DEFAULTS = SHIPPED_TEMPLATES
PROJECT_TEMPLATES = "templates"
FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2", ".txt")


@dataclass(frozen=True)
class Theme:
    layers: tuple[Path, ...]
    """Folders searched in order: the project's templates/ first, the defaults last."""

    @classmethod
    def of(cls, project_root: Path) -> Theme:
        return cls((project_root / PROJECT_TEMPLATES, DEFAULTS))

    @property
    def base(self) -> Path:
        """The folder relative URLs in templates and CSS resolve against."""
        return self.layers[0]

    def find(self, name: str) -> Path | None:
        """The file ``name`` (e.g. 'fonts/Lato-Regular.ttf') from the first layer holding it."""
        for layer in self.layers:
            path = layer / name
            if path.is_file() and not path.is_symlink():
                return path
        return None

    def read_text(self, name: str) -> str:
        path = self.find(name)
        if path is None:  # the defaults hold every file the code asks for
            raise FileNotFoundError(f"{name} is in neither templates/ nor citebrief's defaults")
        return path.read_text(encoding="utf-8")

    def files(self) -> dict[str, Path]:
        """Every file the theme offers, by name, each from the first layer that has it."""
        found: dict[str, Path] = {}
        for layer in self.layers:
            if not layer.is_dir() or layer.is_symlink():
                continue
            for path in sorted(layer.rglob("*")):
                name = path.relative_to(layer).as_posix()
                if (
                    path.is_file()
                    and not path.is_symlink()
                    and "__pycache__" not in path.parts
                    and name not in found
                ):
                    found[name] = path
        return dict(sorted(found.items()))

    def fonts(self) -> dict[str, Path]:
        """The font files and their licences under fonts/, by file name."""
        return {
            name.removeprefix("fonts/"): path
            for name, path in self.files().items()
            if name.startswith("fonts/")
            and "/" not in name.removeprefix("fonts/")
            and path.suffix.lower() in FONT_SUFFIXES
        }

    def digest(self) -> str:
        """One hash over every file's name and bytes: what makes outputs stale."""
        return files_digest(self.files())


def files_digest(files: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for name, path in sorted(files.items()):
        h.update(name.encode() + b"\0" + file_digest(path) + b"\0")
    return h.hexdigest()


_DIGESTS: dict[tuple[str, int, int, int, int], bytes] = {}


def file_digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes, read again only when its inode, size or times change:
    a build hashed the same 3 MB of fonts several times, and watch every time it rebuilt."""
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    found = _DIGESTS.get(key)
    if found is None:
        found = _DIGESTS[key] = hashlib.sha256(path.read_bytes()).digest()
    return found


# --- a project's own theme files, checked before anything renders with them ---------------

REFERENCE_DOCX = "reference.docx"
_READABLE: dict[bytes, str] = {}
"""Each theme file already checked, by its digest: what is wrong with it ('' for nothing)."""


def theme_problems(project_root: Path) -> list[Problem]:
    """A font or reference document in the project's templates/ that its renderer cannot
    read, as an error at that file (matplotlib and pandoc stop with a message about its
    internals; WeasyPrint quietly uses another font)."""
    layer = project_root / PROJECT_TEMPLATES
    if not layer.is_dir() or layer.is_symlink():
        return []
    problems = []
    for name, path in Theme.of(project_root).files().items():
        if not path.is_relative_to(layer):
            continue
        if name.startswith("fonts/") and path.suffix.lower() in FONT_SUFFIXES[:-1]:
            wrong, hint = (
                _unreadable(path, _font_fault),
                (
                    f"replace it with a font file ({path.suffix.lstrip('.').upper()}), or delete it "
                    "to use the font citebrief ships"
                ),
            )
        elif name == REFERENCE_DOCX:
            wrong, hint = (
                _unreadable(path, _docx_fault),
                (
                    "delete it to use the Word styles citebrief ships, or replace it with a Word "
                    "file saved from the shipped one (citebrief's templates/reference.docx)"
                ),
            )
        else:
            continue
        if wrong:
            problems.append(
                error(Location(f"{PROJECT_TEMPLATES}/{name}"), "theme-file", wrong, hint)
            )
    return problems


def _unreadable(path: Path, fault: Callable[[bytes], str]) -> str:
    digest = file_digest(path)
    if digest not in _READABLE:
        _READABLE[digest] = fault(path.read_bytes())
    return _READABLE[digest]


def _font_fault(data: bytes) -> str:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        _ = font["name"], font["cmap"]  # a font has names and a character map
    except ImportError:  # a WOFF2 font without brotli installed: not judged here
        return ""
    except Exception:  # fontTools raises many kinds for a damaged file
        return "this is not a font file that can be read (damaged, or another kind of file)"
    return ""


def _docx_fault(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if {"word/document.xml", "word/styles.xml"} <= names and archive.testzip() is None:
                return ""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        pass
    return "this is not a Word document (.docx) that can be read, so its styles cannot be used"
