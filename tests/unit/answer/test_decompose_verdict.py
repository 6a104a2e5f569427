"""Decomposition of questions across reports, and verdicts decided in code (pure functions, no store)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.decompose import clause_queries, dates_in, plan, split_clauses
from assistant.answer.verdict import Finding, Judgement, claim_check, decide, draft, figures, proposition
from assistant.models import Article
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import outlet_aliases

pytestmark = pytest.mark.unit
ALIASES = outlet_aliases({"TechCrunch", "The Verge", "Fortune", "The Independent - Life and Style", "Rivals"})


def test_clauses_are_bound_to_the_outlets_they_name():
    p = plan(
        "Does the TechCrunch article suggest that EVs failed because of price, while The Verge article focuses "
        "on Donald Trump's criticism of electric vehicles?",
        ALIASES,
    )
    assert p.yes_no and p.relation == "claims" and p.multi
    assert [c.outlets for c in p.clauses] == [("TechCrunch",), ("The Verge",)]
    assert "Donald Trump" in p.clauses[1].names


def test_dates_and_sections_of_a_publisher():
    p = plan(
        "Between the article from 'The Independent - Life and Style' published on October 12, 2023, and the "
        "Fortune piece from 2023-11-27, was there a change in the portrayal of the marriage?",
        ALIASES,
    )
    assert p.relation == "change" and not p.negated
    assert p.clauses[0].dates == (dt.date(2023, 10, 12),)
    assert p.clauses[0].outlets == ("The Independent - Life and Style",)
    assert p.clauses[-1].dates == (dt.date(2023, 11, 27),)
    queries = clause_queries(p, Filters())
    assert ("The Independent - Life and Style", dt.date(2023, 10, 12)) in {(f.outlet, f.since) for _, f in queries}
    assert all(f.outlet == "Fortune" for _, f in clause_queries(p, Filters(outlet="Fortune")))


def test_a_header_clause_is_retrieved_with_the_whole_question_in_each_outlet_it_names():
    question = (
        "Which company, featured in articles from both Fortune and TechCrunch, has taken an aggressive stance "
        "on adjusting interest rates in response to inflation data?"
    )
    p = plan(question, ALIASES)
    assert p.multi and p.clauses[0].outlets == ("Fortune", "TechCrunch")
    queries = clause_queries(p, Filters())
    # the header names only the sources: the whole question is looked for in each of them
    assert (question, Filters(outlet="Fortune")) in queries
    # a clause that names no outlet is looked for in the outlets the question names, never unscoped
    assert {f.outlet for _, f in queries} == {"Fortune", "TechCrunch"}
    assert any(text == p.clauses[1].text and f.outlet == "TechCrunch" for text, f in queries)


def test_negated_and_choice_questions():
    assert plan("Was there no change in the portrayal of Google between TechCrunch and The Verge?", ALIASES).negated
    p = plan("Did TechCrunch's article suggest a consistent or inconsistent portrayal of Google?", ALIASES)
    assert p.choice == ("consistent", "inconsistent") and not p.negated
    assert plan("Which company did TechCrunch and The Verge describe?", ALIASES).relation == "open"


def test_dates_in_and_split():
    assert dates_in("on November 6, 2023 and at '2023-10-04T20:07:42+00:00'") == [
        dt.date(2023, 11, 6),
        dt.date(2023, 10, 4),
    ]
    assert len(split_clauses("Did A say the price rose, while B reported that sales fell?")) == 2


def _check(claim: str, evidence: str) -> str:
    article = Article(id="x", outlet="Engadget", text=evidence)
    return claim_check(claim, article, 0, len(evidence)).status


def test_the_claim_of_a_clause_is_checked_against_its_report():
    assert (
        proposition("Does the Engadget article claim that CyberGhost excludes an audit")
        == "CyberGhost excludes an audit"
    )
    assert _check("CyberGhost did not complete an independent audit", "CyberGhost completed an independent audit.") == (
        "contradicted"
    )
    assert _check("The Tel Aviv 35 rose 6.4% over the week", "The Tel Aviv 35 fell 6.4% over the week.") == (
        "contradicted"
    )
    assert _check("The Tel Aviv 35 fell 6.4% over the week", "The Tel Aviv 35 fell 6.4% over the week.") == "supported"


def test_figures_normalise_units():
    assert figures("$4.3 billion") == figures("$4.3bn") == [(4.3e9, "$")]
    assert figures("25 per cent")[0] == figures("25%")[0] == (25.0, "%")
    assert figures("in 2023") == []


def _article(aid: str, outlet: str, day: int, text: str) -> Article:
    return Article(id=aid, outlet=outlet, published=dt.date(2023, 11, day), text=text)


def test_order_is_decided_by_publication_dates_and_the_answer_opens_with_it():
    p = plan(
        "After TechCrunch reported on the shutdown on November 20, 2023, did Rivals report a touchdown by "
        "Coleman before that date?",
        ALIASES,
    )
    assert p.relation == "order"
    tc, rv = _article("a", "TechCrunch", 20, "Pebble shut down."), _article("b", "Rivals", 18, "Coleman scored.")
    found = [
        Finding(p.clauses[0], tc, 0, len(tc.text), 1.0, Judgement("supported")),
        Finding(p.clauses[-1], rv, 0, len(rv.text), 1.0, Judgement("supported")),
    ]
    verdict = decide(p, found)
    assert verdict.answer == "Yes"
    text = draft(verdict).text
    assert text.startswith("Yes: TechCrunch reported on 2023-11-20: “Pebble shut down.” [1]")
    later = _article("b", "Rivals", 25, "Coleman scored.")
    found[1] = Finding(p.clauses[-1], later, 0, len(later.text), 1.0, Judgement("supported"))
    assert decide(p, found).answer == "No"


def test_a_missing_report_leaves_the_claims_undecided_and_a_contradiction_says_no():
    p = plan("Does the TechCrunch article say prices rose, while The Verge article says sales fell?", ALIASES)
    tc = _article("a", "TechCrunch", 2, "Prices rose.")
    ok = Finding(p.clauses[0], tc, 0, len(tc.text), 1.0, Judgement("supported"))
    verdict = decide(p, [ok, Finding(p.clauses[1])])
    assert verdict.answer is None and "The Verge" in p.clauses[1].text and "cannot decide" in verdict.reason
    bad = Finding(p.clauses[1], tc, 0, len(tc.text), 1.0, Judgement("contradicted", "negated"))
    assert decide(p, [ok, bad]).answer == "No"
    assert decide(p, [ok, ok]).answer == "Yes"
