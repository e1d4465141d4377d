"""The claims reader against labelled sentences from published text (tests/claims/corpus/).

Each sentence is read as `check` reads a quote's sentence; every figure it states must be
found, with the value, bound, unit, currency, rate, owners, measure, modality and year the
label gives. Sentences marked `known:` are read wrongly today (strict xfail: when the reader
learns them, the mark must go).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from citebrief.claims.mentions import Mention, Register, read
from citebrief.facts.load import load_yaml
from citebrief.facts.measures import validate_measures
from citebrief.facts.register import validate_register

CORPUS = Path(__file__).parent / "claims" / "corpus"


def _register() -> Register:
    loaded, problems = load_yaml((CORPUS / "register.yaml").read_text(encoding="utf-8"), "r")
    assert loaded is not None and not problems
    entities, units, found = validate_register(loaded)
    measures, more = validate_measures(loaded)
    assert not found and not more
    return Register(entities, units, measures)


REGISTER = _register()
CASES = [
    case
    for file in ("archived.yaml", "articles.yaml", "notices.yaml")
    for case in yaml.safe_load((CORPUS / file).read_text(encoding="utf-8"))
]


def _reading(m: Mention) -> dict[str, Any]:
    date = m.date
    return {
        "figure": m.words,
        "value": None if m.value is None else Decimal(m.value),
        "high": None if m.high is None else Decimal(m.high),
        "date": None
        if date is None
        else (
            "-".join(
                f"{x:02d}" if i else str(x)
                for i, x in enumerate([date.year, date.month, date.day])
                if x
            )
            if date.year
            else f"--{date.month:02d}-{date.day:02d}"
        ),
        "kind": m.kind.value,
        "bound": m.bound.value if m.bound else None,
        "unit": m.unit,
        "unit_carried": m.unit_carried,
        "currency": m.currency.value if m.currency else None,
        "per": m.per.value if m.per else None,
        "owners": list(m.owners),
        "measure": m.measure,
        "modality": m.modality.value,
        "year": m.year,
    }


def _differences(case: dict[str, Any]) -> list[str]:
    found = [_reading(m) for m in read(case["text"], REGISTER)]
    wrong = []
    if [f["figure"] for f in found] != [e["figure"] for e in case["expect"]]:
        return [
            f"figures {[f['figure'] for f in found]} != {[e['figure'] for e in case['expect']]}"
        ]
    for got, want in zip(found, case["expect"], strict=True):
        for key, value in want.items():
            if key in ("value", "high") and value is not None:
                value = Decimal(str(value))
            if key == "modality" and value is None:
                value = "asserted"
            if got[key] != value:
                wrong.append(f"{want['figure']}: {key} is {got[key]!r}, label says {value!r}")
    return wrong


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=c["known"], strict=True))
        if "known" in c
        else c
        for c in CASES
    ],
    ids=[f"{i:03d}" for i in range(len(CASES))],
)
def test_the_reader_reads_the_labelled_sentence(case: dict[str, Any]) -> None:
    assert _differences(case) == []


def test_the_corpus_is_large_and_mostly_published_text() -> None:
    assert len(CASES) >= 150
    assert all(c["source"] for c in CASES)
