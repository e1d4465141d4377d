"""Where the templates, CSS, fonts and citation styles citebrief ships are found."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped_templates() -> Path:
    """The templates citebrief ships: ``citebrief/templates/`` once installed from a wheel,
    the repository's own top-level ``templates/`` in a source checkout (one copy of each file)."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


SHIPPED_TEMPLATES = _shipped_templates()
