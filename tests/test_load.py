"""Reading YAML: the values staff write become the types they mean, each with its place."""

from __future__ import annotations

from citebrief.facts.load import load_yaml

TYPES = """\
plain date: 2026-10-23
quoted date: "2026-10-23"
count: 24000
share: 12.5
yes: true
norway: NO
nothing: null
block: |
  two
  lines
list: [1, "1", one]
"""


def test_plain_scalars_take_their_yaml_type_and_quoted_ones_stay_text() -> None:
    loaded, problems = load_yaml(TYPES, "facts.yaml")
    assert problems == []
    assert loaded is not None
    assert loaded.value == {
        "plain date": "2026-10-23",  # dates are read by values.read_date, which reports 2026-02-30
        "quoted date": "2026-10-23",
        "count": 24000,
        "share": 12.5,
        "yes": True,
        "norway": "NO",
        "nothing": None,
        "block": "two\nlines\n",
        "list": [1, "1", "one"],
    }


def test_every_value_and_key_keeps_its_line_and_column() -> None:
    loaded, _ = load_yaml(TYPES, "facts.yaml", line_offset=10)
    assert loaded is not None
    assert str(loaded.at(("count",))) == "facts.yaml:13:8"
    assert str(loaded.at(("list", 2))) == "facts.yaml:21:16"
    assert str(loaded.key_at(("share",))) == "facts.yaml:14:1"
    assert str(loaded.at(("list", 7))) == "facts.yaml:21:7"  # nearest ancestor


def test_a_second_document_in_one_file_is_a_located_error() -> None:
    loaded, problems = load_yaml("a: 1\n---\nb: 2\n", "facts.yaml")
    assert loaded is None
    assert str(problems[0].location) == "facts.yaml:2:1"
    assert "expected a single document" in problems[0].message
