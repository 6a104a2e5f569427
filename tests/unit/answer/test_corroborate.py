"""Corroboration: independent outlets (publisher sections and syndicated copies count once) and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.corroborate import Corroborator, Match, conflicts, independent, numbers, publisher, values
from assistant.models import Article, Chunk

pytestmark = pytest.mark.unit
WIRE = (
    "West Ham beat Arsenal 3-1 in the Carabao Cup fourth round on Wednesday night, with Jarrod Bowen scoring "
    "twice in front of a full house at the London Stadium as the hosts moved into the quarter-finals."
)


def _match(aid: str, outlet: str, text: str, claim: str | None = None) -> Match:
    article = Article(id=aid, outlet=outlet, published=dt.date(2023, 11, 1), text=text)
    start = text.index(claim) if claim else 0
    return Match(article, start, start + len(claim or text), 1.0)


def test_sections_of_one_publisher_are_one_outlet():
    assert publisher("The Independent - Sports") == publisher("The Independent - Life and Style") == "The Independent"
    assert publisher("Cnbc | World Business News Leader") == "Cnbc"
    anchor = _match("a", "The Independent - Sports", "West Ham won 3-1 against Arsenal.")
    same = _match("b", "The Independent - Life and Style", "Arsenal lost 3-1 to West Ham.")
    other = _match("c", "The Guardian", "Arsenal were beaten by West Ham on Wednesday.")
    outlets, copies = independent(anchor, [same, other])
    assert outlets == ["The Independent", "The Guardian"] and copies == []


def test_a_syndicated_copy_counts_once():
    anchor = _match("a", "The Guardian", "PA report. " + WIRE)
    copy = _match("b", "Sporting News", WIRE + " More to follow.")  # the same wire story, another masthead
    own = _match("c", "BBC News - Sport", "Bowen scored twice as West Ham knocked Arsenal out of the cup.")
    outlets, copies = independent(anchor, [copy, own])
    assert outlets == ["The Guardian", "BBC News"]
    assert copies == [("b", "a")]


def test_conflicting_scores_are_flagged_side_by_side():
    anchor = _match("a", "The Guardian", "West Ham beat Arsenal 3-1 in the fourth round.")
    other = _match("b", "Sporting News", "Result: West Ham 3-0 Arsenal (fourth round).")
    found = conflicts(anchor, [other])
    assert [(q, [v.text for v in vs]) for q, vs in found] == [("score", ["3-1", "3-0"])]
    assert found[0][1][1].match.article.outlet == "Sporting News"


def test_notation_and_hedges_are_not_conflicts():
    anchor = _match("a", "Fortune", "The deal was worth $69 billion, the company said.")
    same = _match("b", "The Guardian", "The $69bn deal closed on Friday.")
    bound = _match("c", "BBC News", "The toll rose to more than 300 people, officials said.")
    exact = _match("d", "AFP", "The toll rose to 311 people, officials said.")
    assert conflicts(anchor, [same]) == []
    assert conflicts(exact, [bound]) == []
    assert [v.normalized for v in values(exact, exact.start, exact.end)] == [311.0]


def test_days_of_a_month_conflict():
    anchor = _match("a", "The Independent", "The interview was published on 11 October.")
    other = _match("b", "The Independent", "The interview, published on October 10, revealed the split.")
    assert [(q, [v.normalized for v in vs]) for q, vs in conflicts(anchor, [other])] == [("date", ["10-11", "10-10"])]


def test_two_outlets_quoting_the_same_words_are_not_a_syndicated_copy():
    words = "“This man stole billions of dollars from thousands of people,”"
    anchor = _match("a", "The Verge", f"Pointing at the defendant, Rehn said, {words} in his opening.")
    other = _match("b", "TechCrunch", f"{words} prosecutor Thane Rehn told the court on Wednesday.")
    outlets, copies = independent(anchor, [other])
    assert outlets == ["The Verge", "TechCrunch"] and copies == []


def test_a_difference_between_two_amounts_is_not_their_value():
    anchor = _match("a", "The Verge", "Alameda was negative by $200 million, more than the $150 million FTX made.")
    other = _match("b", "The Verge", "Later, Wang found Alameda was negative by $50 million more than FTX's revenue.")
    assert values(other, other.start, other.end) == []
    assert conflicts(anchor, [other]) == []


def test_dates_in_news_style_abbreviations_are_days():
    anchor = _match("a", "Polygon", "Super Mario Bros. Wonder will be released Oct. 20 on Nintendo Switch.")
    other = _match("b", "The Verge", "Super Mario Bros. Wonder arrives on the Switch on Sept. 20.")
    assert [v.normalized for v in values(anchor, anchor.start, anchor.end)] == ["10-20"]
    assert [(q, [v.normalized for v in vs]) for q, vs in conflicts(anchor, [other])] == [("date", ["10-20", "09-20"])]


def test_a_sentence_without_the_claims_figure_does_not_report_the_claim():
    claim = "Super Mario Bros. Wonder will be released Oct. 20 on Nintendo Switch."
    anchor = _match("a", "Polygon", claim)
    topical = Article(
        id="b",
        outlet="The Verge",
        published=dt.date(2023, 10, 1),
        text="Nintendo's plumber has a new Switch game in Super Mario Bros. Wonder.",
    )
    dated = Article(
        id="c",
        outlet="Engadget",
        published=dt.date(2023, 10, 1),
        text="Super Mario Bros. Wonder will be released on Oct. 20 for the Nintendo Switch.",
    )
    articles = {a.id: a for a in (topical, dated)}
    chunks = [Chunk(id=f"{a.id}-0", article_id=a.id, text=a.text, start=0, end=len(a.text)) for a in (topical, dated)]
    checker = Corroborator(lambda text, k: chunks, lambda ids: articles, lambda text, texts: [0.9 for _ in texts])
    assert [m.article.id for m in checker._same_claim(anchor, chunks, articles)] == ["c"]


def _same_claim(claim: str, *texts: str, score: float = 0.9) -> list[str]:
    """The ids of the articles (b, c, …) holding `texts` that the checker takes for reports of `claim`."""
    anchor = _match("a", "The Guardian", claim)
    articles = {
        chr(98 + i): Article(id=chr(98 + i), outlet=f"Outlet {i}", published=dt.date(2023, 12, 1), text=t)
        for i, t in enumerate(texts)
    }
    chunks = [Chunk(id=f"{k}-0", article_id=k, text=a.text, start=0, end=len(a.text)) for k, a in articles.items()]
    checker = Corroborator(lambda text, k: chunks, lambda ids: articles, lambda text, ts: [score for _ in ts])
    return sorted(m.article.id for m in checker._same_claim(anchor, chunks, articles))


def test_a_report_of_the_claim_states_one_of_its_numbers():
    claim = "Tyreek Hill had 157 yards receiving as the Miami Dolphins routed Washington 45-15."
    other_game = "Tyreek Hill had six catches for 163 yards against Carolina for the Miami Dolphins."
    same_game = "Tyreek Hill torched Washington for 157 yards and two touchdowns as the Miami Dolphins won."
    assert _same_claim(claim, other_game, same_game) == ["c"]


def test_numbers_written_as_words_meet_digits():
    assert numbers("He faces seven counts, 1,300 dead") >= {"7", "1300"}
    assert numbers("one of the largest", words=False) == set()


def test_a_statement_too_short_to_name_a_claim_counts_no_outlets():
    assert _same_claim("Date: Dec. 23", "Date: Saturday, Dec. 23") == []


def test_a_disagreement_is_flagged_only_against_a_close_report():
    anchor = _match("a", "Engadget", "The 1TB Steam Deck OLED costs $649 in the US.")
    edition = _match("b", "Polygon", "A special 1TB Steam Deck OLED edition costs $679 in the US.")
    edition.score = 0.7
    assert conflicts(anchor, [edition]) == []
    edition.score = 0.8
    assert [v.text for v in conflicts(anchor, [edition])[0][1]] == ["$649", "$679"]
