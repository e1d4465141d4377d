"""Statistical tables as sources: a CSV or XLSX archived as a table, a fact citing a cell by
its row label and column header, `check` verifying value, unit and subject from the headers.

tests/fixtures/licences.csv is a fictional table written for these tests; licences.xlsx is the
same table saved as a workbook by LibreOffice (tests/fixtures/make/make.sh).
"""

from __future__ import annotations

import pytest
from conftest import MiniProject
from test_sources import FIXTURES, add, archived

REGISTER = """
entities:
  - id: china
    name: China
    aliases: [PRC]
  - id: malaysia
    name: Malaysia
units:
  - id: licences
    singular: licence
    plural: licences
"""


def cell_fact(
    row: str, column: str, value: str, subject: str = "china", unit: str = "licences"
) -> str:
    return f"""
- id: licences.china.2025
  label: Export licences approved for China in 2025
  value: {value}
  subject: {subject}
  unit: {unit}
  qualifier: exact
  citations:
    - source: licence-stats
      cell: {{row: "{row}", column: "{column}"}}
"""


@pytest.fixture
def tabled(project: MiniProject) -> MiniProject:
    code, out = add(
        project,
        FIXTURES / "licences.csv",
        "--id",
        "licence-stats",
        "--license",
        "CC BY 4.0",
        "--title",
        "Licence statistics (test table)",
    )
    assert code == 0, out
    project.file("briefings/entities.yaml", REGISTER)
    return project


@pytest.mark.parametrize("name", ["licences.csv", "licences.xlsx"])
def test_a_csv_or_xlsx_is_archived_as_a_table_with_its_license(
    project: MiniProject, name: str
) -> None:
    code, out = add(project, FIXTURES / name, "--id", "t", "--license", "CC BY 4.0")
    assert code == 0, out
    front, body = archived(project, "t")
    assert 'format: "table"' in front and 'license: "CC BY 4.0"' in front
    assert body.splitlines()[0].startswith(
        "Destination,2024 licences approved,2025 licences approved"
    )
    assert "China,120,412,38.5,1250" in body  # a workbook's 412.0 is written as the sheet shows it
    assert (
        "archived as a table of 3 rows and 4 columns of figures; cite a cell by its row label "
        'and column header: cell: {row: "China", column: "2024 licences approved"}'
    ) in out
    assert project.run("check").code == 0


def test_a_table_without_a_license_says_it_is_unknown(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "licences.csv", "--id", "t")
    assert code == 0, out
    assert 'license: "unknown"' in archived(project, "t")[0]


def test_a_fact_cites_a_cell_and_check_passes(tabled: MiniProject) -> None:
    tabled.facts(cell_fact("China", "2025 licences approved", "412"))
    result = tabled.run("check")
    assert result.code == 0, result.out


def test_a_wrong_cell_value_is_a_located_error(tabled: MiniProject) -> None:
    path = tabled.facts(cell_fact("China", "2025 licences approved", "421"))
    result = tabled.run("check")
    assert result.code == 1
    assert (
        "briefings/facts/facts.yaml:9:13: error: the cell at row 'China', column "
        "'2025 licences approved' holds '412' (412), but the fact's value is 421"
    ) in result.out, result.out
    assert path.exists()


def test_the_column_must_name_the_unit_and_the_row_the_subject(tabled: MiniProject) -> None:
    tabled.facts(cell_fact("Malaysia", "2025 licences approved", "97"))
    result = tabled.run("check")
    assert "the row 'Malaysia' is not about China (the fact's subject)" in result.out, result.out
    tabled.facts(cell_fact("China", "Share of applications approved (%)", "38.5"))
    result = tabled.run("check")
    assert (
        "the column 'Share of applications approved (%)' does not say it counts licences"
        in result.out
    )


def test_a_percentage_and_a_scaled_money_column_are_read_from_their_headers(
    tabled: MiniProject,
) -> None:
    tabled.facts(
        """
        - id: share
          label: Share of Chinese applications approved
          value: 38.5
          subject: china
          unit: percent
          qualifier: exact
          citations:
            - source: licence-stats
              cell: {row: China, column: "Share of applications approved (%)"}
        - id: value
          label: Value of licences for China
          value: 1250000000
          subject: china
          unit: USD
          qualifier: exact
          citations:
            - source: licence-stats
              cell: {row: China, column: "Value of licences (USD millions)"}
        """
    )
    result = tabled.run("check")
    assert result.code == 0, result.out


def test_an_unknown_row_or_column_names_the_ones_there_are(tabled: MiniProject) -> None:
    tabled.facts(cell_fact("Chna", "2025 licences approved", "412"))
    result = tabled.run("check")
    assert "table 'licence-stats' has no row 'Chna'" in result.out
    assert (
        "did you mean 'China'? its rows are 'China', 'Malaysia', 'United Arab Emirates'"
        in result.out
    )
    tabled.facts(cell_fact("China", "2026 licences approved", "412"))
    result = tabled.run("check")
    assert "table 'licence-stats' has no column '2026 licences approved'" in result.out


def test_a_citation_gives_a_quote_or_a_cell_not_both(tabled: MiniProject) -> None:
    tabled.facts(
        """
        - id: both
          label: Export licences approved for China in 2025
          value: 412
          subject: china
          unit: licences
          qualifier: exact
          citations:
            - source: licence-stats
              quote: China,120,412
              cell: {row: China, column: "2025 licences approved"}
        """
    )
    result = tabled.run("check")
    assert "a citation gives either a quote or a table's cell, not both" in result.out, result.out


def test_a_note_cites_the_table_by_row_and_column(tabled: MiniProject) -> None:
    tabled.facts(cell_fact("China", "2025 licences approved", "412"))
    source = tabled.root / "sources" / "licence-stats.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            'reliability: "unassessed"', 'reliability: "high"\nreliability_note: "test table"'
        ),
        encoding="utf-8",
    )
    tabled.briefing("China's approved licences: [[licences.china.2025]].\n")
    result = tabled.run("build", "b")
    assert result.code == 0, result.out
    html = (tabled.root / "output" / "b.html").read_text(encoding="utf-8")
    assert (
        "“Licence Statistics (Test Table),” n.d., accessed " in html
        and "row “China,” column “2025 licences approved.”" in html
    )
    evidence = (tabled.root / "output" / "b.evidence.html").read_text(encoding="utf-8")
    assert "“China, 2025 licences approved: 412”" in evidence
    # the table itself, its headers as headers, the cited cell highlighted
    assert '<tr><th>China</th><td>120</td><td><mark id="passage-1">412</mark></td>' in evidence
    assert "<th>2025 licences approved</th>" in evidence
    assert "Licence: CC BY 4.0." in evidence
