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
