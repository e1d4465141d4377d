"""Running Debian's ``pandoc``: its version, and one call with a JSON document on standard input.

The compose stage formats citations with pandoc's citeproc and the render stage writes Word
with it; both ask here, so a missing or foreign ``pandoc`` gives one clear error.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from ..errors import CitebriefError, in_quotes

PANDOC_MISSING = (
    "pandoc is not installed, and citebrief needs it to format the notes (citeproc) and to "
    "build the Word edition (.docx): install it with `sudo apt install pandoc`"
)


@functools.cache
def pandoc_version() -> tuple[str, list[int]]:
    """Pandoc's version and the AST version it reads; a clear error when it is missing."""
    if shutil.which("pandoc") is None:
        raise CitebriefError(PANDOC_MISSING)
    done = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=False)
    first = done.stdout.splitlines()[0] if done.stdout else ""
    api = re.search(r"pandoc-types (\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?", done.stdout)
    if done.returncode != 0 or api is None:
        raise CitebriefError(
            f"`pandoc --version` did not answer as pandoc does ({in_quotes(first)})"
        )
    return first, [int(n) for n in api.groups() if n is not None]
