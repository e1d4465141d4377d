"""Reading files the safe way: only regular files inside one folder, size-capped before reading.

Every file citebrief reads from a project goes through ``read_confined``. A symbolic
link is followed only when it stays inside the folder; a device (``/dev/zero``), a FIFO
or a socket is refused without blocking (the file is opened non-blocking and checked
with ``fstat`` before a byte is read); a file larger than the cap is refused by its size,
and the read itself is bounded, so a file that grows while it is read cannot fill memory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""Largest project file read (a source text, a fact file, a briefing, a template)."""
_SPLIT = "split it into smaller files"
_NOT_READ = "replace it with an ordinary file; devices, pipes and sockets are never read"


class UnsafeFile(Exception):
    """A file that is not read, with the reason in plain words."""

    def __init__(self, reason: str, hint: str = "", too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.too_large = too_large


def read_confined(path: Path, folder: Path, limit: int = MAX_INPUT_BYTES, name: str = "") -> bytes:
    """The bytes of ``path``, a regular file inside ``folder`` (after resolving links).

    Raises ``FileNotFoundError`` when nothing is there and ``UnsafeFile`` for anything
    that is not read.
    """
    target = _inside(path, folder, name or f"{folder.name}/")
    return read_bounded(target, limit)


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file no larger than ``limit``; devices and FIFOs are refused."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise UnsafeFile("this is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link: said plainly, not as ELOOP
            raise UnsafeFile(
                "this is a symbolic link, which is not followed here",
                "put the file itself here, in place of the link",
            ) from None
        if exc.errno == errno.ENXIO:  # a socket cannot be opened: said as what it is
            raise UnsafeFile("this is a socket, not a regular file", _NOT_READ) from None
        raise UnsafeFile(f"the file cannot be opened ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"this is {_kind(info.st_mode)}, not a regular file", _NOT_READ)
        if info.st_size > limit:
            raise UnsafeFile(too_large(info.st_size, limit), _SPLIT, too_large=True)
        os.set_blocking(fd, True)
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafeFile(too_large(len(data), limit), _SPLIT, too_large=True)
    return data


def too_large(size: int, limit: int) -> str:
    return f"the file is {_megabytes(size)}; files larger than {_megabytes(limit)} are not read"


def is_regular_inside(path: Path, folder: Path) -> bool:
    """True for a regular file inside ``folder`` (links followed only when they stay inside)."""
    try:
        target = _inside(path, folder, "")
        return stat.S_ISREG(os.stat(target, follow_symlinks=False).st_mode)
    except (OSError, UnsafeFile):
        return False


def _loop() -> UnsafeFile:
    return UnsafeFile(
        "this is a symbolic link that leads round in a loop (to itself, or through other "
        "links back to itself), so there is no file to read",
        "replace the link with the file itself",
    )


def resolved(path: Path) -> Path | None:
    """``path`` with its symbolic links followed, or None when one leads round in a loop
    (to itself, or through other links back to itself)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, 3.13 OSError
        return None


def _inside(path: Path, folder: Path, name: str) -> Path:
    root = resolved(folder)
    if root is None:
        raise _loop()
    if not path.is_absolute():
        path = root / path
    if not os.path.lexists(path):
        raise FileNotFoundError(str(path))
    target = resolved(path)
    if target is None:
        raise _loop()
    if not target.is_relative_to(root):
        raise UnsafeFile(
            f"this is a symbolic link to {'a file' if target.exists() else 'a place'} "
            f"outside {name}, which is never read",
            f"copy the file into {name} instead of linking to it",
        )
    return target


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"
