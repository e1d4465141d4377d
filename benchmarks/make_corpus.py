"""A deterministic synthetic citebrief project of any size, for the benchmarks.

    .venv/bin/python benchmarks/make_corpus.py OUT --facts 10000 [--seed 1] [--briefings 10]

writes a real project into OUT: archived sources whose text really contains every quote,
fact files citing them (numbers, dates, statements, a few unknowns, second sources and
declared disagreements), derived sums, and memo briefings with a table and a chart.
``check`` passes on it with no errors.

Fact number ``j`` depends only on the seed and ``j``, and lives in source ``j // 10``, so
a smaller corpus is a prefix of a larger one: briefings, which use facts from the first
thousand, are the same at every size, which lets per-briefing costs be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTS_PER_SOURCE = 10
FACTS_PER_FILE = 100
BRIEFING_POOL = 1000
"""Briefings draw their facts from the first this many, so they do not change with size."""
EDITION = dt.date(2026, 11, 23)

AGENCIES = [
    "Harbor Office",
    "Statistics Bureau",
    "Transport Ministry",
    "Energy Council",
    "Customs Service",
    "Water Authority",
    "Health Directorate",
    "Trade Commission",
    "Census Board",
    "Audit Office",
    "Planning Agency",
    "Labour Inspectorate",
]
PLACES = [
    "the northern district",
    "the coastal province",
    "the capital region",
    "the river valley",
    "the eastern corridor",
    "the highland cantons",
    "the western ports",
    "the southern plains",
]
UNITS = ["accounts", "requests", "exchanges", "visitors", "devices", "permits", "inspections"]
QUALIFIERS = [
    ("exact", ""),
    ("about", "approximately "),
    ("over", "more than "),
    ("at-least", "at least "),
    ("up-to", "up to "),
    ("under", "fewer than "),
]
EVENTS = [
    "approved the expansion plan",
    "opened the public consultation",
    "published its annual review",
    "signed the cooperation agreement",
    "suspended the pilot programme",
    "announced the new inspection regime",
]
QUALITIES = ["thorough", "delayed", "ambitious", "contested", "underfunded", "transparent"]
FILLER = [
    "Observers noted that the figures were compiled from administrative records.",
    "The report was discussed at length by the standing committee.",
    "Local officials declined to comment on the methodology used.",
    "Several analysts cautioned against reading too much into a single release.",
    "The findings were broadly in line with earlier assessments.",
    "A spokesperson said further details would follow in due course.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Plan:
    """One fact as generated: its entry in a fact file and the sentence a source states."""

    index: int
    id: str
    kind: str
    entry: str
    """The YAML entry, without the second-source citations."""
    sentence: str
    """The sentence its own source states (the quote)."""
    number: int = 0
    unit: str = ""


def fact_id(j: int) -> str:
    return f"topic{j // FACTS_PER_FILE:04d}.item{j % FACTS_PER_FILE:03d}"


def source_id(s: int) -> str:
    return f"src{s:05d}"


def kind_of(j: int) -> str:
    r = j % 10
    if r in (6, 7):
        return "date"
    if r == 8:
        return "text"
    if r == 9 and j % 100 == 99:
        return "unknown"
    return "number"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_fact(seed: int, j: int) -> Plan:
    rng = random.Random(f"{seed}:fact:{j}")
    agency, place = rng.choice(AGENCIES), rng.choice(PLACES)
    fid, src = fact_id(j), source_id(j // FACTS_PER_SOURCE)
    kind = kind_of(j)
    if kind == "number":
        unit = UNITS[(j // FACTS_PER_FILE) % len(UNITS)]
        value = rng.randrange(10_000, 9_000_000)
        qualifier, words = rng.choice(QUALIFIERS)
        sentence = (
            f"The {agency} reported that {words}{value:,} {unit} were recorded in {place} "
            "during the period under review."
        )
        label = f"{unit.capitalize()} recorded in {place} ({agency})"
        entry = (
            f"- id: {fid}\n  label: {_q(label)}\n  value: {value}\n  unit: {unit}\n"
            f"  qualifier: {qualifier}\n  citations:\n    - source: {src}\n"
            f"      quote: {_q(sentence)}\n"
        )
        return Plan(j, fid, kind, entry, sentence, value, unit)
    if kind == "date":
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        event = rng.choice(EVENTS)
        sentence = (
            f"The {agency} {event} on {day.day} {MONTHS[day.month - 1]} {day.year}, officials said."
        )
        label = f"When the {agency} {event}"
        entry = (
            f"- id: {fid}\n  label: {_q(label)}\n  value: {day.isoformat()}\n"
            f"  citations:\n    - source: {src}\n      quote: {_q(sentence)}\n"
        )
        return Plan(j, fid, kind, entry, sentence)
    if kind == "text":
        first, second = rng.sample(QUALITIES, 2)
        sentence = (
            f"Inspectors described the work of the {agency} in {place} as {first} but {second}."
        )
        label = f"How inspectors judged the {agency} in {place}"
        entry = (
            f"- id: {fid}\n  label: {_q(label)}\n  value: {_q(f'{first} but {second}')}\n"
            f"  citations:\n    - source: {src}\n      quote: {_q(sentence)}\n"
        )
        return Plan(j, fid, kind, entry, sentence)
    label = f"Budget of the {agency} in {place}"
    entry = (
        f"- id: {fid}\n  label: {_q(label)}\n  value: unknown\n"
        f"  note: No archived source states this budget.\n"
    )
    return Plan(j, fid, kind, entry, "")


def partner(s: int, n_sources: int) -> int | None:
    """The source paired with ``s`` for second citations (0↔1, 2↔3, …), if it exists."""
    other = s ^ 1
    return other if other < n_sources else None


def echo(plan: Plan, seed: int) -> tuple[str, str]:
    """(sentence in the partner source, extra citation) for a fact with a second source.

    Every 7th number fact is confirmed by its partner source; every 50th is disputed.
    """
    if plan.kind != "number":
        return "", ""
    rng = random.Random(f"{seed}:echo:{plan.index}")
    if plan.index % 50 == 3:
        other = plan.number * rng.randrange(120, 150) // 100
        sentence = f"A separate count put the figure at {other:,} {plan.unit} for the same area."
        note = "counts a different period"
        return sentence, f"      quote: {_q(sentence)}\n      disagrees: {note}\n"
    if plan.index % 7 == 0:
        sentence = plan.sentence.replace("The ", "Independently, the ", 1)
        return sentence, f"      quote: {_q(sentence)}\n"
    return "", ""


def source_text(s: int, plans: list[Plan], echoes: list[str], seed: int) -> str:
    """Paragraphs of filler around each quoted sentence.

    Every third source is wrapped at 78 columns, as text extracted from a PDF is, so its
    quotes match only after whitespace is normalised (the slower path of `check`).
    """
    rng = random.Random(f"{seed}:source:{s}")
    lines = [f"Bulletin {s} of the regional statistics series", ""]
    sentences = [p.sentence for p in plans if p.sentence] + echoes
    for sentence in sentences:
        paragraph = " ".join([rng.choice(FILLER), sentence, rng.choice(FILLER)])
        lines += [textwrap.fill(paragraph, 78) if s % 3 == 0 else paragraph, ""]
    return "\n".join(lines)


def source_file(s: int, text: str, seed: int) -> str:
    rng = random.Random(f"{seed}:meta:{s}")
    published = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
    reliability = rng.choice(["high", "medium"])
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (
        "---\n"
        f'id: "{source_id(s)}"\n'
        f'title: "Regional statistics bulletin {s}"\n'
        f'publisher: "{rng.choice(AGENCIES)}"\n'
        'author: "unknown"\n'
        f'url: "https://example.org/bulletins/{s}"\n'
        f"published: {published.isoformat()}\n"
        f"retrieved: {published.isoformat()}\n"
        'kind: "primary"\n'
        f'reliability: "{reliability}"\n'
        'reliability_note: "Synthetic source made by benchmarks/make_corpus.py."\n'
        f'sha256: "{sha}"\n'
        "---\n" + text
    )


def derived_entries(plans: list[Plan]) -> list[str]:
    """A sum over each run of three counts that open a hundred (same unit by construction)."""
    entries = []
    for start in range(0, len(plans) - 2, FACTS_PER_FILE):
        triple = plans[start : start + 3]
        ids = ", ".join(p.id for p in triple)
        unit = triple[0].unit
        entries.append(
            f"- id: {derived_id(start // FACTS_PER_FILE)}\n"
            f"  label: Sum of three counts of {unit} in topic {start // FACTS_PER_FILE}\n"
            f"  sum: [{ids}]\n"
        )
    return entries


def derived_id(topic: int) -> str:
    return f"derived.topic{topic:04d}.total"


def briefing(b: int, plans: list[Plan], memo: bool = True) -> str:
    """A memo of two pages at most (else a paper): bullets, a table and a bars chart over
    facts from the pool."""
    rng = random.Random(f"briefing:{b}")
    pool = min(BRIEFING_POOL, len(plans))
    start = rng.randrange(pool)
    chosen = [plans[(start + k) % pool] for k in range(pool)]
    unit = next(p.unit for p in chosen if p.kind == "number")
    numbers = [p for p in chosen if p.kind == "number" and p.unit == unit][:5]  # one unit a chart
    others = [p for p in chosen if p.kind in ("date", "text")][:3]
    bullets = [
        f"- The count stood at [[{p.id}]] {p.unit}, as the bulletin reports." for p in numbers
    ]
    bullets += [f"- Further, the records note [[{p.id}]]." for p in others]
    bullets.append(
        f"- Three of the counts add up to [[{derived_id(start * 7 % (pool // FACTS_PER_FILE or 1))}]]."
    )
    rows = "\n".join(f"  - [{_label(k)}, {p.id}]" for k, p in enumerate(numbers[:3]))
    chart_ids = ", ".join(p.id for p in numbers[:3])
    chart_labels = ", ".join(_label(k) for k in range(3))
    page_budget = "\nmax_pages: 2" if memo else ""
    return f"""---
