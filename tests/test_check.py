"""`python build.py check`: every class of problem, with its exact file, line and message."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, MiniProject

ARTICLE = """Chinese labs opened approximately 24,000 fraudulent accounts.
They generated over 16 million exchanges with Claude.
MiniMax: around 13 million interactions, said the company.
Anthropic settled a lawsuit for $1.5 billion with authors.
On January 15, 2026, BIS published a rule on H200 chips.
In a memo sent on 12 February 2026 to the committee on China.
The incident entry is dated 2026-02-23 in the database.
Another report put the total at 16M+ exchanges with the model.
Nvidia would hand over 25% of the revenue to the government.
On January 15, the agency acted on the license policy.
Its \u201chydra cluster\u201d spread requests \u2013 across many keys.
"""


def first_line(output: str) -> str:
    return output.splitlines()[0]


@pytest.fixture
def article(project: MiniProject) -> MiniProject:
    project.source("news-1", ARTICLE)
    return project


# 1. YAML itself -----------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(article: MiniProject) -> None:
    article.facts(
        """
        - id: a.b
          label: "unclosed
          value: 3
        """
    )
    run = article.run("check")
    assert run.code == 1
    assert first_line(run.out).startswith("briefings/facts/facts.yaml:")
    assert "error: YAML syntax error" in run.out
    assert "hint:" in run.out


def test_duplicate_key_is_an_error_not_silently_overwritten(article: MiniProject) -> None:
    article.facts(
        """
        - id: campaign.accounts
          label: Accounts
          label: Accounts again
          value: unknown
          note: none
        """
    )
    run = article.run("check")
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:3:3: error: duplicate key 'label' (first given on line 2)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- &a {id: x.y}\n- *a\n", "1:3: error: YAML anchors (&name) are not allowed"),
        ("- id: x.y\n  label: *lol\n", "2:10: error: YAML aliases (*name) are not allowed"),
    ],
)
def test_anchors_and_aliases_are_refused(article: MiniProject, text: str, message: str) -> None:
    (article.root / "briefings/facts/facts.yaml").write_text(text)
    run = article.run("check")
    assert first_line(run.out) == f"briefings/facts/facts.yaml:{message}"


def test_billion_laughs_is_refused_quickly(article: MiniProject) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    (article.root / "briefings/facts/facts.yaml").write_text("\n".join(lines) + "\n")
    run = article.run("check")
    assert run.code == 1
    assert "anchors (&name) are not allowed" in run.out


def test_wrong_type_missing_and_unknown_fields(article: MiniProject) -> None:
    article.facts(
        """
        - id: campaign.accounts
          label: Accounts
          value: [1, 2]
          citations: []
        - id: campaign.exchanges
          value: unknown
          note: n
        - id: campaign.other
          label: Other
          value: Something happened
          citations:
            - source: news-1
              qoute: "Chinese labs opened approximately 24,000 fraudulent accounts."
        """
    )
    lines = [line for line in article.run("check").out.splitlines() if ": error: " in line]
    assert lines == [
        "briefings/facts/facts.yaml:3:10: error: field 'value' has an unusable value (a list): "
        "input should be a valid integer",
        "briefings/facts/facts.yaml:5:3: error: fact is missing the required field 'label'",
        "briefings/facts/facts.yaml:12:7: error: citation is missing the required field 'quote'",
        "briefings/facts/facts.yaml:13:7: error: unknown field 'qoute' in citation",
    ]


def test_no_is_a_word_not_false(article: MiniProject) -> None:
    article.facts(
        """
        - id: place.country
          label: Country
          value: NO
          citations:
            - source: news-1
              quote: "Chinese labs opened approximately 24,000 fraudulent accounts."
        """
    )
    run = article.run("check")
    assert run.code == 0, run.out


# 2. ids --------------------------------------------------------------------------------


def test_duplicate_fact_ids_across_files(article: MiniProject) -> None:
    fact = """
        - id: campaign.accounts
          label: Accounts
          value: unknown
          note: not stated
        """
    article.facts(fact, "a.yaml")
    article.facts(fact, "b.yaml")
    run = article.run("check")
    assert first_line(run.out) == (
        "briefings/facts/b.yaml:1:3: error: duplicate fact id 'campaign.accounts' "
        "(first defined at briefings/facts/a.yaml:1:3)"
    )


def test_source_id_must_be_safe_and_match_its_file(project: MiniProject) -> None:
    project.source("news-2", ARTICLE, id="../../etc/passwd")
    project.source("news-3", ARTICLE, id="news-4")
    lines = [line for line in project.run("check").out.splitlines() if ": error: " in line]
    assert lines == [
        "sources/news-2.txt:2:5: error: source id '../../etc/passwd' is not a safe name",
        "sources/news-3.txt:2:5: error: source id 'news-4' does not match its file name "
        "'sources/news-3.txt'",
    ]


def test_fact_id_must_be_a_dotted_name(article: MiniProject) -> None:
    article.facts(
        """
        - id: Campaign Accounts!
          label: Accounts
          value: unknown
          note: x
        """
    )
    assert first_line(article.run("check").out) == (
        "briefings/facts/facts.yaml:1:7: error: fact id 'Campaign Accounts!' is not a safe dotted name"
    )


# 3. unknown source -----------------------------------------------------------------------


def test_citation_to_missing_source(article: MiniProject) -> None:
    article.facts(
        """
        - id: campaign.accounts
          label: Accounts
          value: 24000
          unit: accounts
          qualifier: about
          citations:
            - source: news-l
              quote: "Chinese labs opened approximately 24,000 fraudulent accounts."
        """
    )
    run = article.run("check")
    assert run.out.splitlines()[:3] == [
        "briefings/facts/facts.yaml:7:15: error: citation refers to source 'news-l', "
        "which is not in sources/",
        "     7 |     - source: news-l",
        "  hint: did you mean 'news-1'? archive the source first with "
        f"`citebrief --project {article.root} add-source`",
    ]


# 4. quotes -----------------------------------------------------------------------------


def _statement(quote: str) -> str:
    return f"""
        - id: access.hydra
          label: The hydra cluster
          value: Requests spread across many keys
          citations:
            - source: news-1
              quote: {json.dumps(quote)}
        """


def test_quote_not_in_source(article: MiniProject) -> None:
    article.facts(_statement("Chinese labs opened about 24,000 fraudulent accounts."))
    run = article.run("check")
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:6:14: error: quote not found in source 'news-1'"
    )
    assert f'`citebrief --project {article.root} quote news-1 "<a few words>"`' in run.out


def test_quote_matches_exactly_or_after_normalising(article: MiniProject) -> None:
    article.facts(_statement('Its "hydra cluster" spread requests - across   many keys.'))
    run = article.run("check", "--format", "json")
    assert run.code == 0
    quotes = json.loads(run.out)["quotes"]
    assert quotes == [
        {
            "fact": "access.hydra",
            "source": "news-1",
            "match": "normalised",
            "at": "sources/news-1.txt:24:1",
            "pages": None,
        }
    ]
    article.facts(
        _statement("Its \u201chydra cluster\u201d spread requests \u2013 across many keys.")
    )
    assert json.loads(article.run("check", "--format", "json").out)["quotes"][0]["match"] == "exact"


def test_short_quote_is_a_warning(article: MiniProject) -> None:
    article.facts(_statement("across many keys"))
    run = article.run("check")
    assert run.code == 0
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:6:14: warning: quote is only 3 words: "
        "out of context its meaning could change"
    )


# 5. figures must be stated in their quotes ----------------------------------------------


def _number(value: str, unit: str, qualifier: str, quote: str) -> str:
    return f"""
        - id: x.figure
          label: A figure
          value: {value}
          unit: {unit}
          qualifier: {qualifier}
          citations:
            - source: news-1
              quote: {json.dumps(quote)}
        """


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "quote"),
    [
        (
            "24000",
            "accounts",
            "about",
            "Chinese labs opened approximately 24,000 fraudulent accounts.",
        ),
        ("16000000", "exchanges", "over", "They generated over 16 million exchanges with Claude."),
        (
            "13000000",
            "interactions",
            "about",
            "MiniMax: around 13 million interactions, said the company.",
        ),
        (
            "1500000000",
            "USD",
            "exact",
            "Anthropic settled a lawsuit for $1.5 billion with authors.",
        ),
        ("16000000", "exchanges", "over", "Another report put the total at 16M+ exchanges"),
        ("25", "percent", "exact", "Nvidia would hand over 25% of the revenue to the government."),
    ],
)
def test_stated_numbers_are_recognised(article: MiniProject, value, unit, qualifier, quote) -> None:
    article.facts(_number(value, unit, qualifier, quote))
    run = article.run("check")
    assert run.code == 0, run.out


def test_four_digit_counts_back_number_facts(project: MiniProject) -> None:
    """'counted 2000 accounts', 'about 2025 requests': counts, not the years 2000 and 2025."""
    project.source("report", "The agency counted 2000 accounts and about 2025 requests in 2024.\n")
    quote = "The agency counted 2000 accounts and about 2025 requests in 2024."
    project.facts(
        f"""
        - id: x.accounts
          label: Accounts counted
          value: 2000
          unit: accounts
          qualifier: exact
          citations:
            - source: report
              quote: {json.dumps(quote)}
        - id: x.requests
          label: Requests counted
          value: 2025
          unit: requests
          qualifier: about
          citations:
            - source: report
              quote: {json.dumps(quote)}
        - id: x.year
          label: The year counted
          value: "2024"
          citations:
            - source: report
              quote: {json.dumps(quote)}
        """
    )
    run = project.run("check")
    assert run.code == 0, run.out


@pytest.mark.parametrize(
    ("text", "year", "count"),
    [
        ("counted 2000 accounts", None, 2000),
        ("1500 accounts and 2025 requests", None, 2025),
        ("about 2025 requests", None, 2025),
        ("nearly 2000 were sent", None, 2000),
        ("In 2025 requests rose.", 2025, None),
        ("the 2025 models", 2025, None),
        ("around 2025, the lab", 2025, None),
        ("a report about 2025", 2025, None),
        ("over 2025 the share rose", 2025, None),
        ("by 2030 chips", 2030, None),
    ],
)
def test_a_bare_year_like_number_is_a_year_unless_it_counts(
    text: str, year: int | None, count: int | None
) -> None:
    from citebrief.claims.figures import find_figures

    found = find_figures(text)
    assert [d.year for d in found.dates] == ([year] if year else [])
    assert count is None or count in [int(q.value) for q in found.quantities]


def test_number_not_stated_in_its_quotes(article: MiniProject) -> None:
    article.facts(
        _number("3400000", "exchanges", "over", "Its \u201chydra cluster\u201d spread requests")
    )
    assert first_line(article.run("check").out) == (
        "briefings/facts/facts.yaml:3:10: error: the value more than 3.4 million of fact "
        "'x.figure' is not stated in any quote cited for it"
    )


def _date(value: str, quote: str, source: str = "news-1") -> str:
    return f"""
        - id: x.date
          label: A date
          value: {value}
          citations:
            - source: {source}
              quote: {json.dumps(quote)}
        """


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        ("2026-01-15", "On January 15, 2026, BIS published a rule on H200 chips."),
        ("2026-02-12", "In a memo sent on 12 February 2026 to the committee on China."),
        ("2026-02-23", "The incident entry is dated 2026-02-23 in the database."),
    ],
)
def test_stated_dates_are_recognised(article: MiniProject, value: str, quote: str) -> None:
    article.facts(_date(value, quote))
    assert article.run("check").code == 0


def test_partial_date_needs_a_year_from_somewhere(article: MiniProject) -> None:
    article.facts(_date("2026-01-15", "On January 15, the agency acted on the license policy."))
    assert first_line(article.run("check").out) == (
        "briefings/facts/facts.yaml:3:10: error: the date 2026-01-15 of fact 'x.date' is quoted "
        "only without its year ('January 15' (news-1)), and neither the source's stated date "
        "nor another citation supplies the year"
    )


def test_partial_date_takes_its_year_from_the_source_date(project: MiniProject) -> None:
    project.source("news-1", ARTICLE, published="2026-01-20")
    project.facts(_date("2026-01-15", "On January 15, the agency acted on the license policy."))
    assert project.run("check").code == 0


def test_partial_date_takes_its_year_from_another_citation(article: MiniProject) -> None:
    article.facts(
        _date("2026-01-15", "On January 15, the agency acted on the license policy.")
        + """
            - source: news-1
              quote: "On January 15, 2026, BIS published a rule on H200 chips."
        """
    )
    assert article.run("check").code == 0


# 6. qualifiers ---------------------------------------------------------------------------


def test_qualifier_that_contradicts_every_quote(article: MiniProject) -> None:
    article.facts(
        _number(
            "24000",
            "accounts",
            "exact",
            "Chinese labs opened approximately 24,000 fraudulent accounts.",
        )
    )
    run = article.run("check")
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:3:10: error: qualifier 'exact' of fact 'x.figure' "
        "contradicts its quotes, which say 'approximately' (news-1)"
    )
    assert "hint: set 'qualifier:' to what the sources say (about)" in run.out


# 7. disagreements --------------------------------------------------------------------------

OTHER = "A later report counted over 12 million API calls from the three firms.\n"


def test_undeclared_disagreement_is_an_error(article: MiniProject) -> None:
    article.source("news-2", OTHER)
    article.facts(
        _number(
            "16000000", "exchanges", "over", "They generated over 16 million exchanges with Claude."
        )
        + """
            - source: news-2
              quote: "counted over 12 million API calls from the three firms"
        """
    )
    run = article.run("check")
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:11:14: error: source 'news-2' states 'over 12 million', "
        "but the fact says more than 16 million"
    )
    assert "add 'disagrees: <why>'" in run.out


def test_declared_disagreement_is_reported_in_the_summary(article: MiniProject) -> None:
    article.source("news-2", OTHER)
    article.facts(
        _number(
            "16000000", "exchanges", "over", "They generated over 16 million exchanges with Claude."
        )
        + """
            - source: news-2
              quote: "counted over 12 million API calls from the three firms"
              disagrees: machine-written report
        """
    )
    run = article.run("check")
    assert run.code == 0, run.out
    assert (
        "  x.figure: fact says more than 16 million; 'news-2' states 'over 12 million' "
        "(machine-written report)"
    ) in run.out.splitlines()
    assert run.out.splitlines()[-1].endswith("0 errors, 0 warnings, 1 declared disagreement")


# 8. archive integrity ----------------------------------------------------------------------


def test_edited_archive_fails_its_hash(article: MiniProject) -> None:
    path = article.root / "sources/news-1.txt"
    path.write_text(path.read_text().replace("24,000", "25,000"))
    run = article.run("check")
    assert first_line(run.out).startswith(
        "sources/news-1.txt:14:1: error: the archived text of source 'news-1' has changed since "
        "it was recorded"
    )


# 9. reliability ------------------------------------------------------------------------------


def test_fact_resting_only_on_low_reliability_sources(project: MiniProject) -> None:
    project.source("news-1", ARTICLE, reliability="low")
    project.facts(
        _statement("Its \u201chydra cluster\u201d spread requests \u2013 across many keys.")
    )
    run = project.run("check")
    assert run.code == 0
    assert first_line(run.out) == (
        "briefings/facts/facts.yaml:1:3: warning: fact 'access.hydra' rests only on "
        "low-reliability sources (news-1)"
    )
    assert project.run("check", "--strict").code == 1


# output, exit codes, speed ------------------------------------------------------------------


def test_every_problem_is_reported_in_one_run(article: MiniProject) -> None:
    article.facts(
        _number("3400000", "exchanges", "over", "no such words in the article at all")
        + """
        - id: y.other
          label: Other
          value: unknown
        - id: z.figure
          label: Z
          value: 17000000
          unit: exchanges
          qualifier: over
          citations:
            - source: news-1
              quote: "They generated over 16 million exchanges with Claude."
        """
    )
    run = article.run("check")
    errors = [line for line in run.out.splitlines() if ": error: " in line]
    assert errors == [
        "briefings/facts/facts.yaml:8:14: error: quote not found in source 'news-1'",
        "briefings/facts/facts.yaml:10:3: error: fact 'y.other' is 'unknown' but does not say why",
        "briefings/facts/facts.yaml:15:10: error: the value more than 17 million of fact 'z.figure' "
        "is not stated in any quote cited for it (they state 'over 16 million')",
    ]
    assert run.out.splitlines()[-1].endswith("3 errors, 0 warnings, 0 declared disagreements")


def test_github_annotations_point_at_the_line(article: MiniProject) -> None:
    article.facts(_statement("Chinese labs opened about 24,000 fraudulent accounts."))
    run = article.run("check", "--format", "github")
    assert first_line(run.out) == (
        "::error file=briefings/facts/facts.yaml,line=6,col=14,title=citebrief quote-not-found"
        "::quote not found in source 'news-1'%0Ahint: copy the words exactly from "
        f'sources/news-1.txt; `citebrief --project {article.root} quote news-1 "<a few words>"` '
        "finds them"
    )


def test_usage_error_exits_2_without_traceback(article: MiniProject, capsys) -> None:
    run = article.run("check", "--format", "xml", capsys=capsys)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert run.err.startswith("citebrief: error: argument --format: invalid choice: 'xml'")


def test_check_does_not_import_the_renderers_once_the_budgeted_briefings_are_built(
    real_project: MiniProject,
) -> None:
    """`check` lays out a memo to hold it to its page budget, unless the memo's PDF for the
    same Document is built: then it reads the page count from the manifest, and stays light."""
    assert real_project.run("build").code == 0
    code = (
        "import sys; from citebrief.cli import main;"
        f"rc = main(['--project', {str(real_project.root)!r}, 'check']);"
        "assert 'weasyprint' not in sys.modules and 'matplotlib' not in sys.modules, 'heavy import';"
        "sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# the real corpus ------------------------------------------------------------------------------


def test_real_corpus_passes_and_lists_its_disagreements(real_project: MiniProject) -> None:
    run = real_project.run("check")
    assert run.code == 0, run.out
    assert (
        "campaign.exchanges: fact says more than 16 million; 'seed003-machine-written' states 'over 12 million'"
        in run.out
    )


def test_corrupted_copy_of_real_corpus_fails_four_ways(real_project: MiniProject) -> None:
    facts = real_project.root / "briefings/facts/campaign.yaml"
    text = facts.read_text()
    text = text.replace(
        '"MiniMax: around 13 million interactions"', '"MiniMax: around 14 million interactions"'
    )
    text = text.replace("  value: 3400000", "  value: 3500000")
    text = text.replace(
        '- source: seed000-unattributed\n      quote: "creating approximately',
        '- source: seed000-missing\n      quote: "creating approximately',
    )
    facts.write_text(text)
    archive = real_project.root / "sources/fenwick-h200-rule.txt"
    archive.write_text(archive.read_text().replace("\nBackground\n", "\nBackground:\n", 1))
    run = real_project.run("check", "--no-strict", "--format", "json")
    errors = [p for p in json.loads(run.out)["problems"] if p["severity"] == "error"]
    assert run.code == 1
    assert sorted((p["code"], p["path"]) for p in errors) == [
        ("archive-edited", "sources/fenwick-h200-rule.txt"),
        ("quote-not-found", "briefings/facts/campaign.yaml"),
        ("unknown-source", "briefings/facts/campaign.yaml"),
        ("value-not-in-quotes", "briefings/facts/campaign.yaml"),
    ]


# relative dates ------------------------------------------------------------------------------

RELATIVE = "Last month, the administration permitted exports of the chips to China.\n"


def test_relative_date_resolves_from_the_source_date(project: MiniProject) -> None:
    project.source("news-9", RELATIVE, published="2026-02-20")
    project.facts(
        _date(
            '"2026-01"',
            "Last month, the administration permitted exports of the chips to China.",
            "news-9",
        )
    )
    assert project.run("check").code == 0


def test_relative_date_in_an_undated_source_does_not_count(project: MiniProject) -> None:
    project.source("news-9", RELATIVE)
    project.facts(
        _date(
            '"2026-01"',
            "Last month, the administration permitted exports of the chips to China.",
            "news-9",
        )
    )
    assert first_line(project.run("check").out) == (
        "briefings/facts/facts.yaml:3:10: error: the date 2026-01 of fact 'x.date' is quoted only as a "
        "relative date ('last month' (news-9, which states no date of its own)), which does not resolve to it"
    )


def test_relative_date_that_resolves_elsewhere_is_an_error(project: MiniProject) -> None:
    project.source("news-9", RELATIVE, published="2026-04-02")
    project.facts(
        _date(
            '"2026-01"',
            "Last month, the administration permitted exports of the chips to China.",
            "news-9",
        )
    )
    assert "('last month' (news-9, dated 2026-04-02: 2026-03))" in first_line(
        project.run("check").out
    )


def test_same_number_with_another_qualifier_is_an_undeclared_disagreement(
    project: MiniProject,
) -> None:
    project.source("news-1", ARTICLE)
    project.source(
        "news-3", "Another outlet said the labs opened more than 24,000 fraudulent accounts.\n"
    )
    project.facts(
        _number(
            "24000",
            "accounts",
            "about",
            "Chinese labs opened approximately 24,000 fraudulent accounts.",
        )
        + """
            - source: news-3
              quote: "the labs opened more than 24,000 fraudulent accounts"
        """
    )
    assert first_line(project.run("check").out) == (
        "briefings/facts/facts.yaml:11:14: error: source 'news-3' states 'more than 24,000', "
        "but the fact says about 24,000"
    )


def test_a_bound_is_never_read_backwards(project: MiniProject) -> None:
    project.source("news-5", "The firm said no more than 50% of the accounts were active.\n")
    quote = "The firm said no more than 50% of the accounts were active."
    project.facts(_number("50", "percent", "up-to", quote).replace("news-1", "news-5"))
    assert project.run("check").code == 0
    project.facts(_number("50", "percent", "over", quote).replace("news-1", "news-5"))
    run = project.run("check")
    assert "which say 'no more than' (news-5)" in first_line(run.out)
    assert "hint: set 'qualifier:' to what the sources say (up-to)" in run.out


def test_a_label_that_names_a_source_id_is_a_warning(project: MiniProject) -> None:
    project.source("wire-1", "Officials counted about 1,200 accounts in all.\n")
    project.facts(
        """
        - id: case.accounts
          label: Accounts counted in wire-1
          value: 1200
          unit: accounts
          qualifier: about
          citations:
            - source: wire-1
              quote: "Officials counted about 1,200 accounts in all."
        """
    )
    project.briefing("Counted: [[case.accounts]].\n")
    run = project.run("check")
    assert run.code == 0
    assert (
        "briefings/facts/facts.yaml:1:3: warning: text a reader sees names the source id 'wire-1'"
        in run.out
    )


def test_figures_a_quote_states_are_shown_as_words_never_escapes(project: MiniProject) -> None:
    """A figure broken across the source's lines reads 'nearly 80', not 'nearly\\n80'."""
    project.source(
        "poll", "Support for the rule rose to nearly\n80 percent of respondents in May.\n"
    )
    project.facts(
        """
        - id: poll.support
          label: Support for the rule
          value: 75
          unit: percent
          qualifier: nearly
          citations:
            - source: poll
              quote: "Support for the rule rose to nearly 80 percent of respondents"
        """
    )
    run = project.run("check")
    assert "(they state 'nearly 80 percent')" in run.out, run.out
    assert "\\n" not in run.out
