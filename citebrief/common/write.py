"""Write stage: put finished outputs in place atomically.

Every output is rendered in memory first; here each is written to a temporary file in
the same folder and renamed over the old one, so a reader never sees a half-written
file and a failed build leaves the previous outputs untouched. Temporary files of a
writer that was killed are swept the next time anything is written there.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import CitebriefError, Location, Problem, ProblemsFound, error

TEMP_SUFFIX = ".tmp"


def write_outputs(
    out_dir: Path, files: dict[str, bytes], within: Path | None = None, generated: bool = True
) -> list[Path]:
    """Write ``files`` into ``out_dir`` atomically; ``within``: the folder from which every
    folder on the way down must be real (no link), by default ``out_dir`` itself."""
    with StagedOutputs(out_dir, within, generated) as staged:
        staged.add(files)
        return staged.commit()


class StagedOutputs:
    """Files written to temporary files as they are ready, put in place together.

    A build stages each briefing's files as soon as it is rendered (while the others are
    still rendering) and commits once all are: the renames make every output appear at
    once; leaving the ``with`` block without committing removes what was staged.
    """

    def __init__(self, out_dir: Path, within: Path | None = None, generated: bool = True) -> None:
        self.out_dir = out_dir
        self.shown_from = (within if within is not None else out_dir).parent
        self.staged: dict[str, Path] = {}
        try:
            make_real_folder(out_dir, within, generated)
            sweep_stale_temp_files(out_dir)
        except OSError as exc:
            raise self._failed(out_dir, exc) from exc

    def add(self, files: dict[str, bytes]) -> None:
        for name, data in sorted(files.items()):
            earlier = self.staged.pop(name, None)
            if earlier is not None:
                earlier.unlink(missing_ok=True)
            try:
                self.staged[name] = _stage(self.out_dir, name, data)
            except OSError as exc:
                self.discard()
                raise self._failed(self.out_dir / name, exc) from exc

    def commit(self) -> list[Path]:
        written = []
        for name, temp in sorted(self.staged.items()):
            try:
                os.replace(temp, self.out_dir / name)
            except OSError as exc:
                self.discard()
                raise self._failed(self.out_dir / name, exc) from exc
            del self.staged[name]
            written.append(self.out_dir / name)
        return written

    def _failed(self, path: Path, exc: OSError) -> ProblemsFound:
        """The write refused by the system (a full disk, a read-only folder), at the file."""
        shown = path.relative_to(self.shown_from).as_posix()
        return ProblemsFound([write_problem(Location(shown), exc)], "")

    def discard(self) -> None:
        for temp in self.staged.values():
            temp.unlink(missing_ok=True)
        self.staged.clear()

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()  # nothing left once committed


def _stage(out_dir: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``out_dir/name`` (subfolders made as needed);
    a write that fails (the disk full) removes its temporary file before raising."""
    target = out_dir / name
    make_real_folder(target.parent, within=out_dir)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
    except BaseException:
        os.unlink(temp_name)
        raise
    return Path(temp_name)


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_REFUSED = {errno.EROFS, errno.EACCES, errno.EPERM}


def write_problem(where: Location, exc: OSError) -> Problem:
    """A write the system refused, in plain words: a full disk, a read-only folder, else
    the system's own words. The earlier outputs are untouched (nothing was renamed)."""
    if exc.errno in _FULL:
        return error(
            where,
            "disk-full",
            "this file could not be written: the disk is full (or the file is over the "
            "size allowed)",
            "free some space, then run again; the earlier files are as they were",
        )
    if exc.errno in _REFUSED:
        return error(
            where,
            "read-only",
            "this file could not be written: its folder is read-only or not yours to write",
            f"make {where.path.split('/')[0]}/ writable (chmod -R u+w), then run again; "
            "the earlier files are as they were",
        )
    return error(
        where,
        "write-failed",
        f"this file could not be written: {(exc.strerror or str(exc)).lower()}",
        "fix the folder, then run again; the earlier files are as they were",
    )


def _linked_folder(folder: Path, shown: str, generated: bool) -> ProblemsFound:
    """A folder written into is a symbolic link or not a folder: nothing is written through it."""
    what = "a symbolic link" if folder.is_symlink() else "not a folder"
    hint = (
        f"delete {shown} (it is made again, as a folder, when next written)"
        if generated
        else f"put the folder itself at {shown}, in place of the link (move it here)"
    )
    problem = error(
        Location(shown),
        "output-folder",
        f"this is {what}; citebrief writes only into real folders, never through a link",
        hint,
    )
    return ProblemsFound([problem], "")


