"""The quotation and sentence finders were made faster (2026-12-01: they jump from mark to mark instead of
examining every character, count the double marks before a single one as they go instead of recounting the
paragraph for each apostrophe, and cache per text). These tests hold them to the spans of the code they
replaced, kept below verbatim as the reference."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import spans
from assistant.text.spans import _ABBREVIATIONS, CLOSE_FOR, OPEN_MARKS, paragraphs, quote_spans, sentences

pytestmark = pytest.mark.unit

# -- the reference: the code before the speed-up ---------------------------------------------------------
_BOUNDARY = re.compile(r"[.!?]+[”’\"')\]»]*(?=\s+[“\"‘'(\[«A-Z0-9])")
_OPENS_AFTER = " \t([{—–-:/"


def ref_quote_spans(text):
    found = []
    for p_start, p_end in paragraphs(text):
        stack = []
        straight_open = None
        for i in range(p_start, p_end):
            ch = text[i]
            if stack and ch == stack[-1][1]:
                open_i, _ = stack.pop()
                if not stack and i > open_i + 1:
                    found.append((open_i, i))
            elif ch in OPEN_MARKS:
                stack.append((i, CLOSE_FOR[ch]))
            elif ch == '"' and not stack:
                if straight_open is None:
                    straight_open = i
                else:
                    if i > straight_open + 1:
                        found.append((straight_open, i))
                    straight_open = None
        if straight_open is not None and p_end - straight_open > 20:
            found.append((straight_open, p_end))
        found += ref_single_quoted(text, p_start, p_end, [s for s in found if p_start <= s[0] < p_end])
    found.sort()
    return found


def ref_single_quoted(text, p_start, p_end, taken):
    found = []
    letters = [c for c in text[p_start:p_end] if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return found
    i = p_start
    while i < p_end:
        ch = text[i]
        if ch not in "‘'":
            i += 1
            continue
        before = text[p_start:i]
        inside = (
            any(o <= i <= c for o, c in taken) or before.count("“") > before.count("”") or before.count('"') % 2 == 1
        )
        opening = not inside and (i == p_start or text[i - 1] in _OPENS_AFTER)
        if not opening or i + 1 >= p_end or not text[i + 1].isalnum():
            i += 1
            continue
        closers = "’" if ch == "‘" else "'"
        close = None
        for j in range(i + 2, p_end):
            if any(o <= j <= c for o, c in taken) or text[j] in '“”"':
                break
            nxt = text[j + 1] if j + 1 < p_end else " "
            if text[j] in closers and not text[j - 1].isspace() and not nxt.isalnum():
                close = j
                break
        if close is None and ch == "‘":
            j = text.find("”", i, p_end)
            close = j if j > i + 1 and "“" not in text[i:j] else None
        if close is not None and len(text[i + 1 : close].split()) >= 3 and not text[close - 1].isdigit():
            found.append((i, close))
            i = close + 1
        else:
            i += 1
    return found


def ref_sentences(text, protected=None):
    protected = ref_quote_spans(text) if protected is None else protected
    found = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            cut = match.end()
            if any(o < match.start() < c for o, c in protected if o >= p_start and c <= p_end):
                continue
            word = text[max(p_start, match.start() - 12) : match.start()].split()[-1:] or [""]
            token = word[0].lower().lstrip('(“"')
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            found.append((start, cut))
            start = cut
            while start < p_end and text[start].isspace():
                start += 1
        if start < p_end:
            found.append((start, p_end))
    return found


# -- the tests ----------------------------------------------------------------------------------------------
def assert_same(text):
    assert quote_spans(text) == ref_quote_spans(text)
    assert sentences(text) == ref_sentences(text)
    protected = ref_quote_spans(text)[:2]  # a caller's own quotations (attribution passes them)
    assert sentences(text, protected) == ref_sentences(text, protected)


# Words, the marks the finders act on, apostrophes, capitals, digits, sentence ends and newlines: the
# characters every rule above turns on.
_PIECES = st.sampled_from(
    ["‘", "’", "'", '"', "“", "”", "«", "»", "„", " ", " ", "\n", ". ", "? ", "Mr. ", "U.S. ", "(", "—", ":"]
    + ["We know", "these games", "are do or die", "don’t", "Levy’s", "SAYS IT WON’T", "BRING THEM HOME", "J.", "2023"]
    + ["a", "b", "The", "I", "7", "x"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_random_texts_get_the_spans_they_got_before(text):
    assert_same(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_unicode_gets_the_spans_it_got_before(text):
    assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "He said ‘We know these games are do or die.’ Then ‘more of it here now’ and ‘again here now’.",
        "‘We know these games are do or die.” she said. 'And this one too,' he said, 'it is.'",
        "SAYS IT WON'T REST: ‘BRING THEM HOME’\nShe said ‘a b c d’ and “x ‘y z w’ v”.",
        'Unclosed "straight quote that runs to the end of its paragraph\nNext paragraph. Mr. Smith came.',
        "Ⅻ ‘ROMAN numerals count as capitals yet not letters’ here. ½ ‘and so on and on’.",
        "",
    ],
)
def test_hand_written_cases_get_the_spans_they_got_before(text):
    assert_same(text)


def test_the_shipped_article_gets_the_spans_it_got_before(seed_text):
    assert_same(seed_text)


def test_multihop_articles_get_the_spans_they_got_before():
    from assistant.evals.data import multihop_dir

    corpus = multihop_dir() / "corpus.jsonl"
    if not corpus.exists():
        pytest.skip(f"no MultiHop-RAG corpus at {corpus}")
    with corpus.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["body"] for line, _ in zip(handle, range(60))]
    for text in texts:
        assert_same(text)


def test_cached_results_are_fresh_lists():
    text = "She said “one. Two.” and left. Then he came."
    first = sentences(text)
    first.clear()
    quotes = quote_spans(text)
    quotes.append((0, 1))
    assert sentences(text) == ref_sentences(text) != []
    assert quote_spans(text) == ref_quote_spans(text) == [(9, 19)]
    assert spans._sentences.cache_info().hits >= 1
