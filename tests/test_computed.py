"""Computed figures, end to end: typed formulas in a fact file, their located errors, and
the words a briefing shows for them."""

from __future__ import annotations

import re

import pytest
from conftest import MiniProject

NEWS = """Alpha Labs ran 40 million queries against the model in 2025.
Beta Corp ran 10 million queries in the same period.
Gamma Inc ran more than 2 million queries, the report said.
In all, the three firms ran about 52 million queries.
Alpha Labs reported 1,000 staff; Beta Corp reported $5 million in revenue.
"""

FACTS = """
- id: alpha.queries
  label: Queries by Alpha Labs
  value: 40000000
  unit: queries
  qualifier: exact
  citations:
    - {source: news, quote: "Alpha Labs ran 40 million queries against the model in 2025."}
- id: beta.queries
  label: Queries by Beta Corp
  value: 10000000
  unit: queries
  qualifier: exact
  citations:
    - {source: news, quote: "Beta Corp ran 10 million queries in the same period."}
- id: gamma.queries
  label: Queries by Gamma Inc
  value: 2000000
  unit: queries
  qualifier: over
  citations:
    - {source: news, quote: "Gamma Inc ran more than 2 million queries, the report said."}
- id: all.queries
  label: Queries by the three firms
  value: 52000000
  unit: queries
  qualifier: about
  citations:
    - {source: news, quote: "In all, the three firms ran about 52 million queries."}
- id: alpha.staff
  label: Staff of Alpha Labs
  value: 1000
  unit: staff
  qualifier: exact
  citations:
    - {source: news, quote: "Alpha Labs reported 1,000 staff; Beta Corp reported $5 million in revenue."}
"""


@pytest.fixture
def firms(project: MiniProject) -> MiniProject:
    project.source("news", NEWS)
    project.facts(FACTS)
    return project


def _computed(firms: MiniProject, entry: str) -> tuple[int, str]:
    firms.facts(entry, name="computed.yaml")
    run = firms.run("check")
    return run.code, run.out


def _line(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)


COMPUTED = "briefings/facts/computed.yaml"


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        (
            "- id: c.total\n  label: All queries\n  sum: [alpha.queries]\n",
            "sum:",
            "computed figure 'c.total' is a sum of one fact, which is that fact itself",
        ),
        (
            "- id: c.total\n  label: All queries\n  sum: [alpha.queries, beta.queries, alpha.queries]\n",
            "sum:",
            "computed figure 'c.total' uses 'alpha.queries' twice in its sum",
        ),
        (
            "- id: c.share\n  label: Alpha's share\n  share: {part: alpha.queries, of: [beta.queries, gamma.queries]}\n",
            "share:",
            "the part 'alpha.queries' of computed figure 'c.share' is not in its whole "
            "(beta.queries, gamma.queries)",
        ),
        (
            "- id: c.share\n  label: Alpha's share\n  share: {part: alpha.queries, of: [alpha.queries]}\n",
            "share:",
            "computed figure 'c.share' is a share of a whole of one fact, which is always 100%",
        ),
        (
            "- id: c.mixed\n  label: Queries and staff\n  sum: [alpha.queries, alpha.staff]\n",
            "sum:",
            "computed figure 'c.mixed' mixes units: 'alpha.queries' counts queries, "
            "'alpha.staff' counts staff",
        ),
        (
            "- id: c.both\n  label: Two formulas\n  sum: [alpha.queries, beta.queries]\n"
            "  ratio: [alpha.queries, beta.queries]\n",
            "ratio:",
            "computed figure 'c.both' has two formulas (sum and ratio)",
        ),
        (
            "- id: c.diff\n  label: How many more\n  difference: [beta.queries, alpha.queries]\n",
            "difference:",
            "computed figure 'c.diff' is negative whatever its inputs' qualifiers allow",
        ),
    ],
)
def test_a_malformed_formula_is_a_located_error(
    firms: MiniProject, entry: str, where: str, message: str
) -> None:
    code, out = _computed(firms, entry)
    assert code == 1
    line = _line(entry, where)
    located = [row for row in out.splitlines() if row.startswith(f"{COMPUTED}:{line}:")]
    assert any(message in row for row in located), out


def test_the_old_formula_syntax_is_named_with_the_new_form(firms: MiniProject) -> None:
    entry = (
        "- id: c.share\n  label: Alpha's share\n  formula: share\n"
        "  inputs: [alpha.queries, alpha.queries, beta.queries]\n  unit: percent\n"
    )
    code, out = _computed(firms, entry)
    assert code == 1
    assert (
        f"{COMPUTED}:3:3: error: 'formula:' and 'inputs:' are no longer read: a computed "
        "figure names its formula as a key"
    ) in out
    assert (
        "hint: write 'share: {part: alpha.queries, of: [alpha.queries, beta.queries]}' in "
        "their place, and remove 'unit:' (it comes from the inputs)"
    ) in out


