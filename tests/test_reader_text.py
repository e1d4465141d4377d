"""What a reader sees outside the prose reads like the prose: figures with their units,
dates in house style, unknowns in words that fit a sentence."""

from __future__ import annotations

from conftest import MiniProject

from citebrief.check import check
from citebrief.document.model import Chart
from citebrief.facts.corpus import Project

ARTICLE = "Each licence allows up to 90 chips a month; on average firms ask for 45 chips.\n"


def chip_project(project: MiniProject) -> MiniProject:
    project.source(
        "bis", ARTICLE, publisher="BIS", published="2026-01-15", title="Chip Export Licensing"
    )
    project.facts(
        """
        - id: lic.max
          label: Maximum
          value: 90
          unit: chips
          qualifier: up-to
          citations:
            - source: bis
              quote: "Each licence allows up to 90 chips a month"
        - id: lic.avg
          label: Average
          value: 45
          unit: chips
          qualifier: exact
          citations:
            - source: bis
              quote: "on average firms ask for 45 chips"
        """
    )
    project.briefing(
        """
        A licence allows [[lic.max]] chips; firms ask for [[lic.avg]].

        ```chart
        name: chips
        kind: bars
        title: Chips per licence
        facts: [lic.max, lic.avg]
        ```
        """,
        name="chips",
    )
    return project


def test_a_charts_data_line_gives_each_figure_with_its_unit(project: MiniProject) -> None:
    report = check(Project(chip_project(project).root))
    assert not [p for p in report.problems if p.severity.value == "error"], report.problems
    (chart,) = [b for b in report.briefings[0].blocks if isinstance(b, Chart)]
    assert [d.with_unit for d in chart.data] == ["up to 90 chips", "45 chips"]


def test_what_changed_gives_old_and_new_figures_with_their_unit(project: MiniProject) -> None:
    from citebrief.history.diff import compare_corpora
    from citebrief.model import DateStyle

    chip_project(project)
    before = check(Project(project.root)).corpus
    facts = project.root / "briefings/facts/facts.yaml"
    text = facts.read_text().replace("value: 90", "value: 91")
    facts.write_text(text.replace("up to 90 chips", "up to 91 chips"))
    (project.root / "sources/bis.txt").write_text(
        (project.root / "sources/bis.txt").read_text().replace("up to 90", "up to 91")
    )
    after = check(Project(project.root)).corpus
    changes = compare_corpora((before, ()), (after, ()), "HEAD", "the last commit", DateStyle.UK)
    (change,) = changes.facts_changed
    assert ("value", "up to 90 chips", "up to 91 chips") in change.changes


TIMELINE = """
    The rule was published on [[rule.published]].

    ```chart
    name: events
    kind: timeline
    title: Events
    facts: [rule.published]
    ```

    ```timeline
    ```
    """


def dated_project(project: MiniProject) -> MiniProject:
    project.source("bis", "The rule was published on 15 January 2026.\n", publisher="BIS")
    project.facts(
        """
        - id: rule.published
          label: BIS publishes the rule
          value: 2026-01-15
          citations:
            - source: bis
              quote: "The rule was published on 15 January 2026"
        """
    )
    project.briefing(TIMELINE, name="dated")
    return project


def test_an_unrelated_dated_fact_leaves_the_briefing_unchanged(project: MiniProject) -> None:
    dated_project(project)
    before = check(Project(project.root)).briefings[0].to_json()
    project.source("other", "The summit met on 3 March 2025.\n", publisher="Elsewhere")
    project.facts(
        """
        - id: other.summit
          label: An unrelated summit
          value: 2025-03-03
          citations:
            - source: other
              quote: "The summit met on 3 March 2025"
        """,
        name="other.yaml",
    )
    report = check(Project(project.root))
    assert "other.summit" in report.corpus.facts
    assert report.briefings[0].to_json() == before


def test_a_timeline_chart_draws_only_the_facts_it_names(project: MiniProject) -> None:
    dated_project(project)
    project.briefing(TIMELINE.replace("    facts: [rule.published]\n", ""), name="dated")
    result = project.run("check")
    assert result.code == 1
    assert "briefings/dated.md:" in result.out and "has no facts to draw" in result.out
