"""The command line: the one place that prints problems and chooses exit codes.

Exit codes: 0 no errors, 1 errors found in the input, 2 usage or internal failure.
"""

from .main import main, main_entry

__all__ = ["main", "main_entry"]
