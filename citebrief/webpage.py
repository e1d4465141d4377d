"""Read a saved web page: its main text, and what its own markup states about it.

trafilatura finds the article (navigation, advertising, comments, cookie banners and
share buttons dropped) and reads title, author, site name and date from meta tags,
JSON-LD and the byline. It can also infer a date or a site name from the page's URL;
that is a guess, not a statement, so the URL is hidden from it and taken only as the
page's own canonical address. Nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CitebriefError

_HOST_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
_URL_TAGS = (
    ".//link[@rel='canonical']",
    ".//meta[@property='og:url']",
    ".//meta[@name='twitter:url']",
    ".//base",
)
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


def read_page(html: bytes) -> WebPage:
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        raise CitebriefError("the HTML page cannot be parsed", "save the page again as HTML")
    url = _canonical_url(tree)
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
        author=_stated(meta.author),
        site=None if site and _HOST_NAME.match(site) else site,
        published=_stated(meta.date),
        url=url,
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


def _stated(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None
