"""Write stage: put finished outputs in place atomically.

Every output is rendered in memory first; here each is written to a temporary file in
the same folder and renamed over the old one, so a reader never sees a half-written
file and a failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in sorted(files.items()):
            staged.append((name, _stage(out_dir, name, data)))
    except BaseException:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise
    written = []
    for name, temp in staged:
        os.replace(temp, out_dir / name)
        written.append(out_dir / name)
    return written


def _stage(out_dir: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``out_dir/name`` (subfolders made as needed)."""
    target = out_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp_name, 0o644)
    return Path(temp_name)
