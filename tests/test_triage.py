"""Intake triage: a new article set against the fact base, right after `add-source`."""

from __future__ import annotations

import io
import textwrap

import pytest
from conftest import MiniProject
from test_sources import FIXTURES, NEWS_ID
from test_triage_set import as_news

from citebrief.archive.triage import triage
from citebrief.cli import main
from citebrief.facts.corpus import Project, load_corpus


def run(project: MiniProject, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--project", str(project.root), *args], out=out)
    return code, out.getvalue()


@pytest.fixture
def news(real_project: MiniProject) -> tuple[MiniProject, str]:
    code, out = run(
        real_project,
        "add-source",
        str(FIXTURES / "news-page.html"),
        "--reliability",
        "medium",
        "--reliability-note",
        "a test page",
    )
    assert code == 0, out
    return real_project, out


def section(out: str, heading: str) -> str:
    """The lines under one heading of the triage, up to the next heading."""
    after = out.split(heading, 1)[1]
    lines = after.split("\n")[1:]
    kept = []
    for line in lines:
        if not line.startswith("  "):
            break
        kept.append(line)
    return "\n".join(kept)


def test_add_source_sets_a_news_article_against_the_fact_base(
    news: tuple[MiniProject, str],
) -> None:
    _, out = news
    assert f"triage: what '{NEWS_ID}' states, set against the fact base" in out
    agrees = section(out, "agrees with the fact base (cite it): 4")
    assert (
        "  labs.minimax.exchanges (about 13 million exchanges): states 'about 13 million exchanges'"
        in agrees
    )
    assert (
        "  labs.moonshot.exchanges (more than 3.4 million exchanges): states 'more than 3.4 million'"
        in agrees
    )
    assert (
        "  campaign.accounts (about 24,000 accounts): states 'approximately 24,000 fraudulent accounts'"
        in agrees
    )
    assert (
        "  campaign.exchanges (more than 16 million exchanges): states 'over 16 million exchanges'"
        in agrees
    )
    # the sentence says 'three Chinese laboratories', which the register does not list
    assert "note: the sentence does not name the fact's subject (three-labs)" in agrees
    assert (
        f"      - source: {NEWS_ID}\n"
        '        quote: "The largest share of the traffic came from MiniMax, with about 13 '
        'million exchanges, the company said."'
    ) in agrees
    disagrees = section(out, "disagrees with the fact base (cite it with 'disagrees:'): 1")
    assert disagrees == (
        "  chips.bis-rule.published (15 January 2026): states 'January 14, 2026' (line 22)\n"
        f"      - source: {NEWS_ID}\n"
        '        quote: "On January 14, 2026, the Bureau of Industry and Security published a '
        "rule revising its license review policy for H200-class chips, according to the "
        "agency's notice.\"\n"
        "        disagrees: <why this source states a different value>"
    )
    new = section(out, "not in the fact base yet: 2")
    assert "  '1,100 accounts' (line 24): Anthropic said it had banned 1,100 accounts" in new
    assert "  '10 weeks' (line 24): " in new


def paste(project: MiniProject, facts_file: str, fact_id: str, citation: str) -> None:
    """Paste a citation as the first of a fact's citations, as staff would."""
    path = project.root / "briefings" / "facts" / facts_file
    text = path.read_text()
    at = text.index("citations:\n", text.index(f"- id: {fact_id}\n")) + len("citations:\n")
    path.write_text(
        text[:at] + textwrap.indent(textwrap.dedent(citation), "    ") + "\n" + text[at:]
    )


def test_the_offered_citations_pass_check_once_pasted(news: tuple[MiniProject, str]) -> None:
    project, out = news
    agrees = section(out, "agrees with the fact base (cite it): 4")
    minimax = agrees.split("  labs.minimax.exchanges", 1)[1].split("\n")[1:3]
    paste(project, "campaign.yaml", "labs.minimax.exchanges", "\n".join(minimax))
    disagrees = section(out, "disagrees with the fact base (cite it with 'disagrees:'): 1")
    disputed = "\n".join(disagrees.split("\n")[1:]).replace(
        "<why this source states a different value>", "the Ledger dates the rule a day earlier"
    )
    paste(project, "chips.yaml", "chips.bis-rule.published", disputed)
    # the new disagreement adds a note to the memo, which then runs to two pages: `check`
    # holds a memo to its one-page budget, so this memo is given room here
    memo = project.root / "briefings/distillation-memo.md"
    memo.write_text(memo.read_text().replace("---\n", "---\nmax_pages: 2\n", 1))
    code, checked = run(project, "check")
    assert code == 0, checked
    assert (
        f"chips.bis-rule.published: fact says 2026-01-15; '{NEWS_ID}' states 'January 14, 2026'"
        in checked
    )
    assert ": error: " not in checked


def test_triage_runs_again_on_an_archived_source(news: tuple[MiniProject, str]) -> None:
    project, out = news
    code, again = run(project, "triage", NEWS_ID)
    assert code == 0
    after_archiving = "triage: " + out.split("\ntriage: ", 1)[1].split("\nnext:")[0]
    assert again.rstrip("\n") == after_archiving


def test_without_a_register_units_and_label_words_decide(project: MiniProject) -> None:
    project.source("old", "The agency counted 300 pending licence applications on March 1, 2026.\n")
    project.facts(
        """
        - id: lic.pending
          label: Pending licence applications
          value: 300
          unit: applications
          qualifier: exact
          citations:
            - source: old
              quote: "The agency counted 300 pending licence applications"
        """
    )
    project.source(
        "new",
        "By April the agency had 450 pending licence applications. It hired 12 officers.\n",
    )
    code, out = run(project, "triage", "new")
    assert code == 0, out
    assert "disagrees with the fact base (cite it with 'disagrees:'): 1\n" in out
    assert "  lic.pending (300 applications): states '450 pending licence applications'" in out
    assert "  '12 officers' (line " in out


def test_a_list_item_is_offered_alone_as_the_quote(real_project: MiniProject) -> None:
    corpus = load_corpus(Project.open(real_project.root)).corpus
    source = corpus.sources["seed004-economic-times"]
    quotes = {f.quote for f in triage(source, as_news(corpus, source.id))}
    assert "MiniMax: around 13 million interactions" in quotes
    assert "Moonshot AI: over 3.4 million interactions" in quotes


def test_figures_already_cited_from_the_source_are_not_offered_again(
    real_project: MiniProject,
) -> None:
    """The example fact base cites every figure of the Economic Times article (some with
    'disagrees:'): triage has nothing to offer from it."""
    code, out = run(real_project, "triage", "seed004-economic-times")
    assert code == 0, out
    assert "states no figure or full date the fact base lacks or cites elsewhere" in out


def test_without_a_register_no_internal_value_is_shown(project: MiniProject) -> None:
    """No entities.yaml: the note says what was compared, never "subject (None)"."""
    project.source("old", "The agency counted 300 pending licence applications on March 1, 2026.\n")
    project.facts(
        """
        - id: lic.pending
          label: Pending licence applications
          value: 300
          unit: applications
          qualifier: exact
          citations:
            - source: old
              quote: "The agency counted 300 pending licence applications"
        """
    )
    project.source("new", "By April the office said it had 300 applications in its queue.\n")
    code, out = run(project, "triage", "new")
    assert code == 0, out
    assert "None" not in out, out
    assert "the sentence shares few words with the fact's label: check it is the same" in out


def test_thousands_of_list_items_in_one_run_of_text_are_each_read(project: MiniProject) -> None:
    """A list with no blank line between its items (1,200 of them, split by page breaks) is
    one 'sentence' cut into items: each is read, however many there are."""
    project.source("old", "The agency counted 300 requests in March.\n")
    project.facts(
        """
        - id: agency.requests
          label: Requests counted
          value: 300
          unit: requests
          qualifier: exact
          citations:
            - source: old
              quote: "The agency counted 300 requests"
        """
    )
    project.source("list", "- 5 requests\n\f" * 1200)
    code, out = run(project, "triage", "list")
    assert code == 0, out
    assert out.count("'5 requests' (line ") == 1200
