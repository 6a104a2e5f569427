"""Everyday synonyms in the `words` layer (answer/wordsense.py) and the checks that keep them from letting a
minimal edit through: guarded words, no tolerance once a synonym is leaned on, event order, moved endpoints,
and the aligner that will not borrow a name from an unrelated sentence."""

import pytest

from assistant.answer import wordsense
from assistant.answer.entail import stem
from assistant.answer.support import support
from assistant.answer.verify import Verifier
from assistant.models import Article, Evidence

pytestmark = pytest.mark.unit


def check(evidence: str, statement: str, **kwargs):
    article = Article(id="w", outlet="Example News", text=evidence)
    return support(statement, [(article, 0, len(evidence))], **kwargs)


def test_the_table_is_loaded_and_never_holds_a_guarded_stem():
    table = wordsense.table()
    assert len(table) > 10_000
    assert "film" in table["movi"] and "answer" in table["repli"]
    guard = wordsense.guarded()
    assert not guard & set(table), "a contrary, aspect, hedge or negator word has synonyms"
    assert not any(guard & others for others in table.values())


@pytest.mark.parametrize("word", ["rise", "fall", "stop", "remain", "may", "expect", "not", "deny", "before"])
def test_words_the_contradiction_layers_read_are_guarded(word):
    assert stem(word) in wordsense.guarded()
    assert not wordsense.synonym_in({stem(word)}, {stem("anything")})


@pytest.mark.parametrize(
    ("evidence", "statement"),
    [
        ("The studio released the movie in 2019.", "The studio released the film in 2019."),
        ("The ministry did not reply to requests for comment.", "The ministry did not answer requests for comment."),
        ("The automobile was found abandoned near the border.", "The car was found abandoned near the border."),
    ],
)
def test_an_everyday_synonym_accounts_for_a_word(evidence, statement):
    assert check(evidence, statement, unknown_words=0).supported  # (as strict as for a statement shown as written)


def test_a_judgement_word_keeps_to_the_curated_tables():
    """'wealthy' shares a sense with 'moneyed' ('big-money donors'), but an adjective is a judgement or a
    degree: a synonym never accounts for it."""
    evidence = "The paper is funded by big-money conservative donors."
    assert not check(evidence, "The paper is funded by wealthy conservative donors.", unknown_words=0).supported


def test_a_statement_that_leans_on_a_synonym_leaves_no_word_unaccounted_for():
    """Where one unknown word is tolerated (a speech paraphrase shown as verbatim words), a statement whose
    words are found only with a synonym's help gets no such tolerance: 'movie' → 'film' found, 'sequel' not."""
    evidence = "The studio said it released the movie in 2019."
    assert check(evidence, "The studio said it released the film in 2019.", unknown_words=1).supported
    result = check(evidence, "The studio said it released the film sequel in 2019.", unknown_words=1)
    assert not result.supported and "besides synonyms" in " ".join(result.reasons)


def test_before_and_following_the_same_event_contradict():
    evidence = "Following a content moderation warning from European Union regulators, Meta published an overview."
    before = "Before EU regulators issued a content moderation warning, Meta published an overview."
    after = "After EU regulators issued a content moderation warning, Meta published an overview."
    result = check(evidence, before)
    assert result.contradicted and result.layer == "contrast"
    assert not check(evidence, after).contradicted


def test_the_following_day_is_no_event_order():
    evidence = "The following day the club confirmed the signing of the striker."
    assert not check(evidence, "Before the club confirmed the signing, the striker trained.").contradicted


def test_a_moved_endpoint_is_seen_across_a_long_clause():
    """'made Yahoo! the default …, most users changed it to Google' is not '… Google …, switched it to Yahoo!':
    the thing moved is named more than 50 characters before its 'to'."""
    evidence = "When Mozilla made Yahoo! the default engine on Firefox, most users changed it to Google."
    false = "After Mozilla set Google as Firefox's default engine, most users switched it to Yahoo!"
    result = check(evidence, false)
    assert result.contradicted and result.layer == "roles"


def test_the_aligner_does_not_borrow_a_name_from_an_unrelated_sentence():
    """The cited sentence has the Bucks; a photo caption elsewhere mentions the Nuggets. Citing both would find
    every name of '… exit to the Denver Nuggets', a swap, so a sentence that adds only names is not taken."""
    text = (
        "Durant reacts against the Denver Nuggets during game two of the 2023 playoffs. "
        "Despite forming a formidable trio in Brooklyn, their best result was a second-round exit in the 2021 "
        "playoffs at the hands of the Milwaukee Bucks."
    )
    article = Article(id="d", outlet="Example News", text=text)
    cited = text.index("Despite")
    evidence = [Evidence(n=1, article_id="d", start=cited, end=len(text))]
    context = [Evidence(n=0, article_id="d", start=0, end=len(text))]
    head = "Despite forming a formidable trio in Brooklyn, their best result was a second-round exit to the"
    false, faithful = f"{head} Denver Nuggets.", f"{head} Milwaukee Bucks."
    for statement, shown in ((false, False), (faithful, True)):
        verifier = Verifier("How far did they get?", evidence, {"d": article}, {"d"}, context=context)
        assert (verifier.add(statement, [1]) is not None) is shown
