"""`diff`: what changed in the fact base, said as staff read it (text and markdown)."""

from __future__ import annotations

from conftest import MiniProject

from citebrief.claims.verify import verify
from citebrief.facts.corpus import Project, load_corpus
from citebrief.history.diff import as_markdown, as_text, compare_corpora
from citebrief.model import DateStyle

TEXT = (
    "The agency counted 300 pending licence applications on March 1, 2026. "
    "A later audit found 320 pending applications.\n"
)
FACTS = """
- id: lic.pending
  label: Pending licence applications
  value: 300
  unit: applications
  qualifier: exact
  note: {note}
  citations:
    - source: agency
      quote: "The agency counted 300 pending licence applications"
    - source: agency
      quote: "A later audit found 320 pending applications"
      disagrees: {reason}
"""


def state(project: MiniProject, reason: str, note: str = "Counted by the agency.") -> tuple:
    project.source("agency", TEXT)
    project.facts(FACTS.format(reason=reason, note=note))
    corpus = load_corpus(Project(project.root)).corpus
    return corpus, verify(corpus).disagreements


def test_a_changed_disagreement_reason_reads_as_that_citation_s_new_reason(
    project: MiniProject,
) -> None:
    before = state(project, "the audit counted a later day")
    after = state(project, "the audit also counted withdrawn applications")
    changes = compare_corpora(before, after, "HEAD", "the last commit", DateStyle.UK)
    text = as_text(changes)
    assert "citation added" not in text and "citation removed" not in text
    assert (
        "~ fact lic.pending: citation reason: agency: “A later audit found 320 pending "
        "applications” (disagrees: the audit counted a later day) → agency: “A later audit "
        "found 320 pending applications” (disagrees: the audit also counted withdrawn "
        "applications)"
    ) in text


def test_markdown_ends_each_item_with_one_full_stop(project: MiniProject) -> None:
    before = state(project, "a later day", note="Counted by the agency.")
    after = state(project, "a later day", note="Counted again by the agency.")
    markdown = as_markdown(compare_corpora(before, after, "HEAD", "the last commit", DateStyle.UK))
    assert "- Revised: Pending licence applications: note Counted by the agency. → " in markdown
    assert markdown.rstrip("\n").endswith("Counted again by the agency.")
    assert ".." not in markdown
