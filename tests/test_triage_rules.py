"""Triage, rule by rule, against the example fact base (briefings/facts/): what agrees,
what disagrees, what is new, and the noise never offered. The articles are written for the
tests, in the shapes of the real ones (tests/triage_set/ scores real articles)."""

from __future__ import annotations

from conftest import MiniProject

from citebrief.archive.triage import triage
from citebrief.facts.corpus import Project, load_corpus


def offered(project: MiniProject, text: str, **meta: str) -> list[tuple[str, str | None, str]]:
    """(verdict, fact id, figure as stated) of everything triage offers from ``text``."""
    project.source("news", text, **meta)
    corpus = load_corpus(Project.open(project.root)).corpus
    return [
        (f.verdict.value, f.fact.id if f.fact else None, f.stated)
        for f in triage(corpus.sources["news"], corpus)
    ]


def test_a_tariff_is_not_the_revenue_share_of_the_same_size(real_project: MiniProject) -> None:
    found = offered(
        real_project,
        "Nvidia may sell the H200 in China in exchange for 25% of the revenue. A 25% tariff "
        "on the H200 was announced the same week.\n",
    )
    assert ("agrees", "chips.h200.revenue-share", "25%") in found
    assert ("agrees", "chips.h200.tariff", "25%") in found


def test_an_effective_date_is_not_the_publication_date(real_project: MiniProject) -> None:
    found = offered(
        real_project,
        "The Bureau of Industry and Security released the rule on Jan. 13, 2026 and it was "
        "effective Jan. 15, 2026.\n",
    )
    assert ("new", None, "Jan. 13, 2026") in found
    assert ("new", None, "Jan. 15, 2026") in found
    assert not [f for f in found if f[1] == "chips.bis-rule.published"]


def test_a_coarser_date_that_contains_the_facts_agrees(real_project: MiniProject) -> None:
    found = offered(
        real_project,
        "The rule implements President Trump's announcement in early December 2025 that "
        "Nvidia could sell the H200 to approved customers.\n",
    )
    assert ("agrees", "chips.h200.decision-date", "December 2025") in found


def test_about_against_more_than_is_a_disagreement(real_project: MiniProject) -> None:
    found = offered(
        real_project,
        "Moonshot AI generated about 3.4 million exchanges with Claude. DeepSeek accounted "
        "for around 150,000 exchanges.\n",
    )
    assert ("disagrees", "labs.moonshot.exchanges", "about 3.4 million exchanges") in found
    assert ("disagrees", "labs.deepseek.exchanges", "around 150,000 exchanges") in found


def test_a_date_without_a_year_takes_the_articles(real_project: MiniProject) -> None:
    project = real_project
    project.source(
        "dated",
        "The Bureau of Industry and Security published the rule on Jan. 14.\n",
        published="2026-01-16",
    )
    corpus = load_corpus(Project.open(project.root)).corpus
    (finding,) = triage(corpus.sources["dated"], corpus)
    assert finding.verdict.value == "disagrees" and finding.fact is not None
    assert finding.fact.id == "chips.bis-rule.published"
    assert finding.caveat == "the source gives no year: 2026 is the year of the article's date"


def test_noise_is_never_offered(real_project: MiniProject) -> None:
    found = offered(
        real_project,
        "Export Desk\nJanuary 16, 2026\n\n"
        "The notice, docket number 251208-0059, follows the announcement (see 2512080059). "
        "Chips in ECCN 3A090 need a licence for Country Group D:5 under Part 740 of the EAR. "
        "The rule took effect in 2026. Officials listed 12 new. "
        "The 24,000 accounts were closed.\n\n"
        "50 TIMESPOINTS\n\nAlso Read: Chipmaker hires 29,000 staff\n\n"
        "© 2026 Example Press. All rights reserved.\n",
    )
    assert found == []


def test_a_table_is_triaged_cell_by_cell(project: MiniProject) -> None:
    project.file(
        "briefings/entities.yaml",
        """
        entities:
          - id: china
            name: China
        units:
          - id: licences
            singular: licence
            plural: licences
        """,
    )
    project.facts(
        """
        - id: lic.china.2025
          label: Licences approved for China in 2025
          value: 410
          subject: china
          unit: licences
          qualifier: exact
          citations:
            - source: stats
              quote: "China approved 410 licences"
        """
    )
    project.source("stats", "In 2025 China approved 410 licences.\n")
    project.source(
        "table",
        "Destination,2025 licences approved\nChina,412\n",
        format="table",
    )
    corpus = load_corpus(Project.open(project.root)).corpus
    (finding,) = triage(corpus.sources["table"], corpus)
    assert finding.verdict.value == "disagrees" and finding.fact is not None
    assert finding.cell is not None and finding.cell.row == "China"


def test_a_sentence_whose_first_word_ends_a_line_is_quoted_whole(real_project: MiniProject) -> None:
    """PDF text breaks lines anywhere: 'A' at the end of one line and 'separate 25% tariff'
    on the next is one sentence, and its quote starts with 'A'."""
    real_project.source(
        "pdf-text",
        "Nvidia may sell the H200 in China for 25% of the revenue. A\nseparate 25% tariff on "
        "the H200 was announced the same week.\n",
    )
    corpus = load_corpus(Project.open(real_project.root)).corpus
    quotes = {f.quote for f in triage(corpus.sources["pdf-text"], corpus)}
    assert "A separate 25% tariff on the H200 was announced the same week." in quotes


def test_a_new_figure_in_a_table_is_offered_with_its_columns_unit(project: MiniProject) -> None:
    """The header says what a column counts: '(%)' is percent, '(USD millions)' dollars."""
    project.source(
        "table",
        "Destination,Share of applications approved (%),Value of licences (USD millions)\n"
        "China,38.5,1250\n",
        format="table",
    )
    corpus = load_corpus(Project.open(project.root)).corpus
    found = {
        (f.cell.column, f.unit, f.bound) for f in triage(corpus.sources["table"], corpus) if f.cell
    }
    assert found == {
        ("Share of applications approved (%)", "percent", "exact"),
        ("Value of licences (USD millions)", "USD", "exact"),
    }
