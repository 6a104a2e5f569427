import pytest

from assistant.text.spans import paragraphs, quote_spans, sentences

pytestmark = pytest.mark.unit


def test_quote_spans_curly_and_straight():
    text = 'He said “one. Two.” and then "three" here.'
    spans = quote_spans(text)
    assert [text[o + 1 : c] for o, c in spans] == ["one. Two.", "three"]


def test_sentences_do_not_split_inside_quotes(seed_text):
    spans = sentences(seed_text)
    joined = [seed_text[s:e] for s, e in spans]
    assert any(s.startswith("“The armed opposition") and s.endswith("assures Charles Lister.") for s in joined)
    assert any("militarily.”underlines Charles Lister" in s for s in joined)


def test_sentences_respect_abbreviations_and_initials():
    text = "Dr. Smith met J. Doe in the U.S. capital. Then they left."
    assert [text[s:e] for s, e in sentences(text)] == ["Dr. Smith met J. Doe in the U.S. capital.", "Then they left."]


def test_a_brand_with_bros_is_not_cut_in_two():
    """ "Super Mario Bros. [1]" was once shown as a statement on its own: a model's sentence cut after "Bros."."""
    text = "But on the whole, Super Mario Bros. Wonder is a delight. It sold well."
    assert [text[s:e] for s, e in sentences(text)] == [
        "But on the whole, Super Mario Bros. Wonder is a delight.",
        "It sold well.",
    ]


def test_paragraph_spans_are_offsets():
    text = "a b\n\n  c d  \ne"
    assert [text[s:e] for s, e in paragraphs(text)] == ["a b", "c d", "e"]
