"""Links that open a source at the quoted words (WICG text fragments; a PDF's page)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from citebrief.claims.figures import normalise
from citebrief.claims.verify import normalised_text
from citebrief.common.memo import new_run
from citebrief.document.fragments import _unique, _words_after, _words_before, passage_url

FIXTURES = Path(__file__).parent / "fixtures"

PAGE = (
    "The co-chair said: export rules, as written, cover H200-class chips & more. "
    "Officials counted about 1,200 accounts in January. "
    "A second report counted about 1,200 accounts in March.\n"
)


def span(words: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = PAGE.index(words, start + 1)
    return start, start + len(words)


def test_a_short_unique_quote_is_the_whole_directive_with_delimiters_encoded() -> None:
    url = passage_url("https://ex.org/a?x=1#top", PAGE, *span("H200-class chips & more"), None)
    assert url == "https://ex.org/a?x=1#:~:text=H200%2Dclass%20chips%20%26%20more"


def test_a_long_quote_is_given_by_its_first_and_last_words() -> None:
    words = "The co-chair said: export rules, as written, cover H200-class chips"
    url = passage_url("https://ex.org/a", PAGE, *span(words), None)
    assert url == (
        "https://ex.org/a#:~:text=The%20co%2Dchair%20said%3A%20export,"
        "written%2C%20cover%20H200%2Dclass%20chips"
    )


def test_words_that_occur_twice_get_a_prefix_and_a_suffix() -> None:
    url = passage_url("https://ex.org/a", PAGE, *span("counted about 1,200 accounts", 1), None)
    assert url == (
        "https://ex.org/a#:~:text=A%20second%20report-,"
        "counted%20about%201%2C200%20accounts,-in%20March."
    )


def test_no_term_crosses_a_paragraph() -> None:
    text = "Intro words here.\n\nOfficials met.\n\nThey counted the accounts twice over the year.\n"
    start = text.index("Officials")
    url = passage_url("https://ex.org/a", text, start, text.index(" twice"), None)
    assert url == "https://ex.org/a#:~:text=Officials%20met.,They%20counted%20the%20accounts"


def test_in_a_source_that_is_one_long_line_each_of_thousands_of_quotes_gets_its_own_context() -> (
    None
):
    sentences = [f"Lab {k} sent the same requests." for k in range(3000)]
    line = " ".join(sentences)
    for k in (7, 2999):
        start = line.index(sentences[k])
        quote = (start + len(f"Lab {k} "), start + len(sentences[k]))  # "sent the same requests."
        url = passage_url("https://ex.org/a", line, *quote, None)
        before = f"requests.%20Lab%20{k}-," if k else ""
        after = f",-Lab%20{k + 1}%20sent" if k < 2999 else ""
        assert url == f"https://ex.org/a#:~:text={before}sent%20the%20same%20requests.{after}"


_WORDS = st.lists(st.sampled_from(["a", "ab", "ba", "The", "the", "a.", "“a”"]), max_size=14)


@given(_WORDS.map(" ".join), _WORDS.filter(bool).map(" ".join))
def test_words_are_unique_when_a_browser_finds_them_once_overlaps_included(text, words) -> None:
    new_run()
    haystack, needle = normalised_text(text).lower(), normalise(words)[0].lower()
    first = haystack.find(needle)
    assert _unique(text, words) == (first < 0 or haystack.find(needle, first + 1) < 0)


@given(st.text(alphabet="ab \n", max_size=40), st.data())
def test_the_context_words_are_the_last_and_first_on_the_quotes_line(text, data) -> None:
    at = data.draw(st.integers(0, len(text)))
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at) if "\n" in text[at:] else len(text)
    assert _words_before(text, at) == text[line_start:at].split()[-3:]
    assert _words_after(text, at) == text[at:line_end].split()[:3]


def test_a_pdf_opens_at_its_page_and_an_offline_source_has_no_link() -> None:
    assert passage_url("https://ex.org/r.pdf", PAGE, 0, 10, (2, 3)) == "https://ex.org/r.pdf#page=2"
    assert passage_url("unknown", PAGE, 0, 10, None) is None
    assert passage_url("file:///etc/passwd", PAGE, 0, 10, None) is None


# --- in a real browser -------------------------------------------------------------------------

HIGHLIGHT = (233, 210, 253)
"""The colour Chromium paints a text-fragment match with."""


def highlighted_rows(url: str, tmp_path: Path) -> list[int]:
    """The screen rows Chromium highlights after opening ``url`` (empty: nothing matched).

    The window is tall enough to show the whole page: headless Chromium may take the
    screenshot before it has scrolled to the match."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    shot = tmp_path / "shot.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
    flags += ["--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run(
        [chromium, *flags, "--window-size=900,1600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        return [
            y
            for y in range(height)
            if sum(rgb.getpixel((x, y)) == HIGHLIGHT for x in range(0, width, 3)) > 10
        ]


def test_chromium_highlights_the_words_a_note_links_to(tmp_path: Path) -> None:
    page = FIXTURES / "news-page.html"
    text = page.read_text(encoding="utf-8")
    words = "Anthropic said it had banned 1,100 accounts in the first week after detecting"
    start = text.index(words)
    url = passage_url("https://ledger.example.org/story", text, start, start + len(words), None)
    assert url is not None and ",after%20detecting" not in url  # start,end form
    fragment = url.split("#", 1)[1]
    assert highlighted_rows(f"{page.as_uri()}#{fragment}", tmp_path)
    assert not highlighted_rows(f"{page.as_uri()}#:~:text=words%20not%20on%20the%20page", tmp_path)


def test_a_prefix_makes_chromium_pick_the_second_occurrence(tmp_path: Path) -> None:
    paragraphs = [
        "The first report counted 1,200 accounts in January.",
        *["Filler line."] * 12,
        "A second report counted 1,200 accounts in March.",
    ]
    archived = "\n\n".join(paragraphs) + "\n"  # the source's archived text
    page = tmp_path / "twice.html"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page.write_text(f"<!DOCTYPE html><html lang=en><body>{body}</body></html>")
    words = "counted 1,200 accounts"
    first = archived.index(words)
    second = archived.index(words, first + 1)
    rows = {}
    for name, start in (("first", first), ("second", second)):
        url = passage_url("https://ex.org/p", archived, start, start + len(words), None)
        assert url is not None and "-," in url  # prefix and suffix: the words recur
        rows[name] = highlighted_rows(f"{page.as_uri()}#{url.split('#', 1)[1]}", tmp_path)
    assert rows["first"] and rows["second"]
    assert max(rows["first"]) < min(rows["second"])