def make_real_folder(
    folder: Path, within: Path | None = None, generated: bool = True, create: bool = True
) -> None:
    """Make ``folder`` (and its parents from ``within`` down) as real folders, refusing any
    that is a symbolic link or a file: a link there would send outputs out of the project.
    Problems are located relative to the folder holding ``within`` (the project);
    ``generated``: the folder holds only what citebrief makes (so deleting a link is the fix);
    ``create``: False only checks the folders that exist."""
    top = within if within is not None else folder
    parts = folder.relative_to(top).parts
    steps = [top, *(top.joinpath(*parts[: i + 1]) for i in range(len(parts)))]
    for step in steps:
        if step.is_symlink() or (step.exists() and not step.is_dir()):
            raise _linked_folder(step, step.relative_to(top.parent).as_posix(), generated)
        if create:
            step.mkdir(parents=step is top, exist_ok=True)


def confined_file(path: Path, top: Path) -> bool:
    """The confinement rule the writer and `watch` share: ``path`` is a regular file below
    ``top`` reached without any symbolic link on the way (``top`` itself included, unless it
    is the project the user named), so nothing read or served lies outside the project."""
    try:
        parts = path.relative_to(top).parts
    except ValueError:
        return False
    if not parts or ".." in parts:
        return False
    step = top
    for part in parts:
        step = step / part
        try:
            info = os.lstat(step)
        except OSError:
            return False
        if stat.S_ISLNK(info.st_mode):
            return False
    return stat.S_ISREG(info.st_mode)


@contextlib.contextmanager
def exclusive(lock_file: Path, busy: str, hint: str) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (made as needed, a real file of a real folder)
    for the ``with`` block; when another process holds it, raise at once with ``busy``.
    The lock is the kernel's (flock): a process killed while holding it releases it."""
    make_real_folder(lock_file.parent, within=lock_file.parent.parent)
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise IsADirectoryError(errno.EISDIR, "not a regular file")
    except OSError as exc:  # a link (ELOOP), a folder or a pipe where the lock belongs
        shown = lock_file.relative_to(lock_file.parents[2]).as_posix()
        if exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise ProblemsFound([write_problem(Location(shown), exc)], "") from exc
        problem = error(
            Location(shown),
            "output-folder",
            "this is not a plain file, where citebrief keeps the lock that lets one run at a time",
            f"delete {shown} (it is made again, as a file, when next needed)",
        )
        raise ProblemsFound([problem], "") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CitebriefError(busy, hint) from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def temporary_folder(prefix: str, folders: tuple[str, ...] = ()) -> Iterator[Path]:
    """A temporary folder (pandoc's or git's files, never an output) with ``folders`` in it,
    removed afterwards; a system that refuses it (a full disk) is said in words, as is a file
    refused in it by ``write_temporary``."""
    folder = ""
    try:
        folder = tempfile.mkdtemp(prefix=prefix)
        for name in folders:
            (Path(folder) / name).mkdir(parents=True)
    except OSError as exc:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise _temporary_refused(Path(tempfile.gettempdir()), exc) from None
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_temporary(path: Path, data: bytes) -> None:
    """One file of a ``temporary_folder``; a full disk there is a plain error (it was an
    internal error: pandoc's citation styles are written there on a cold cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise _temporary_refused(path.parent, exc) from None


def _temporary_refused(folder: Path, exc: OSError) -> CitebriefError:
    full = exc.errno in _FULL
    return CitebriefError(
        f"a temporary file could not be written in {tempfile.gettempdir()}: "
        + ("the disk is full" if full else (exc.strerror or str(exc)).lower()),
        "free some space there (or point TMPDIR at a folder with room), then run again",
    )


_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp\Z")


def sweep_stale_temp_files(out_dir: Path) -> list[Path]:
    """Remove temporary files left by a writer that was killed (kill -9, power loss).

    A temporary file's name carries its writer's process id; it is removed only when
    that process no longer runs, so a build running beside this one keeps its files.
    Files in the older naming (no process id) are removed as well.
    """
    removed = []
    for path in out_dir.rglob(f".*{TEMP_SUFFIX}"):
        match = _TEMP_NAME.match(path.name)
        if match and _running(int(match.group(1))):
            continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
