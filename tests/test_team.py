"""The team's commands: uses (who depends on this?), search (where is it said?), unused."""

from __future__ import annotations

import pytest
from conftest import MiniProject

NEWS = """Chinese labs ran approximately 24,000 exchanges through fraudulent accounts.
They generated over 16 million exchanges with Claude, the company said.
Separately, the weather in Washington was mild for the season.
"""
RULE = """The rule lets Nvidia ship H200 chips to approved customers in China.
In exchange, 25% of the revenue goes to the US government under the arrangement.
Nvidia declined to comment on the revenue share.
"""


@pytest.fixture
def team(project: MiniProject) -> MiniProject:
    project.source("news-1", NEWS)
    project.source("rule-1", RULE, publisher="unknown")
    project.source("never-cited", "A source nobody has used yet, archived for later.\n")
    project.facts(
        """
        - id: campaign.accounts
          label: Exchanges through fraudulent accounts
          value: 24000
          unit: exchanges
          qualifier: about
          citations:
            - source: news-1
              quote: "Chinese labs ran approximately 24,000 exchanges through fraudulent accounts."
        - id: campaign.exchanges
          label: Exchanges
          value: 16000000
          unit: exchanges
          qualifier: over
          citations:
            - source: news-1
              quote: "They generated over 16 million exchanges with Claude"
        - id: chips.share
          label: Revenue share
          value: 25
          unit: percent
          qualifier: exact
          citations:
            - source: rule-1
              quote: "25% of the revenue goes to the US government"
        - id: derived.per-account
          label: Exchanges through fraudulent accounts and all exchanges together
          sum: [campaign.accounts, campaign.exchanges]
        """
    )
    project.briefing("Accounts: [[campaign.accounts]].\n", name="accounts-memo")
    project.briefing("Both: [[derived.per-account]].\n", name="totals-memo")
    return project


def test_uses_a_fact_names_derived_figures_and_briefings(team: MiniProject) -> None:
    run = team.run("uses", "campaign.exchanges")
    assert run.code == 0, run.out
    assert run.out.splitlines() == [
        "campaign.exchanges (fact, briefings/facts/facts.yaml:9:3): Exchanges",
        "derived figures that depend on it (1):",
        "  derived.per-account (briefings/facts/facts.yaml:25:3)",
        "briefings that show it (1):",
        "  totals-memo (briefings/totals-memo.md:9:7) — shows campaign.exchanges, "
        "derived.per-account",
    ]


def test_uses_a_source_names_the_facts_citing_it_and_their_briefings(team: MiniProject) -> None:
    run = team.run("uses", "news-1")
    assert run.out.splitlines() == [
        "news-1 (source, sources/news-1.txt:1:1): Test article",
        "facts that cite it (2):",
        "  campaign.accounts (briefings/facts/facts.yaml:8:14)",
        "  campaign.exchanges (briefings/facts/facts.yaml:16:14)",
        "derived figures that depend on it (1):",
        "  derived.per-account (briefings/facts/facts.yaml:25:3)",
        "briefings that show it (2):",
        "  accounts-memo (briefings/accounts-memo.md:9:11) — shows campaign.accounts",
        "  totals-memo (briefings/totals-memo.md:9:7) — shows campaign.accounts, "
        "campaign.exchanges, derived.per-account",
    ]
    assert team.run("uses", "rule-1").out.splitlines()[-1] == (
        "briefings that show it: no briefing shows it"
    )


def test_uses_an_unknown_id_suggests_the_closest(team: MiniProject, capsys) -> None:
    run = team.run("uses", "campaign.acounts", capsys=capsys)
    assert run.code == 2
    assert "no fact, derived figure or source with id 'campaign.acounts'" in run.err
    assert "did you mean 'campaign.accounts'?" in run.err


def test_unused_lists_facts_and_sources_no_briefing_uses(team: MiniProject) -> None:
    run = team.run("unused")
    assert run.code == 0
    assert run.out.splitlines() == [
        "facts no briefing uses (1):",
        "  chips.share (briefings/facts/facts.yaml:17:3) — Revenue share",
        "sources no briefing uses (2):",
        "  never-cited (sources/never-cited.txt:1:1) — no fact cites it",
        "  rule-1 (sources/rule-1.txt:1:1) — cited only by facts no briefing uses: chips.share",
    ]


def test_search_ranks_the_passage_with_every_word_first(team: MiniProject) -> None:
    run = team.run("search", "revenue", "government")
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "1. sources/rule-1.txt:15:1 (publisher unknown; matches revenue, government)"
    assert lines[3].startswith("2. sources/rule-1.txt:16:1 (")
    assert len([line for line in lines if line[:1].isdigit()]) == 2  # the weather is not offered


def test_a_searched_passage_pastes_into_a_fact_that_checks(team: MiniProject) -> None:
    pasted = "\n".join(team.run("search", "exchanges", "Claude").out.splitlines()[1:3])
    team.facts(
        "- id: pasted.exchanges\n  label: Pasted\n  value: 16000000\n  unit: exchanges\n"
        "  qualifier: over\n  citations:\n" + pasted.replace("    - ", "    - ", 1) + "\n",
        name="pasted.yaml",
    )
    check = team.run("check")
    assert check.code == 0, check.out


def test_search_without_a_hit_says_so(team: MiniProject) -> None:
    run = team.run("search", "zeppelin")
    assert run.code == 1
    assert run.out == "no archived source contains any of: zeppelin\n"


def test_search_does_not_cut_a_sentence_at_an_abbreviation(project: MiniProject) -> None:
    project.source(
        "alert",
        "The exporter must show that shipments are not at the expense of potential U.S. "
        "customers, the rule says. Mr. Smith, of No. 10, agreed.\n",
    )
    run = project.run("search", "expense", "customers")
    assert run.out.splitlines()[2] == (
        '      quote: "The exporter must show that shipments are not at the expense of '
        'potential U.S. customers, the rule says."'
    )
    assert "Mr. Smith, of No. 10, agreed." in project.run("search", "Smith").out
