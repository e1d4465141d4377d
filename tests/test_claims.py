"""Facts say what they are about: entities, subjects and units, and the claims quotes must state."""

from __future__ import annotations

import json

import pytest
from conftest import MiniProject

REGISTER = """
entities:
  - id: minimax
    name: MiniMax
  - id: deepseek
    name: DeepSeek
  - id: moonshot
    name: Moonshot AI
    aliases: [Moonshot, "Kimi's maker"]
units:
  - id: exchanges
    singular: exchange
    plural: exchanges
    aliases: [interactions, prompts, API calls]
  - id: accounts
    singular: account
    plural: accounts
"""

ARTICLE = """The scale varied across the three firms. Anthropic tracked more than 150,000 exchanges linked to DeepSeek. MiniMax accounted for roughly 13 million interactions, with activity focused on coding.
According to Anthropic, the scale of activity differed:
  \u2022 DeepSeek: about 150,000 interactions
  \u2022 Moonshot AI: over 3.4 million interactions
The labs opened 24,000 accounts. Kimi's maker sent over 3.4 million prompts to Claude.
The blog post was released on Monday, February 23, 2026, in San Francisco.
While Anthropic has not yet initiated legal action, it has taken steps to block known access points.
"""


@pytest.fixture
def registered(project: MiniProject) -> MiniProject:
    project.file("briefings/entities.yaml", REGISTER)
    project.source("news-1", ARTICLE)
    return project


def number(quote: str, value: str = "13000000", subject: str | None = "minimax", **over) -> str:
    fields = {"unit": "exchanges", "qualifier": "about", **over}
    lines = ["- id: x.figure", "  label: A figure", f"  value: {value}"]
    if subject:
        lines.append(f"  subject: {subject}")
    lines += [f"  {k}: {v}" for k, v in fields.items()]
    lines += ["  citations:", "    - source: news-1", f"      quote: {json.dumps(quote)}"]
    return "\n".join(lines) + "\n"


def errors(project: MiniProject) -> list[str]:
    return [line for line in project.run("check").out.splitlines() if ": error: " in line]


def hints(project: MiniProject) -> list[str]:
    return [line for line in project.run("check").out.splitlines() if line.startswith("  hint:")]


# --- the register -------------------------------------------------------------------------


def test_a_number_without_a_subject_says_exactly_what_to_add(registered: MiniProject) -> None:
    registered.facts(number("MiniMax accounted for roughly 13 million interactions", subject=None))
    assert errors(registered) == [
        "briefings/facts/facts.yaml:1:3: error: number fact 'x.figure' does not say what it is about"
    ]
    assert hints(registered) == [
        "  hint: add 'subject:' with the id of an entity in briefings/entities.yaml: "
        "deepseek, minimax, moonshot"
    ]


def test_an_unknown_subject_names_the_closest_entity(registered: MiniProject) -> None:
    registered.facts(
        number("MiniMax accounted for roughly 13 million interactions", subject="minmax")
    )
    assert errors(registered) == [
        "briefings/facts/facts.yaml:4:12: error: subject 'minmax' of fact 'x.figure' is not in "
        "briefings/entities.yaml"
    ]
    assert hints(registered)[0].startswith("  hint: did you mean 'minimax'? the entities are:")


def test_a_unit_written_as_one_of_its_nouns_points_to_its_id(registered: MiniProject) -> None:
    registered.facts(
        number("MiniMax accounted for roughly 13 million interactions", unit="interactions")
    )
    assert errors(registered) == [
        "briefings/facts/facts.yaml:5:9: error: unit 'interactions' of 'x.figure' is not in "
        "briefings/entities.yaml"
    ]
    assert hints(registered) == [
        "  hint: 'interactions' is a noun of unit 'exchanges': write 'unit: exchanges'"
    ]


def test_a_project_without_a_register_needs_no_subjects(project: MiniProject) -> None:
    project.source("news-1", ARTICLE)
    project.facts(
        number(
            "MiniMax accounted for roughly 13 million interactions",
            subject=None,
            unit="interactions",
        )
    )
    assert project.run("check").code == 0


# --- claims: subject, unit, qualifier in context, weekday, polarity ---------------------------


def test_a_quote_about_another_lab_does_not_back_the_figure(registered: MiniProject) -> None:
    registered.facts(
        number(
            "Anthropic tracked more than 150,000 exchanges", "150000", "minimax", qualifier="over"
        )
    )
    assert errors(registered) == [
        "briefings/facts/facts.yaml:9:14: error: the quote from 'news-1' and the sentence it "
        "stands in do not name MiniMax (subject: minimax); it names DeepSeek"
    ]
    assert "If the figure is DeepSeek's, the subject is 'deepseek'." in hints(registered)[0]


