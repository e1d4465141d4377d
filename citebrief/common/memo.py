"""Caches that last one run of `check` (a `watch` process runs many).

Sources are read many times in a run (every quote of every fact that cites them), in no
particular order, so a bounded cache thrashes once a project has more sources than it
holds: these are unbounded, and emptied when the next run starts.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a run builds and reads the corpus.

    Loading makes millions of small objects, none of them in cycles; each full pass of
    the collector walks all of them, which made `check` grow faster than the corpus
    (a quarter of its time at 50,000 facts), and a `triage` against 64,000 facts pay a
    third more than against 4,000. Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
