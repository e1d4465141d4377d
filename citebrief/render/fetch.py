"""The only way WeasyPrint may read anything: files under templates/ and our own charts.

Everything else (http, https, ftp, data URLs, files outside the asset root, symlinks
that leave it, devices) is refused and recorded, so a build can report it.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..common.files import UnsafeFile, read_confined

MAX_ASSET_BYTES = 5 * 1024 * 1024
CHART_PREFIX = "chart/"


class RefusedURL(ValueError):
    pass


class ProjectFetcher(URLFetcher):
    """Serve regular files under the asset roots and in-memory charts under ``chart/``.

    The first root is where relative URLs point (the project's templates/); a file it
    lacks is served from the next root that has it (citebrief's defaults).
    """

    def __init__(self, roots: Path | Sequence[Path], charts: dict[str, str]) -> None:
        super().__init__(allowed_protocols=["file"], allow_redirects=False)
        layers = [roots] if isinstance(roots, Path) else list(roots)
        self.roots = tuple(root.resolve() for root in layers)
        self.root = self.roots[0]
        self.charts = charts
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            path = self._local_path(url)
            relative = self._relative(path)
            if relative.startswith(CHART_PREFIX) and relative[len(CHART_PREFIX) :] in self.charts:
                body = self.charts[relative[len(CHART_PREFIX) :]]
                return URLFetcherResponse(url, body.encode(), {"Content-Type": "image/svg+xml"})
            path, root = self._layered(relative)
            return URLFetcherResponse(url, self._read(path, root), {"Content-Type": _mime(path)})
        except RefusedURL as exc:
            self.refused.append(f"{_short(url)}: {exc}")
            raise

    def _relative(self, path: Path) -> str:
        root = next(r for r in self.roots if path.is_relative_to(r))
        return path.relative_to(root).as_posix()

    def _layered(self, relative: str) -> tuple[Path, Path]:
        for root in self.roots:
            candidate = root / relative
            if candidate.exists() or candidate.is_symlink():
                return candidate, root
        return self.roots[0] / relative, self.roots[0]

    def _local_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedURL(f"'{parts.scheme or 'relative'}' URLs are not fetched while rendering")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL("file URLs on other hosts are not fetched")
        raw = Path(unquote(parts.path))
        lexical = raw if raw.is_absolute() else self.root / raw
        resolved_parent = lexical.parent.resolve()
        candidate = resolved_parent / lexical.name
        if not any(candidate.is_relative_to(root) for root in self.roots):
            raise RefusedURL("only files under templates/ are fetched")
        return candidate

    def _read(self, path: Path, root: Path) -> bytes:
        """Through ``files.read_confined``: no link out, no device or FIFO, size checked first."""
        try:
            return read_confined(path, root, MAX_ASSET_BYTES, name="templates/")
        except FileNotFoundError:
            raise RefusedURL("no such file under templates/") from None
        except UnsafeFile as exc:
            raise RefusedURL(exc.reason) from None


def _mime(path: Path) -> str:
    known = {".svg": "image/svg+xml", ".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf"}
    return (
        known.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )


def _short(url: str) -> str:
    return url if len(url) < 80 else url[:77] + "..."