def test_a_list_item_names_its_subject(registered: MiniProject) -> None:
    registered.facts(
        number("over 3.4 million interactions", "3400000", "moonshot", qualifier="over")
    )
    assert errors(registered) == []


def test_a_pronoun_takes_its_subject_from_the_sentence_before(registered: MiniProject) -> None:
    registered.facts(
        number("sent over 3.4 million prompts to Claude", "3400000", "moonshot", qualifier="over")
    )
    assert errors(registered) == []


def test_a_number_of_accounts_does_not_back_a_number_of_exchanges(registered: MiniProject) -> None:
    registered.facts(number("The labs opened 24,000 accounts.", "24000", None, qualifier="exact"))
    registered.facts(
        number("The labs opened 24,000 accounts.", "24000", "minimax", qualifier="exact").replace(
            "minimax", "deepseek"
        )
    )
    run = registered.run("check")
    assert (
        "briefings/facts/facts.yaml:5:9: error: the quote from 'news-1' states '24,000 accounts', "
        "which does not count exchanges "
        "(exchanges, exchange, interactions, prompts, API calls)"
    ) in run.out
    assert (
        "the source counts accounts here: if the fact counts accounts, write 'unit: accounts'"
        in run.out
    )


def test_the_qualifier_of_a_fragment_is_read_in_its_sentence(registered: MiniProject) -> None:
    registered.facts(
        number("13 million interactions, with activity focused on coding", qualifier="exact")
    )
    assert errors(registered) == [
        "briefings/facts/facts.yaml:3:10: error: qualifier 'exact' of fact 'x.figure' contradicts "
        "its quotes, which say 'roughly' (news-1)"
    ]


def date_fact(quote: str, value: str) -> str:
    return (
        f"- id: x.date\n  label: A date\n  subject: minimax\n  value: {value}\n  citations:\n"
        f"    - source: news-1\n      quote: {json.dumps(quote)}\n"
    )


def test_a_weekday_next_to_a_date_must_agree_with_the_calendar(registered: MiniProject) -> None:
    project = registered
    project.source(
        "news-1", "MiniMax's post was released on Sunday, February 23, 2026, in Shanghai.\n"
    )
    project.facts(
        date_fact("MiniMax's post was released on Sunday, February 23, 2026", "2026-02-23")
    )
    assert errors(project) == [
        "briefings/facts/facts.yaml:7:14: error: the quote from 'news-1' says 'Sunday' next to "
        "'February 23, 2026', but 23 February 2026 was a Monday"
    ]


def test_a_weekday_standing_for_the_date_must_agree(registered: MiniProject) -> None:
    project = registered
    project.source(
        "news-1", "On Sunday, MiniMax released its model, the company said on 23 February 2026.\n"
    )
    project.facts(
        date_fact(
            "On Sunday, MiniMax released its model, the company said on 23 February 2026",
            "2026-02-23",
        )
    )
    assert "but 23 February 2026 was a Monday" in errors(project)[0]


def test_a_right_weekday_passes(registered: MiniProject) -> None:
    registered.facts(
        date_fact("The blog post was released on Monday, February 23, 2026", "2026-02-23").replace(
            "subject: minimax\n", ""
        )
    )
    assert [e for e in errors(registered) if "weekday" in e or "Monday" in e] == []


def statement(value: str, quote: str) -> str:
    return (
        f"- id: x.says\n  label: Response\n  value: {value}\n  citations:\n"
        f"    - source: news-1\n      quote: {json.dumps(quote)}\n"
    )


def test_a_statement_that_inverts_its_quote_is_an_error(registered: MiniProject) -> None:
    quote = "While Anthropic has not yet initiated legal action, it has taken steps"
    registered.facts(statement("Anthropic has taken legal action", quote))
    assert errors(registered) == [
        "briefings/facts/facts.yaml:6:14: error: the quote from 'news-1' is negative ('not') "
        "but the statement of fact 'x.says' is not"
    ]
    registered.facts(statement("Anthropic has not taken legal action", quote))
    assert errors(registered) == []
    registered.facts(
        statement(
            "Anthropic has not blocked access points",
            "it has taken steps to block known access points",
        )
    )
    assert errors(registered) == [
        "briefings/facts/facts.yaml:3:10: error: the statement of fact 'x.says' is negative "
        "('not') but none of its quotes is"
    ]


