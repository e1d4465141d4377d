"""citebrief: cited facts in, policy briefings out."""

__version__ = "0.1.0"
