#!/usr/bin/env python3
"""Entry point: `python build.py [COMMAND]`. See README.md or `python build.py --help`."""

import sys

try:
    from citebrief.cli import main_entry
except ModuleNotFoundError as exc:  # run with a Python that lacks citebrief's packages
    print(
        f"citebrief: error: this Python ({sys.executable}) lacks the package "
        f"'{exc.name}' that citebrief needs\n"
        "  hint: set up once with `bash .ci/setup`, then run `.venv/bin/citebrief` "
        "(or `.venv/bin/python build.py`)",
        file=sys.stderr,
    )
    sys.exit(2)

if __name__ == "__main__":
    main_entry()