# --- the figure gate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prose", "figure"),
    [
        ("The labs sent sixteen million prompts.", "sixteen million"),
        ("The paper draws on nine sources.", "nine"),
        ("Some `25%` of the revenue.", "25%"),
    ],
)
def test_figures_in_words_reach_no_reader_uncited(
    registered: MiniProject, prose: str, figure: str
) -> None:
    registered.briefing(f"{prose}\n")
    column = prose.index(figure) + 1  # located at the figure itself
    assert errors(registered) == [
        f"briefings/b.md:9:{column}: error: '{figure}' is a figure that does not come from a "
        "fact reference"
    ]


@pytest.mark.parametrize(
    ("prose", "words", "column"),
    [
        ("Two-thirds of the accounts were fake.", "Two-thirds of", 1),
        ("A quarter of the traffic came from proxies.", "A quarter of", 1),
        ("Three in four analysts agree.", "Three in four", 1),
        ("MiniMax sent twice as many prompts.", "twice as many", 14),
        ("Its traffic *doubled* in a month.", "doubled", 14),
        ("A threefold rise, or a three-fold one.", "threefold", 3),
        ("The lab sent five times as many prompts.", "five times as many", 14),
        ("The lab sent 5 times more prompts.", "5 times more", 14),
    ],
)
def test_ratio_words_reach_no_reader_uncited(
    registered: MiniProject, prose: str, words: str, column: int
) -> None:
    """One error per ratio, at its column, with the formula to write (issue 16)."""
    registered.briefing(f"{prose}\n")
    run = registered.run("check")
    found = [line for line in run.out.splitlines() if ": error: " in line]
    assert found[0] == (
        f"briefings/b.md:9:{column}: error: '{words}' is a figure (a ratio in words) that "
        "does not come from a fact reference"
    )
    share = words[0].isupper()  # a fraction: a share of a whole
    formula = "share: {part: a.fact, of: [a.fact, b.fact]}" if share else "ratio: [a.fact, b.fact]"
    assert formula in run.out and "[[derived.NAME]] in place of the words" in run.out
    assert "uncited-figure" not in run.out and len(found) == (2 if "three-fold" in prose else 1)


def test_labels_and_named_sets_are_not_figures(registered: MiniProject) -> None:
    registered.briefing(
        "The three labs, Figure 1 and seed 003: one source is machine-written; Part 740 and "
        "the [[literal:H20]], [[literal:R1]] and [[literal:K2.5]].\n"
    )
    assert errors(registered) == []


def test_a_figure_in_the_title_or_an_unknown_code_block_is_checked(registered: MiniProject) -> None:
    registered.briefing("```text\nAbout 24,000 accounts\n```\n", title="'16 million exchanges'")
    assert errors(registered) == [
        "briefings/b.md:2:8: error: '16 million' is a figure that does not come from a fact reference"
    ]
    registered.briefing("```text\nAbout 24,000 accounts\n```\n")
    assert errors(registered) == [
        "briefings/b.md:10:1: error: '24,000' is a figure that does not come from a fact reference"
    ]


def test_literal_is_never_for_a_quantity_and_no_hint_suggests_it(registered: MiniProject) -> None:
    registered.briefing("Nvidia keeps [[literal:25%]] of it.\n")
    assert errors(registered) == [
        "briefings/b.md:9:14: error: [[literal:25%]] hides the figure '25%' from the citation gate"
    ]
    registered.briefing("Nvidia keeps 25% of it, on its Model 740.\n")
    run = registered.run("check")
    assert "literal:25%" not in run.out
    assert "write [[literal:740]]" in run.out


# --- whose figure, weekdays as dates, units of another kind (review fixes) -------------------


def test_a_figure_in_another_labs_list_item_does_not_back_the_subject(
    registered: MiniProject,
) -> None:
    quote = "DeepSeek: about 150,000 interactions \u2022 Moonshot AI: over 3.4 million interactions"
    registered.facts(number(quote, "3400000", "deepseek", qualifier="over"))
    run = registered.run("check")
    assert (
        "error: in the quote from 'news-1', '3.4 million' is stated for Moonshot AI, not for "
        "DeepSeek (subject: deepseek)"
    ) in run.out
    assert "If the figure is Moonshot AI's, the subject is 'moonshot'." in run.out
    assert "correct the value" not in run.out


