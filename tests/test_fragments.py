"""Links that open a source at the quoted words (WICG text fragments; a PDF's page)."""

from __future__ import annotations

from citebrief.fragments import passage_url

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


def test_a_pdf_opens_at_its_page_and_an_offline_source_has_no_link() -> None:
    assert passage_url("https://ex.org/r.pdf", PAGE, 0, 10, (2, 3)) == "https://ex.org/r.pdf#page=2"
    assert passage_url("unknown", PAGE, 0, 10, None) is None
    assert passage_url("file:///etc/passwd", PAGE, 0, 10, None) is None
