"""`python -m citebrief`: the same program as the `citebrief` command."""

import sys

try:
    from .cli import main_entry
except ModuleNotFoundError as exc:  # run with a Python that lacks citebrief's packages
    print(
        f"citebrief: error: this Python ({sys.executable}) lacks the package "
        f"'{exc.name}' that citebrief needs\n"
        "  hint: set up once with `bash .ci/setup`, then run `.venv/bin/citebrief`",
        file=sys.stderr,
    )
    sys.exit(2)

main_entry()
