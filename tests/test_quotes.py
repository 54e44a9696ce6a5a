"""The quote matcher, property-tested (Hypothesis): quotes cut from a text
verify where they stand; any input, random or adversarial, is answered
within a time limit per case (the matcher never backtracks)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nevbook import quotes

TEXTS = sorted((Path(__file__).resolve().parents[1] / "data" / "sources" / "texts").glob("*.txt"))
LIMIT = settings(max_examples=150, deadline=timedelta(milliseconds=800), derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", params=[p.name for p in TEXTS])
def text(request):
    return quotes.load_text(next(p for p in TEXTS if p.name == request.param))


@st.composite
def cut_quote(draw, flat: str):
    """A quote cut from the text: up to four verbatim pieces, each 20–120
    characters on word boundaries, joined by cuts, in order."""
    n = draw(st.integers(1, 4))
    starts = sorted(draw(st.lists(st.integers(0, max(0, len(flat) - 200)), min_size=n, max_size=n, unique=True)))
    pieces, end = [], 0
    for s in starts:
        s = max(s, end)
        s = flat.find(" ", s) + 1 if s else 0
        length = draw(st.integers(20, 120))
        e = flat.rfind(" ", s, s + length)
        if e <= s + 10:
            continue
        pieces.append(flat[s:e].strip())
        end = e
    return " … ".join(p for p in pieces if p)


@LIMIT
@given(data=st.data())
def test_a_quote_cut_from_the_text_verifies_where_it_stands(text, data):
    quote = data.draw(cut_quote(text.flat))
    if sum(len(p.text) for p in quotes.pieces(quote)) < quotes.MIN_VERBATIM_CHARS:
        return
    m = quotes.match(quote, text)
    assert text.flat.find(quotes.pieces(quote)[0].text) <= m.start
    assert m.first <= m.last


ADVERSARIAL = st.one_of(
    # many cuts over short, frequent pieces, the last one absent
    st.builds(lambda k, w, tail: " … ".join([w] * k) + " … " + tail,
              st.integers(2, 23), st.sampled_from(["the", "of", "new energy", "and", "e"]),
              st.text(min_size=1, max_size=40)),
    # insertions everywhere
    st.builds(lambda k, w: " [x] ".join([w] * k), st.integers(2, 23), st.sampled_from(["the", "and the", "vehicle"])),
    # anything at all, brackets and ellipses included
    st.lists(st.sampled_from(list("abcde …[].'\" \u200b\uff13") + ["...", "the ", "and "]),
             max_size=200).map("".join),
    st.text(max_size=600),
)


@LIMIT
@given(quote=ADVERSARIAL)
def test_any_input_is_answered_in_time(text, quote):
    try:
        quotes.match(quote, text)
    except quotes.QuoteMismatch:
        pass


def test_a_mismatch_names_an_invisible_character():
    text = quotes.load_text(next(p for p in TEXTS if p.name == "scio-2022-02-28.txt"))
    q = "Xin Guobin said that the Ministry of Industry and Information Technology will"
    assert q in text.flat
    with pytest.raises(quotes.QuoteMismatch, match="U\\+200B ZERO WIDTH SPACE"):
        quotes.match(q.replace("Ministry", "Mini\u200bstry"), text)
