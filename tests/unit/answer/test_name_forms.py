"""Names as paraphrases write them (answer/entail.py): a country by its other name ('US' / 'the United States'),
a name joined to a common word ('UK-based', 'Dublin-based'), and the name before 'according to' (not a
speaker)."""

import pytest

from assistant.answer.support import support
from assistant.models import Article

pytestmark = pytest.mark.unit


def check(evidence: str, statement: str):
    article = Article(id="n", outlet="Example News", text=evidence)
    return support(statement, [(article, 0, len(evidence))], unknown_words=0)


def test_a_country_by_its_other_name():
    evidence = "The total amount of student debt in the United States has almost tripled in the last 15 years."
    assert check(evidence, "Total US student debt has almost tripled in the last 15 years.").supported
    assert not check(evidence, "Total UK student debt has almost tripled in the last 15 years.").supported


SARAQEB = (
    "The rebels have conquered 70 localities, including the town of Saraqeb, according to the Syrian "
    "Observatory based in the United Kingdom."
)


def test_a_name_joined_to_a_common_word_and_the_name_before_according_to():
    statement = (
        "The rebels have conquered 70 localities, including the town of Saraqeb, according to the UK-based "
        "Syrian Observatory."
    )
    assert check(SARAQEB, statement).supported


def test_the_common_word_joined_to_a_name_is_still_asked_for():
    evidence = "The Aviator is his most traditional, Oscar-baity Old Hollywood biography."
    assert check(evidence, "The Aviator is his most traditional, Oscar-baity Old Hollywood biography.").supported
    assert not check(evidence, "The Aviator is his most traditional, Oscar-snubbed Old Hollywood biography.").supported


def test_a_name_for_its_hyphenated_form_is_no_swap():
    evidence = "SoftBank takes a stake that values the Dublin-based startup at $1 billion."
    assert check(evidence, "SoftBank takes a stake that values the Dublin startup at $1 billion.").supported
    assert not check(evidence, "SoftBank takes a stake that values the London startup at $1 billion.").supported
