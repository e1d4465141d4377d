"""Triage at scale: one source of about 200 KB set against fact bases of 4,000 and 64,000
facts (issue 18: the larger at most 1.5 times the cost of the smaller). Prints the figures;
asserts nothing about time.

Two registers: one that grows with the fact base (8 facts per entity, as a shop's register
of companies grows with what it tracks), and a fixed one of 500 entities, where each
entity's facts in one unit grow 16-fold (the worst case: triage compares a figure with
every fact of its subject, unit and measure).

    .venv/bin/python benchmarks/bench_triage.py
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from typing import Any

from citebrief.archive.triage import triage
from citebrief.common.memo import no_cycle_collection
from citebrief.errors import Location
from citebrief.model import (
    Citation,
    Corpus,
    Entity,
    Fact,
    Qualifier,
    Reliability,
    Source,
    Unit,
    UnitKind,
)

HERE = Location("bench.yaml", 1, 1)


def corpus(n_facts: int, n_entities: int) -> Corpus:
    entities = {
        f"org{e}": Entity(f"org{e}", f"Org{e:04d} Holdings", (f"Org{e:04d}",), (), HERE)
        for e in range(n_entities)
    }
    units = {
        "requests": Unit("requests", "request", "requests", (), UnitKind.COUNT, None),
        "accounts": Unit("accounts", "account", "accounts", (), UnitKind.COUNT, None),
    }
    facts = {}
    for j in range(n_facts):
        fid = f"f.{j}"
        unit = "requests" if j % 2 else "accounts"
        facts[fid] = Fact(
            fid,
            f"{unit.title()} counted for Org{j % n_entities:04d} in series {j}",
            "number",
            Decimal(1000 + j),
            unit,
            Qualifier.EXACT,
            None,
            "",
            None,
            "",
            (Citation("other", f"Org{j % n_entities:04d} counted {1000 + j} {unit}", HERE),),
            HERE,
            HERE,
            subject=f"org{j % n_entities}",
        )
    return Corpus(facts=facts, entities=entities, units=units, has_register=True)


def source(size: int = 200_000) -> Source:
    sentences = []
    k = 0
    while sum(map(len, sentences)) < size:
        sentences.append(
            f"Org{k % 500:04d} counted {1000 + 7 * k:,} requests in the quarter, the agency said."
        )
        k += 1
    text = "\n\n".join(sentences) + "\n"
    return Source(
        "bench",
        "Bench",
        "Bench",
        "unknown",
        "unknown",
        None,
        None,
        "secondary",
        Reliability.HIGH,
        "",
        "0" * 64,
        "",
        text,
        1,
        HERE,
    )


def seconds(n_facts: int, n_entities: int, src: Source) -> tuple[float, float]:
    """CPU seconds of (the first triage, which builds the fact base's index, as one run of
    `citebrief triage` does; the median of three more, against the index built), with the
    cycle collector paused from the corpus's loading on, as `citebrief triage` pauses it."""
    with no_cycle_collection():
        base = corpus(n_facts, n_entities)
        start = time.process_time()
        triage(src, base)
        first = time.process_time() - start
        times = []
        for _ in range(3):
            start = time.process_time()
            triage(src, base)
            times.append(time.process_time() - start)
    return first, statistics.median(times)


CASES = (
    ("register growing with the facts (8 facts per entity)", 500, 8_000),
    ("fixed register of 500 entities (worst case)", 500, 500),
)


def measure(table: Any) -> None:
    """The rows of benchmarks/run.py: triage against 4,000 and 64,000 facts, CPU."""
    src = source()
    print(f"triage of a {len(src.text) // 1024} KB source against 4,000 → 64,000 facts", flush=True)
    for what, small_entities, large_entities in CASES:
        (small_first, small), (large_first, large) = (
            seconds(4_000, small_entities, src),
            seconds(64_000, large_entities, src),
        )
        table.add(
            f"`triage` of a 200 KB source, 4,000 → 64,000 facts, {what}: one run "
            "(index of the fact base built) / against an index built",
            f"{small_first:.2f} → {large_first:.2f} s CPU ({large_first / small_first:.2f}×) / "
            f"{small:.2f} → {large:.2f} s CPU ({large / small:.2f}×)",
            "≤ 1.5×",
            large_first / small_first <= 1.5,
        )


def main() -> None:
    """The same figures as run.py's rows, printed on their own."""
    src = source()
    print(
        f"triage of a {len(src.text) // 1024} KB source ({src.text.count(chr(10)) // 2} sentences):"
    )
    for what, small_entities, large_entities in CASES:
        (small_first, small), (large_first, large) = (
            seconds(4_000, small_entities, src),
            seconds(64_000, large_entities, src),
        )
        print(f"  {what}:")
        print(
            f"    against  4,000 facts: {small:6.2f} s CPU ({small_first:.2f} s the first run, which builds the index)"
        )
        print(
            f"    against 64,000 facts: {large:6.2f} s CPU ({large_first:.2f} s the first run, which builds the index)"
            f"  {large / small:.2f}x ({large_first / small_first:.2f}x); target at most 1.5x"
        )


if __name__ == "__main__":
    main()
