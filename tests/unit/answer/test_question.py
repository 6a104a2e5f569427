"""Question analysis decides refusals and phrasing for every engine: its intent, names and terms are pinned here."""

from __future__ import annotations

import pytest

from assistant.answer.question import analyse, content_terms, names_in

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What did Charles Lister say on X?", "who_said"),
        ("Who said the regime was more vulnerable than ever?", "who_said"),
        ("Who claimed that Russia bombed Idlib?", "who_said"),
        ("What did Crisis Group's Dareen Khalifa say about the operation?", "who_said"),
        ("How many people were killed in Aleppo?", "fact"),
        ("Which rebel group led the offensive on Aleppo?", "fact"),
        ("When did the offensive start?", "fact"),
        ("Who is Karam Shaar?", "who_is"),
        ("What is the role of Caroline Rose?", "who_is"),
        ("On which platform did Charles Lister write?", "medium"),
        ("Where did Charles Lister say it?", "medium"),
        ("Who did Karam Shaar tell about the regime?", "medium"),
    ],
)
def test_intent(question, intent):
    assert analyse(question).intent == intent


def test_who_is_wins_over_who_said_and_medium_over_who_said():
    assert analyse("Who is the expert who said the regime was weak?").intent == "who_is"
    assert analyse("On which platform did Lister say the regime was weak?").intent == "medium"


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What did Charles Lister say on X?", ["Charles Lister", "X"]),
        ("What did Crisis Group's Dareen Khalifa say?", ["Crisis Group", "Dareen Khalifa"]),  # the possessive splits
        ("Besides Aleppo, which cities fell?", ["Aleppo"]),  # a capitalised opening word is not a name
        ("Did Bashar al-Assad flee?", ["Bashar al-Assad"]),
        ("How many people were killed?", []),
    ],
)
def test_names_in(question, names):
    assert names_in(question) == names


def test_content_terms_are_stemmed_without_stopwords_or_possessives():
    assert content_terms("The killings of civilians in Aleppo's suburbs") == ["kill", "civilian", "aleppo", "suburb"]
    assert content_terms("Bashar al-Assad’s forces") == ["bashar", "al-assad", "forc"]  # a curly possessive too
    assert content_terms("What did he say?") == []  # question words and reporting verbs carry no content


def test_medium_named_in_the_question():
    assert analyse("What did Charles Lister say on X?").medium == "X"
    assert analyse("What did the OSDH report in a press release?").medium == "a press release"
    assert analyse("What did Charles Lister say?").medium is None


def test_number_date_and_topic_wishes():
    how_many = analyse("How many people were killed in Aleppo?")
    assert how_many.wants_number and not how_many.wants_date
    when = analyse("When did the offensive start?")
    assert when.wants_date and not when.wants_number
    about = analyse("What did Crisis Group's Dareen Khalifa say about the operation?")
    assert about.topic == ("oper",)
    assert analyse("Who is Karam Shaar?").topic == ()


def test_the_query_keeps_the_question_and_its_names_once():
    query = analyse("Did Lister say Lister was wrong?")
    assert query.text == "Did Lister say Lister was wrong?"
    assert query.names == ("Lister",)
