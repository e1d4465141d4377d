"""`python -m citebrief`: the same program as the `citebrief` command."""

from .cli import main_entry

main_entry()
