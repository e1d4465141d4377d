"""Caches that last one run of `check` (a `watch` process runs many).

Sources are read many times in a run (every quote of every fact that cites them), in no
particular order, so a bounded cache thrashes once a project has more sources than it
holds: these are unbounded, and emptied when the next run starts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CLEARS: list[Callable[[], None]] = []


def per_run(function: F) -> F:
    """Remember ``function``'s results until ``new_run`` is called."""
    cached = functools.cache(function)
    _CLEARS.append(cached.cache_clear)
    return cached  # type: ignore[return-value]


def new_run() -> None:
    """Forget what earlier runs remembered (texts that may since have changed)."""
    for clear in _CLEARS:
        clear()
