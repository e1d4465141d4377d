"""Rendering reads nothing outside templates/ and fetches nothing from the network."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import threading
from pathlib import Path

import pytest
from test_briefings import copy_project

from citebrief.cli import main
from citebrief.document.markdown import heading_anchor
from citebrief.render.fetch import ProjectFetcher, RefusedURL


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _CountingHandler.hits = 0
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_hostile_urls_in_templates_cause_no_request_and_embed_nothing(
    tmp_path: Path, server
) -> None:
    port = server.server_address[1]
    project = copy_project(tmp_path / "p")
    memo = project.override("memo.html.j2")
    hostile = (
        f'<img src="http://127.0.0.1:{port}/tracker.png" alt="tracker">'
        '<img src="file:///etc/passwd" alt="passwd">'
        '<img src="../../../../../../etc/passwd" alt="relative passwd">'
        '<link rel="attachment" href="file:///etc/passwd">'
        f'<div style="background: url(http://127.0.0.1:{port}/bg.png)">x</div>'
        '<div style="background: url(/etc/passwd)">y</div>'
    )
    memo.write_text(
        memo.read_text().replace("{% block title_block %}", "{% block title_block %}" + hostile, 1)
    )
    css = project.override("briefing.css")
    css.write_text(
        css.read_text() + f"\nbody {{ background-image: url(http://127.0.0.1:{port}/css.png); }}\n"
    )
    out = io.StringIO()
    code = main(["--project", str(project.root), "build", "distillation-memo"], out=out)
    assert _CountingHandler.hits == 0
    assert code == 1
    text = out.getvalue()
    assert "refused to fetch http://127.0.0.1" in text
    assert "refused to fetch file:///etc/passwd: only files under templates/ are fetched" in text
    assert not (project.root / "output/distillation-memo.pdf").exists()


def test_a_stylesheet_fetch_refused_once_is_reported_on_every_build(tmp_path: Path, server) -> None:
    """The theme's stylesheet is parsed once per process (its fonts loaded once); what that
    parse refused is still reported by every build that uses it."""
    port = server.server_address[1]
    project = copy_project(tmp_path / "p")
    css = project.override("briefing.css")
    css.write_text(
        css.read_text()
        + f'\n@font-face {{ font-family: "Far"; src: url(http://127.0.0.1:{port}/far.ttf); }}\n'
    )
    for _ in range(2):
        out = io.StringIO()
        code = main(["--project", str(project.root), "build", "distillation-memo"], out=out)
        assert code == 1
        assert f"refused to fetch http://127.0.0.1:{port}/far.ttf" in out.getvalue()
    assert _CountingHandler.hits == 0
    assert not (project.root / "output/distillation-memo.pdf").exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "file:////etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        "TEMPLATES/../../secret.txt",
        "TEMPLATES/%2e%2e/%2e%2e/secret.txt",
        "TEMPLATES/link-out/secret.txt",
        "TEMPLATES/chart/not-a-chart.svg",
    ],
)
def test_fetcher_refuses_everything_but_templates(tmp_path: Path, url: str) -> None:
    templates = tmp_path / "proj" / "templates"
    templates.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret")
    (templates / "link-out").symlink_to(tmp_path)
    fetcher = ProjectFetcher(templates, {})
    with pytest.raises(RefusedURL):
        fetcher.fetch(url.replace("TEMPLATES", templates.as_uri()))
    assert fetcher.refused


def test_fetcher_serves_template_files_and_our_charts(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    (templates / "fonts" / "a.ttf").write_bytes(b"font")
    fetcher = ProjectFetcher(templates, {"c.svg": "<svg/>"})
    assert fetcher.fetch((templates / "fonts" / "a.ttf").as_uri()).read() == b"font"
    chart = fetcher.fetch((templates / "chart" / "c.svg").as_uri())
    assert chart.read() == b"<svg/>" and chart.content_type == "image/svg+xml"


def test_heading_ids_never_take_an_id_the_templates_generate(tmp_path: Path) -> None:
    """'## Fn 1' was 'fn-1' (a note's id), '## Figure requests by lab' a chart's: the PDF
    refused the page with 'Anchor defined twice' after check had passed."""
    root = tmp_path / "p"
    shutil.copytree(Path(__file__).parent / "bad_inputs" / "_base", root)
    memo = root / "briefings" / "memo.md"
    front, body = memo.read_text().split("---\n\n", 1)
    headings = "## Fn 1\n\nText.\n\n## Figure requests by lab\n\nText.\n\n## Fn\n\n## Fn\n\n"
    memo.write_text(front + "---\n\n" + headings + body)
    out = io.StringIO()
    assert main(["--project", str(root), "build"], out=out) == 0, out.getvalue()
    html = (root / "output" / "memo.html").read_text()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    heading_ids = re.findall(r'<h[2-6] id="([^"]+)"', html)
    written = ["section-fn-1", "section-figure-requests-by-lab", "fn", "section-fn-2"]
    assert heading_ids[: len(written)] == written
    assert "figure-requests-by-lab" in ids and "fn-1" in ids


@pytest.mark.parametrize(
    "expression",
    [
        '{{ cycler.__init__.__globals__.os.popen("id").read() }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ doc.sources.clear() }}",
    ],
    ids=["globals", "subclasses", "mutation"],
)
def test_templates_cannot_reach_python_or_change_what_they_are_given(
    tmp_path: Path, expression: str
) -> None:
    """Templates run sandboxed: a project's templates/ (or a pull request's) may format the
    briefing, never run a command or reach Python internals."""
    project = copy_project(tmp_path / "p")
    memo = project.override("memo.html.j2")
    text = memo.read_text()
    memo.write_text(
        text.replace("{% block title_block %}", "{% block title_block %}" + expression, 1)
    )
    line = 1 + text[: text.index("{% block title_block %}")].count("\n")
    out = io.StringIO()
    code = main(["--project", str(project.root), "build", "distillation-memo"], out=out)
    assert code == 1
    assert f"templates/memo.html.j2:{line}:" in out.getvalue()
    assert "reach into Python" in out.getvalue()
    assert not (project.root / "output/distillation-memo.html").exists()


def test_heading_anchors_are_unique_and_deterministic() -> None:
    taken: set[str] = set()
    titles = ["Fn", "Fn", "Fn 1", "Figure x", "Section figure x", "Toc heading", ""]
    anchors = [heading_anchor(t, taken) for t in titles]
    assert anchors == [
        "fn",
        "section-fn-1",
        "section-fn-1-1",
        "section-figure-x",
        "section-figure-x-1",
        "section-toc-heading",
        "section",
    ]
