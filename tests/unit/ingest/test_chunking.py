"""Chunking keeps exact character spans and never cuts a quotation off from its speaker."""

from __future__ import annotations

import datetime as dt

import pytest
from llama_index.core.node_parser import SentenceSplitter

from assistant.attribution.quotes import extract_quotes
from assistant.ingest.chunking import _sentence_pieces, chunk_article, locate, make_splitter
from assistant.models import Article, Quote
from assistant.text.spans import quote_spans

pytestmark = pytest.mark.unit
SIZES = (60, 80, 150, 200, 300)


@pytest.fixture(scope="module")
def seed(seed_text) -> Article:
    return Article(id="seed", title="HTS takes Aleppo", published=dt.date(2024, 11, 30), text=seed_text)


def boundaries_inside_quotations(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Chunk ends that fall strictly inside a quotation (between its opening and closing marks)."""
    return [end for _, end in spans if any(o < end <= c for o, c in quote_spans(text))]


def stock_spans(text: str, size: int) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for piece in SentenceSplitter(chunk_size=size, chunk_overlap=0).split_text(text):
        spans.append(locate(text, piece, cursor))
        cursor = spans[-1][1]
    return spans


def test_sentence_pieces_concatenate_back_to_the_text(seed_text):
    assert "".join(_sentence_pieces(seed_text)) == seed_text
    assert "".join(_sentence_pieces("  Leading space. Then more.")) == "  Leading space. Then more."
    assert _sentence_pieces("") == []


@pytest.mark.parametrize("size", SIZES)
def test_chunks_are_exact_ordered_spans_that_never_cut_a_quotation(seed, size):
    chunks = chunk_article(seed, make_splitter(size, 0), [])
    assert len(chunks) > 1
    for chunk in chunks:
        assert seed.text[chunk.start : chunk.end] == chunk.text
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))
    assert not seed.text[: chunks[0].start].strip() and not seed.text[chunks[-1].end :].strip()  # nothing lost
    assert boundaries_inside_quotations(seed.text, [(c.start, c.end) for c in chunks]) == []


def test_the_stock_splitter_does_cut_quotations_of_the_seed_report(seed_text):
    """What the test above guards against happens with llama-index's own sentence tokenizer."""
    assert boundaries_inside_quotations(seed_text, stock_spans(seed_text, 200))


def test_a_quote_stays_in_the_chunk_that_names_its_speaker(seed):
    quotes = extract_quotes(seed.text, seed.id)
    chunks = chunk_article(seed, make_splitter(200, 0), quotes)
    (holder,) = [c for c in chunks if "militarily.”" in c.text]
    assert "militarily.”underlines Charles Lister, expert at the Middle East Institute, on X." in holder.text
    assert "Charles Lister" in holder.speakers
    for chunk in chunks:  # speakers and quote ids are exactly those of the attributed quotes overlapping the chunk
        overlapping = [q for q in quotes if q.speaker and q.start < chunk.end and q.end > chunk.start]
        assert chunk.quote_ids == tuple(q.id for q in overlapping)
        assert chunk.speakers == tuple(dict.fromkeys(q.speaker for q in overlapping))


def test_chunk_article_carries_ids_and_article_metadata():
    text = "First sentence here. “We will hold,” said Lister. Third one. Fourth one ends it."
    article = Article(
        id="abc", outlet="AFP", title="T", url="https://x.test/a", published=dt.date(2024, 1, 2), text=text
    )
    start = text.index("We")
    quotes = [
        Quote(id="abc:q0", article_id="abc", text="We will hold,", start=start, end=start + 13, speaker="Lister"),
        Quote(id="abc:q1", article_id="abc", text="First", start=0, end=5),  # unattributed: not a speaker
    ]
    chunks = chunk_article(article, lambda t: [t[:20], t[20:50], t[50:]], quotes)
    assert [c.id for c in chunks] == ["abc:0000", "abc:0001", "abc:0002"]
    assert all(
        (c.outlet, c.title, c.url, c.published) == ("AFP", "T", "https://x.test/a", dt.date(2024, 1, 2)) for c in chunks
    )
    assert [c.speakers for c in chunks] == [(), ("Lister",), ()]
    assert [c.quote_ids for c in chunks] == [(), ("abc:q0",), ()]
    assert [(c.start, c.end) for c in chunks] == [(0, 20), (20, 50), (50, len(text))]


def test_locate_searches_from_the_cursor_and_survives_normalised_whitespace():
    text = "Same words. Other words. Same words. "
    assert locate(text, "Same words.", 0) == (0, 11)
    assert locate(text, "Same words.", 12) == (25, 36)  # the second occurrence, not the first
    sentence = (
        "The opening words of this long sentence are plain, then  odd\n spacing sits in the middle of it, "
        "and the end is plain."
    )
    text += sentence
    normalised = " ".join(sentence.split())  # what a splitter that normalises whitespace hands back
    assert normalised not in text
    start, end = locate(text, normalised, 36)
    assert text[start:end] == sentence
    with pytest.raises(ValueError, match="not found"):
        locate(text, "words that are nowhere in the text at all, not even close to anything", 0)
