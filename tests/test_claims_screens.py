"""The claims reader screens a text by its words before it tries a long pattern at every
position (scale: `check` at 10,000 facts). A screen may let through a text the pattern
then rejects, never the reverse: these tests hold that on every real sentence the project
has (the archived sources, the labelled corpus, the mutation cases' articles) and on random
word salads made of the very words the patterns look for."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_claims_corpus import REGISTER

from citebrief.claims import numbers, reader, reading
from citebrief.claims.figures import find_figures
from citebrief.claims.sentences import sentence_spans
from citebrief.claims.vocabulary import Register
from citebrief.model import Measure

CORPUS = Path(__file__).parent / "claims" / "corpus"


def _real_sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "sources").glob("*.txt"))]
    texts += [
        p.read_text(encoding="utf-8")
        for p in sorted((Path(__file__).parent / "mutations" / "sources").glob("*.txt"))
    ]
    sentences = [t[a:b] for t in texts for a, b in sentence_spans(t)]
    for file in sorted(CORPUS.glob("*.yaml")):
        items = yaml.safe_load(file.read_text(encoding="utf-8"))
        sentences += [item["text"] for item in items] if isinstance(items, list) else []
    return sentences


SENTENCES = _real_sentences()
_REGISTER = REGISTER


def _screens_agree(text: str) -> None:
    if reading._ANY_CUE.search(text):
        assert reading.may_hold_cue(text), text
    if numbers._RATIO.search(text):
        assert any(p in text.lower() for p in numbers._RATIO_PARTS), text
    if reader._CLAUSE_BREAK.search(text):
        assert any(p in text.lower() for p in reader._BREAK_PARTS), text
    pattern = _REGISTER.measure_pattern
    if pattern is not None and pattern.search(text):
        assert _REGISTER.may_state_measure(text), text
    for q in find_figures(text).quantities:
        window = text[q.end : q.end + 50]
        if numbers._PER.match(window):
            assert any(p in window.lower() for p in numbers._PERIOD_PARTS), text


def test_the_screens_pass_every_real_sentence_a_pattern_reads() -> None:
    assert len(SENTENCES) > 500
    for sentence in SENTENCES:
        _screens_agree(sentence)


_CUES = (
    "denied deny denies rejected the claims disputed refuted has not yet confirmed didn't "
    "cannot verify never been independently confirmed unconfirmed declined to comment if unless "
    "provided that on the condition that in the event as long as could reach would be worth "
    "will soon top may might is expected to are set to was poised to on track to has called for "
    "projected forecasts predicted potentially possibly perhaps apparently suggests that appears "
    "to seems to is believed to were said to not no none neither nor nobody nothing hasnot "
    "twice as many three times more a third more half as much threefold three-fold 5-fold doubled "
    "doubling tripled tripling to double between vs. versus while whereas "
    "compared with as against ; • per year a day /s annually daily tariff revenue share "
    "published effective 13 million officials said"
)
_CUE_WORDS = [*_CUES.split(), "\n", "n’t", "n't"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_CUE_WORDS), max_size=16).map(" ".join))
def test_the_screens_pass_every_text_made_of_the_patterns_own_words(text: str) -> None:
    _screens_agree(text)
    _screens_agree(text.upper())


def _unscreened_unit(register: Register, sentence: str, end: int) -> tuple[str | None, str]:
    """unit_after as it read before its screen: every noun's pattern tried on the window."""
    words = []
    for token in reading._TOKENS.findall(sentence[end:])[:5]:
        if not token[0].isalnum() and token not in "/":
            break
        if words and token.lower() in reading._NOUN_PHRASE_ENDS:
            break
        words.append(token.rstrip("."))
    window = " ".join(words)
    for unit in register.units.values():
        for noun in unit.nouns if unit.kind.value == "count" else ():
            if reading._noun_in(noun, window):
                return unit.id, window
    return None, " ".join(w for w in words[:3] if w.lower() not in reading._PHRASE_STOP)


def test_a_count_noun_is_found_alike_with_and_without_its_screen() -> None:
    for sentence in SENTENCES:
        for q in find_figures(sentence).quantities:
            found = reading.unit_after(_REGISTER, sentence, q.end, len(sentence))
            assert found == _unscreened_unit(_REGISTER, sentence, q.end), sentence


def test_a_measure_word_screen_reads_words_not_letters() -> None:
    register = Register({}, {}, {"tariff": Measure("tariff", ("tariff",), False, None)})
    assert register.may_state_measure("a 25% Tariff on chips")
    assert not register.may_state_measure("a 25% levy on chips, tariffs aside")