title: Synthetic briefing {_letters(b)}
subtitle: Generated for the citebrief benchmarks
edition: {EDITION.isoformat()}
audience: Benchmark readers
marking: Synthetic data for benchmarking
{"template: memo" if memo else "template: paper"}
author: citebrief benchmarks{page_budget}
---

## Bottom line

{chr(10).join(bullets)}

```table
caption: Selected counts
columns: [Item, Count]
rows:
{rows}
```

```chart
name: bench-{b}-counts
kind: bars
title: Selected counts
facts: [{chart_ids}]
labels: [{chart_labels}]
```
"""


def _letters(n: int) -> str:
    """A briefing's number as letters (0 → 'A', 27 → 'AB'): titles may not state figures."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = chr(ord("A") + digit) + word
        if n == 0:
            return word
        n -= 1


def _label(k: int) -> str:
    return ["First district", "Second district", "Third district"][k]


def make_corpus(
    out: Path, facts: int, seed: int = 1, briefings: int = 10, memos: bool = True
) -> Path:
    """Write the project into ``out`` (which must not exist or be empty) and return it.

    ``memos``: the briefings are two-page memos (which `check` lays out to hold them to
    their page budget); else background papers with no budget `check` need lay out."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("sources", "briefings/facts"):
        (out / name).mkdir(parents=True, exist_ok=True)
    (out / "citebrief.toml").write_text(
        f'name = "Synthetic corpus of {facts} facts (seed {seed})"\n', encoding="utf-8"
    )
    plans = [plan_fact(seed, j) for j in range(facts)]
    n_sources = (facts + FACTS_PER_SOURCE - 1) // FACTS_PER_SOURCE
    extra: dict[int, str] = {}
    echoes: dict[int, list[str]] = {s: [] for s in range(n_sources)}
    for plan in plans:
        s = plan.index // FACTS_PER_SOURCE
        other = partner(s, n_sources)
        sentence, citation = echo(plan, seed) if other is not None else ("", "")
        if sentence:
            echoes[other].append(sentence)  # type: ignore[index]
            extra[plan.index] = f"    - source: {source_id(other)}\n{citation}"  # type: ignore[arg-type]
    for s in range(n_sources):
        own = plans[s * FACTS_PER_SOURCE : (s + 1) * FACTS_PER_SOURCE]
        text = source_text(s, own, echoes[s], seed)
        (out / "sources" / f"{source_id(s)}.txt").write_text(source_file(s, text, seed))
    # Facts are dealt into files in a seeded random order, so that, as in a real project,
    # consecutive facts in a file cite sources from all over the archive.
    order = list(range(facts))
    random.Random(f"{seed}:files:{facts}").shuffle(order)
    derived = derived_entries(plans)
    for f, start in enumerate(range(0, facts, FACTS_PER_FILE)):
        group = [plans[j] for j in order[start : start + FACTS_PER_FILE]]
        body = "".join(p.entry + extra.get(p.index, "") + "\n" for p in group)
        body += derived[f] if f < len(derived) else ""
        header = f"# Synthetic facts, file {f}, made by benchmarks/make_corpus.py\n\n"
        (out / "briefings" / "facts" / f"topic{f:04d}.yaml").write_text(header + body)
    for b in range(briefings):
        (out / "briefings" / f"bench-{b:03d}.md").write_text(briefing(b, plans, memos))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the project into")
    parser.add_argument("--facts", type=int, default=1000)
    parser.add_argument("--briefings", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    make_corpus(args.out, args.facts, args.seed, args.briefings)
    print(
        f"wrote {args.facts} facts, {(args.facts + 9) // 10} sources, {args.briefings} briefings to {args.out}"
    )


if __name__ == "__main__":
    main()
