"""Issue 15: inference answers name the entity in full, and only as the verified evidence gives it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.models import Answer, Article, Citation

pytestmark = pytest.mark.unit


def _articles(*texts: str) -> dict[str, Article]:
    return {f"a{i}": Article(id=f"a{i}", outlet="TechCrunch", text=t) for i, t in enumerate(texts)}


def test_a_person_is_named_by_the_full_name_the_reports_use_most():
    from assistant.answer.engines.entity import _Votes, full_name

    votes = _Votes(forms={"Gabe Bankman-Fried": 1, "Bankman-Fried": 3})
    articles = _articles(
        "Sam Bankman-Fried is on trial. Sam Bankman-Fried denied it.",
        "Gabe Bankman-Fried ran a nonprofit. Prosecutors say Sam Bankman-Fried lied.",
    )
    assert full_name(votes, ("PERSON",), articles) == "Sam Bankman-Fried"


def test_a_clipped_organisation_name_is_spelled_out_but_a_whole_word_is_not_extended():
    from assistant.answer.engines.entity import _Votes, full_name

    articles = _articles(
        "The Federal Reserve raised rates. Fed officials met.",
        "Investors await the Federal Reserve. Google Maps added AI. Google Maps is popular.",
    )
    assert full_name(_Votes(forms={"Fed": 4}), ("ORG",), articles) == "Federal Reserve"
    assert full_name(_Votes(forms={"Google": 4}), ("ORG",), articles) == "Google"


def test_entity_questions_are_recognised_after_a_lead_in_and_with_listed_adjectives():
    from assistant.answer.engines.entity import entity_labels

    assert entity_labels("Considering the claims by TechCrunch, which company is implicated in the suit?") == ("ORG",)
    assert entity_labels("What is the name of the OpenAI-developed, general-purpose chatbot?") == ("PRODUCT", "ORG")
    assert entity_labels("Which celebrity, known for her tours, was named Person of the Year?") == ("PERSON",)
    assert entity_labels("Who is the subject of a criminal trial reported by TechCrunch?") == ("PERSON",)
    assert entity_labels("Who said the deal was off?") is None


def _answer(quote: str) -> Answer:
    cite = Citation(
        id=1, article_id="a0", outlet="Fortune", title=None, published=None, url=None, quote=quote, start=0, end=9
    )
    return Answer(question="q", answer=f"Fortune reported: “{quote}” [1]", citations=(cite,), refused=False)


def test_the_name_leads_the_answer_only_when_a_verified_citation_contains_it():
    from assistant.answer.respond import with_lead

    assert with_lead(_answer("The Federal Reserve held rates."), "Federal Reserve").answer.startswith(
        "Federal Reserve — Fortune reported"
    )
    assert not with_lead(_answer("Fed officials held rates."), "Federal Reserve").answer.startswith("Federal")
    refused = Answer.refusal("q")
    assert with_lead(refused, "Google") == refused


def test_an_entity_question_about_reports_the_store_lacks_is_declined():
    from assistant.answer.decompose import plan
    from assistant.answer.respond import unstored_sources
    from assistant.retrieval.hybrid import outlet_aliases

    aliases = outlet_aliases({"TechCrunch", "Cnbc | World Business News Leader"})
    asked = plan(
        "Considering a CNBC article on credit and a Bloomberg report on credit companies, which CEO, mentioned "
        "in both articles, has led their company?",
        aliases,
    )
    assert unstored_sources(asked) == ["Bloomberg"]
    assert unstored_sources(plan("Considering TechCrunch's claims, which company is under scrutiny?", aliases)) == []
    assert unstored_sources(plan("What did the Bloomberg report say about credit?", aliases)) == []  # not a vote


def test_an_entity_vote_needs_some_evidence_bearing_on_the_question(monkeypatch):
    from assistant.answer.engines import extractive
    from assistant.answer.question import analyse

    text = "Google paid $26 billion in 2021 to be the default search engine."
    article = Article(id="a0", outlet="TechCrunch", text=text)
    engine = extractive.ExtractiveEngine(SimpleNamespace(embed=None), 0.42, 3)  # type: ignore[arg-type]
    voted: list[float] = []
    monkeypatch.setattr(extractive, "entity_draft", lambda *args: voted.append(1.0))
    query = analyse("Which company paid to be the default search engine?")
    for score in (0.1, 0.3):
        found = extractive.Assessment(score, True, [extractive.Candidate(article, 0, len(text), score)])
        monkeypatch.setattr(engine, "assess", lambda *args, found=found: found)
        engine.draft(query, [], {"a0": article})
    assert len(voted) == 1  # only the question whose best sentence reaches ENTITY_MIN_SUPPORT is voted on
