"""Read a saved web page: its main text, and what its own markup states about it.

trafilatura finds the article (navigation, advertising, comments, cookie banners and
share buttons dropped) and reads title, author, site name and date from meta tags,
JSON-LD and the byline. It can also infer a date or a site name from the page's URL;
that is a guess, not a statement, so the URL is hidden from it and taken only as the
page's own canonical address. Nothing is fetched.

trafilatura also normalises author names ("Jane Q. Analyst" becomes "Jane Q Analyst",
"Seán O'Brien-Smith, Jr." two authors), so the author is taken as the page states it in
its author meta tag or JSON-LD, and trafilatura's reading is used only when neither has one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import CitebriefError

_HOST_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)+\Z")
_URL_TAGS = (
    ".//link[@rel='canonical']",
    ".//meta[@property='og:url']",
    ".//meta[@name='twitter:url']",
    ".//base",
)
_AUTHOR_TAGS = (".//meta[@name='author']", ".//meta[@name='dc.creator']")
_DATE_OPTIONS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True)
class WebPage:
    """The main text of a page and its stated metadata (None where the page is silent)."""

    text: str
    title: str | None
    author: str | None
    site: str | None
    published: str | None
    """YYYY-MM-DD, from the page's markup only."""
    url: str | None
    """The page's canonical address, as its markup states it."""
    title_tag: str | None = None
    """The page's <title>, often 'Headline | Site'."""
    whole_text: str = ""
    """Every visible text of the page, navigation and footer included, one piece a line: where
    the site names itself."""


def read_page(html: bytes) -> WebPage:
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        raise CitebriefError("the HTML page cannot be parsed", "save the page again as HTML")
    url = _canonical_url(tree)
    author = _stated_author(tree)
    title_tag = _stated(tree.findtext(".//title"))
    whole_text = "\n".join(
        " ".join(piece.split())
        for piece in tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
        if piece.strip()
    )
    for path in _URL_TAGS:
        for element in tree.findall(path):
            element.getparent().remove(element)
    meta = trafilatura.extract_metadata(tree, date_config=dict(_DATE_OPTIONS))
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    paragraphs = [" ".join(line.split()) for line in (text or "").split("\n")]
    site = _stated(meta.sitename)
    return WebPage(
        text="\n\n".join(p for p in paragraphs if p) + "\n" if text else "",
        title=_stated(meta.title),
        author=author or _stated(meta.author),
        site=None if site and _HOST_NAME.match(site) else site,
        published=_stated(meta.date),
        url=url,
        title_tag=title_tag,
        whole_text=whole_text,
    )


def _canonical_url(tree) -> str | None:  # type: ignore[no-untyped-def]
    for path, attribute in (
        (".//link[@rel='canonical']", "href"),
        (".//meta[@property='og:url']", "content"),
    ):
        element = tree.find(path)
        value = (element.get(attribute) or "").strip() if element is not None else ""
        if value.startswith(("https://", "http://")):
            return value
    return None


def _stated_author(tree) -> str | None:  # type: ignore[no-untyped-def]
    """The author exactly as the page's author meta tag or JSON-LD states it."""
    for path in _AUTHOR_TAGS:
        for element in tree.findall(path):
            value = _stated(element.get("content"))
            if value and not value.startswith(("https://", "http://")):
                return value
    for script in tree.findall(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        names = _json_ld_authors(data)
        if names:
            return _joined(names)
    return None


def _json_ld_authors(data: object) -> list[str]:
    """The names of the authors of the first JSON-LD item that states any."""
    items = data if isinstance(data, list) else [data]
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        items = [data, *data["@graph"]]
    for item in items:
        if not isinstance(item, dict) or "author" not in item:
            continue
        authors = item["author"] if isinstance(item["author"], list) else [item["author"]]
        names = [
            name
            for author in authors
            if (name := _stated(author.get("name") if isinstance(author, dict) else author))
            and not name.startswith(("https://", "http://"))
        ]
        if names:
            return names
    return []


def _joined(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _stated(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None