def test_a_sum_that_contradicts_the_reported_total_is_a_disagreement(firms: MiniProject) -> None:
    """Shown as any disagreement: a warning with both values and their sources in check,
    and once, in the computed figure's first note, 'The reported figures imply X; Y reports Z'."""
    entry = (
        "- id: c.total\n  label: Queries by Alpha Labs and Beta Corp\n"
        "  sum: [alpha.queries, beta.queries]\n  compare_with: all.queries\n"
    )
    assert _computed(firms, entry)[0] == 0  # 50 million is within about 52 million
    assert "warning:" not in _computed(firms, entry)[1]
    code, out = _computed(firms, entry.replace("all.queries", "alpha.queries"))
    assert code == 0
    assert out.splitlines()[0] == (
        f"{COMPUTED}:1:3: warning: computed figure 'c.total' disagrees with the reported "
        "'alpha.queries': the figures reported by news imply 50 million (50 million exactly); "
        "news reports 40 million"
    )
    assert "acknowledge: {derived-contradicts: <why>}" in out
    assert firms.run("check", "--strict").code == 1
    firms.briefing("Together [[c.total]] queries; again [[c.total]].\n")
    assert firms.run("build").code == 0
    page = (firms.root / "output" / "b.html").read_text(encoding="utf-8")
    assert page.count("The reported figures imply") == 1
    assert re.search(r"The reported figures imply 50\W+million; .*?reports “40\W+million\.”", page)
    assert "Disputed: see note 1." in page


def test_a_label_that_names_another_firm_is_an_error(firms: MiniProject) -> None:
    firms.file(
        "briefings/entities.yaml",
        "entities:\n  - {id: alpha, name: Alpha Labs}\n  - {id: beta, name: Beta Corp}\n"
        "  - {id: gamma, name: Gamma Inc}\n  - {id: firms, name: the three firms, members: [alpha, beta, gamma]}\nunits:\n  - {id: queries, singular: query, "
        "plural: queries}\n  - {id: staff, singular: staff member, plural: staff}\n",
    )
    with_subjects = FACTS
    for firm in ("alpha", "beta", "gamma"):
        with_subjects = with_subjects.replace(
            f"- id: {firm}.queries\n", f"- id: {firm}.queries\n  subject: {firm}\n"
        )
    with_subjects = with_subjects.replace(
        "- id: all.queries\n", "- id: all.queries\n  subject: firms\n"
    ).replace("- id: alpha.staff\n", "- id: alpha.staff\n  subject: alpha\n")
    firms.facts(with_subjects)
    good = "- id: c.share\n  label: Alpha Labs' share\n  share: {part: alpha.queries, of: [alpha.queries, beta.queries]}\n"
    code, out = _computed(firms, good)
    assert code == 0, out
    code, out = _computed(firms, good.replace("Alpha Labs' share", "Beta Corp's share"))
    assert code == 1
    assert (
        "the label of computed figure 'c.share' does not name Alpha Labs, whose figure it is "
        "a share of"
    ) in out
    code, out = _computed(
        firms, good.replace("Alpha Labs' share", "Alpha Labs' share, unlike Gamma Inc's")
    )
    assert "the label of computed figure 'c.share' names Gamma Inc, but no input is about" in out


@pytest.mark.parametrize(
    ("formula", "shown"),
    [
        ("sum: [alpha.queries, beta.queries]", "50 million"),
        # '40 million' and '10 million' give one significant figure: 52 million rounds down
        ("sum: [alpha.queries, beta.queries, gamma.queries]", "more than 50 million"),
        ("share: {part: beta.queries, of: [alpha.queries, beta.queries]}", "20%"),
        (
            "share: {part: beta.queries, of: [alpha.queries, beta.queries, gamma.queries]}",
            "less than 20%",
        ),
        ("share: {part: gamma.queries, of: [alpha.queries, gamma.queries]}", "more than 4%"),
        ("ratio: [alpha.queries, beta.queries]", "4 times"),
        ("ratio: [alpha.queries, gamma.queries]", "less than 20 times"),
        ("difference: [alpha.queries, beta.queries]", "30 million"),
        ("change: {from: beta.queries, to: alpha.queries}", "a rise of 300%"),
        ("change: {from: alpha.queries, to: beta.queries}", "a fall of about 80%"),
    ],
)
def test_each_formula_is_worded_as_its_inputs_allow(
    firms: MiniProject, formula: str, shown: str
) -> None:
    firms.facts(
        f"- id: c.figure\n  label: Queries by Alpha Labs, Beta Corp and Gamma Inc\n  {formula}\n",
        name="computed.yaml",
    )
    firms.briefing("The figure is [[c.figure]].\n")
    run = firms.run("build", "b")
    assert run.code == 0, run.out
    html = (firms.root / "output" / "b.html").read_text(encoding="utf-8")
    assert f">{shown}<" in html.replace("\u00a0", " "), shown
