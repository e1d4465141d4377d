"""Write stage: put finished outputs in place atomically.

Every output is rendered in memory first; here each is written to a temporary file in
the same folder and renamed over the old one, so a reader never sees a half-written
file and a failed build leaves the previous outputs untouched. Temporary files of a
writer that was killed are swept the next time anything is written there.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from ..errors import Location, ProblemsFound, error

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
        self.staged: dict[str, Path] = {}
        make_real_folder(out_dir, within, generated)
        sweep_stale_temp_files(out_dir)

    def add(self, files: dict[str, bytes]) -> None:
        for name, data in sorted(files.items()):
            earlier = self.staged.pop(name, None)
            if earlier is not None:
                earlier.unlink(missing_ok=True)
            self.staged[name] = _stage(self.out_dir, name, data)

    def commit(self) -> list[Path]:
        written = []
        for name, temp in sorted(self.staged.items()):
            os.replace(temp, self.out_dir / name)
            written.append(self.out_dir / name)
        self.staged.clear()
        return written

    def discard(self) -> None:
        for temp in self.staged.values():
            temp.unlink(missing_ok=True)
        self.staged.clear()

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()  # nothing left once committed


def _stage(out_dir: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``out_dir/name`` (subfolders made as needed)."""
    target = out_dir / name
    make_real_folder(target.parent, within=out_dir)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp_name, 0o644)
    return Path(temp_name)


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