@pytest.mark.parametrize(
    ("sentence", "value", "owner"),
    [
        (
            "MiniMax sent 13 million prompts, while DeepSeek sent 150,000 prompts.",
            "150000",
            "DeepSeek",
        ),
        ("DeepSeek sent 150,000 prompts, while MiniMax sent 13 million prompts.", "13000000", ""),
        ("MiniMax sent 13 million prompts; DeepSeek sent 150,000 prompts.", "13000000", ""),
        ("DeepSeek sent 150,000 prompts and MiniMax sent 13 million prompts.", "13000000", ""),
        (
            "DeepSeek sent 150,000 prompts and MiniMax sent 13 million prompts.",
            "150000",
            "DeepSeek",
        ),
        ("DeepSeek sent 150,000 prompts, against 13 million prompts from MiniMax.", "13000000", ""),
        ("DeepSeek, Moonshot AI and MiniMax sent 13 million prompts in all.", "13000000", ""),
        ("13 million prompts were sent by MiniMax, against 150,000 by DeepSeek.", "13000000", ""),
    ],
)
def test_a_figure_is_bound_to_the_entity_of_its_clause(
    registered: MiniProject, sentence: str, value: str, owner: str
) -> None:
    registered.source("news-1", sentence + "\n")
    registered.facts(number(sentence, value, "minimax"))
    found = [e for e in errors(registered) if "is stated for" in e]
    assert len(found) == (1 if owner else 0)
    assert all(f"is stated for {owner}, not for MiniMax" in e for e in found)


def weekday_source(project: MiniProject) -> None:
    project.source(
        "news-1",
        "MiniMax said on Tuesday that it had closed the accounts.\n",
        published="2026-03-04",
    )


def test_a_weekday_resolves_against_the_sources_own_date(registered: MiniProject) -> None:
    weekday_source(registered)
    registered.facts(
        date_fact("MiniMax said on Tuesday that it had closed the accounts", "2026-03-03")
    )
    assert errors(registered) == []


def test_a_wrong_date_for_a_weekday_names_the_weekday_and_what_it_resolves_to(
    registered: MiniProject,
) -> None:
    weekday_source(registered)
    registered.facts(
        date_fact("MiniMax said on Tuesday that it had closed the accounts", "2026-03-02")
    )
    run = registered.run("check")
    assert "but 2 March 2026 was a Monday" in run.out
    assert "'Tuesday' (news-1, dated 2026-03-04: 2026-03-03)" in run.out
    assert "correct the value" not in run.out


def test_a_figure_stated_in_another_unit_says_the_unit_is_wrong(registered: MiniProject) -> None:
    registered.source("news-1", "MiniMax settled the lawsuit for $1.5 billion with authors.\n")
    registered.facts(
        number(
            "MiniMax settled the lawsuit for $1.5 billion with authors",
            "1500000000",
            unit="percent",
            qualifier="exact",
        )
    )
    run = registered.run("check")
    assert errors(registered) == [
        "briefings/facts/facts.yaml:5:9: error: the unit 'percent' of fact 'x.figure' is not "
        "what its quotes state: 'news-1' gives '$1.5 billion', a sum in US dollars"
    ]
    assert "hint: the value is stated, in another unit: write 'unit: USD'" in run.out
    assert "correct the value" not in run.out


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0.35", "0.35%"), ("12.25", "12.25%"), ("1234567", "1,234,567"), ("3400000", "3.4 million")],
)
def test_a_value_is_shown_as_written_never_rounded(value: str, shown: str) -> None:
    from decimal import Decimal

    from citebrief.facts.display import format_quantity

    unit = "percent" if shown.endswith("%") else "exchanges"
    assert format_quantity(Decimal(value), unit, None) == shown


def test_a_quote_into_a_table_read_as_one_long_sentence_is_read_with_its_own_line() -> None:
    """A table extracted from a PDF can have no sentence break in thousands of lines; the
    context of a quote into it is the quote's line, not the whole table (whose every
    figure would otherwise be read again for every quote into it)."""
    from citebrief.claims.sentences import LONGEST_CONTEXT, context_of

    rows = [f"{i + 100} requests were counted at depot {i}" for i in range(3000)]
    text = "\n".join(rows) + "\n"
    quote = rows[1500]
    start = text.index(quote)
    context = context_of(text, start, start + len(quote))
    assert context.text == quote
    assert context.quote == quote
    one_line = "word " * 2000 + quote + " word" * 2000  # a line with no break at all
    start = one_line.index(quote)
    context = context_of(one_line, start, start + len(quote))
    assert context.quote == quote
    assert len(context.text) <= LONGEST_CONTEXT + len(quote) + 20
