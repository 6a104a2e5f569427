"""Numbers inside hyphenated words (answer/entail.py): 'top-5s', 'Ten-year', 'then-12-year-old' hold a number
as much as 'top-five' does, and 'a three-goal first half' counts goals."""

import pytest

from assistant.answer.entail import tokenise
from assistant.answer.support import support
from assistant.models import Article

pytestmark = pytest.mark.unit


def check(evidence: str, statement: str):
    article = Article(id="h", outlet="Example News", text=evidence)
    return support(statement, [(article, 0, len(evidence))], unknown_words=0)


@pytest.mark.parametrize(
    ("word", "low"),
    [("top-5s", "5"), ("top-tens", "10"), ("then-12-year-old", "12"), ("two-year", "2"), ("COVID-19", "covid-19")],
)
def test_the_number_inside_a_hyphenated_word(word, low):
    assert tokenise(f"It was a {word} thing.")[3].low == low


def test_a_capitalised_number_word_opening_a_sentence_is_a_number():
    assert tokenise("Ten-year yields fell.")[0].low == "10"


BUESCHER = "Chris Buescher ended his season with three wins, nine top-5s, and 17 top-tens."


def test_top_five_is_top_5_and_top_six_is_not():
    assert check(BUESCHER, "Buescher ended his season with three wins, nine top-5s and 17 top-10s.").supported
    assert check(BUESCHER, "Buescher ended his season with three wins, nine top-six and 17 top-10s.").contradicted


def test_a_hyphenated_number_keeps_its_other_words_as_evidence():
    evidence = "Ten-year yields tumbled as much as 18 basis points to 4.62 per cent."
    assert check(evidence, "The 10-year yield tumbled as much as 18 basis points to 4.62 per cent.").supported


def test_the_unit_joined_to_a_number_by_a_hyphen():
    evidence = "Frankfurt beat Bayern 5-1 with a sensational three-goal first-half performance."
    assert check(evidence, "Frankfurt beat Bayern 5-1 with three goals in the first half.").supported
    assert check(evidence, "Frankfurt beat Bayern 5-1 with three points in the first half.").contradicted
