"""Every front-matter field a reader sees holds to the body's standard (issue 20): a figure
there comes from a fact reference, shown in house style on the page and in the Word file's
subject, or it is an error at its line."""

from __future__ import annotations

from conftest import MiniProject
from test_golden import mini_project

from citebrief.check import check
from citebrief.facts.corpus import Project
from citebrief.render.html import render_html


def _errors(project: MiniProject) -> list[str]:
    report = check(Project(project.root))
    return [
        f"{p.location.line}: {p.message}" for p in report.problems if p.severity.value == "error"
    ]


def test_a_cited_figure_in_the_subtitle_is_shown_in_house_style(project: MiniProject) -> None:
    mini_project(project)
    text = (project.root / "briefings" / "mini.md").read_text(encoding="utf-8")
    text = text.replace(
        "title: A small briefing\n",
        'title: A small briefing\nsubtitle: "The [[case.accounts]] accounts counted"\n',
    )
    (project.root / "briefings" / "mini.md").write_text(text, encoding="utf-8")
    report = check(Project(project.root))
    assert [p for p in report.problems if p.severity.value == "error"] == []
    document = report.briefings[0]
    assert document.spec.meta.subtitle == "The about\u00a01,200 accounts counted"
    html = render_html(document, {}, project.root, for_print=False)
    assert "The about\u00a01,200 accounts counted" in html
    assert "[[" not in html


def test_a_typed_figure_in_the_audience_line_is_an_error_at_its_line(
    project: MiniProject,
) -> None:
    mini_project(project)
    project.briefing("Words.\n", name="other", audience="Staff of 3 desks")
    assert _errors(project) == ["4: '3' is a figure that does not come from a fact reference"]


def test_a_front_matter_figure_the_text_never_cites_is_an_error(project: MiniProject) -> None:
    mini_project(project)
    project.briefing("Words.\n", name="other", subtitle='"[[case.requests]] requests"')
    assert _errors(project) == [
        "8: the subtitle shows [[case.requests]], which the text never cites: the front "
        "matter has no notes, so a reader could not find where the figure comes from"
    ]
