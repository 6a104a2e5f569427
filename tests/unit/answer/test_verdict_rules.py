"""Issue 15: the rules that decide Yes/No verdicts from clause checks, and how the answer states them."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.decompose import outlets_in, plan, split_clauses
from assistant.answer.verdict import Finding, Judgement, claim_check, decide, proposition
from assistant.models import Article, Citation
from assistant.retrieval.hybrid import outlet_aliases

pytestmark = pytest.mark.unit
ALIASES = outlet_aliases(
    {"TechCrunch", "The Verge", "The Age", "The Guardian", "Yardbarker", "The Independent - Life and Style"}
)


def test_an_outlet_name_is_a_proper_noun_in_a_text_written_with_capitals():
    assert outlets_in("Did The Guardian say Britney had more control at the age of 16?", ALIASES) == ["The Guardian"]
    assert outlets_in("Is Apple on the verge of a deal, says The Age?", ALIASES) == ["The Age"]
    assert outlets_in("what did the verge say about apple", ALIASES) == ["The Verge"]  # typed all lower-case


def test_a_clause_is_never_cut_inside_an_outlet_name():
    question = (
        "Does the Yardbarker article suggest that Kelce will have a productive outing, as opposed to "
        "The Independent - Life and Style article which discusses his attendance at a concert?"
    )
    clauses = split_clauses(question, ALIASES)
    assert clauses[-1].startswith("The Independent - Life and Style article")
    assert [c.outlets for c in plan(question, ALIASES).clauses] == [
        ("Yardbarker",),
        ("The Independent - Life and Style",),
    ]


def test_a_question_about_inconsistency_is_a_consistency_question_asked_negatively():
    p = plan(
        "Between the TechCrunch report published on October 31, 2023, and the TechCrunch report published on "
        "December 15, 2023, was there inconsistency in portraying Google's influence?",
        ALIASES,
    )
    assert p.relation == "consistent" and p.negated


def test_the_claim_leaves_out_the_publication_date_that_only_names_the_report():
    claim = proposition("Between the TechCrunch report on Sam Altman's startup published on October 7, 2023")
    assert "October" not in claim and "2023" not in claim and "Sam Altman's startup" in claim


def _status(claim: str, evidence: str) -> str:
    article = Article(id="x", outlet="FOX News - Health", text=evidence)
    return claim_check(claim, article, 0, len(evidence)).status


def test_only_a_contradiction_in_substance_says_no():
    # a hedge the question itself asks about ("does the article suggest …") is not a contradiction
    assert (
        _status(
            "Time-restricted eating has a positive impact on sleep quality and brain recovery",
            "Time-restricted eating can also improve the quality of sleep, he noted, which can help the brain "
            "recover better.",
        )
        != "contradicted"
    )
    # nor is a figure of the question missing from one sentence
    assert (
        _status(
            "Britney Spears had less control over her privacy at the age of 16",
            "As the restrictions get tighter, Britney acts out and ends up legally denied her freedom for 13 years.",
        )
        != "contradicted"
    )
    # a negation still is
    assert _status("CyberGhost did not complete an audit", "CyberGhost completed an audit.") == "contradicted"


def _article(aid: str, outlet: str, text: str) -> Article:
    return Article(id=aid, outlet=outlet, published=dt.date(2023, 11, 2), text=text)


def _whole(n: int, article) -> Citation:
    """Citation [n] of an article's whole text."""
    return Citation(
        id=n,
        article_id=article.id,
        start=0,
        end=len(article.text),
        quote=article.text,
        outlet=article.outlet,
        title=None,
        published=None,
        url=None,
    )


def test_a_yes_resting_on_unconfirmed_clauses_says_so_clause_by_clause():
    from assistant.answer.respond import labelled

    p = plan("Does the TechCrunch article say prices rose, while The Verge article says sales fell?", ALIASES)
    tc, vg = _article("a", "TechCrunch", "Prices rose."), _article("b", "The Verge", "Sales slumped.")
    found = [
        Finding(p.clauses[0], tc, 0, len(tc.text), 1.0, Judgement("supported")),
        Finding(p.clauses[1], vg, 0, len(vg.text), 1.0, Judgement("unknown", "not confirmed: words")),
    ]
    undecided = decide(p, found)  # by default the assistant refuses rather than guess, naming the clause
    assert undecided.answer is None and "sales fell" in undecided.reason and "not confirmed" in undecided.reason
    verdict = decide(p, found, presume=True)
    assert verdict.answer == "Yes" and verdict.presumed and "not confirmed" in verdict.reason
    citations = (_whole(1, tc), _whole(2, vg))
    text = labelled(
        verdict, "Yes: TechCrunch reported: “Prices rose.” [1]\nThe Verge reported: “Sales slumped.” [2]", citations
    )
    first, second = text.split("\n")
    assert first.startswith("Yes: Supported — TechCrunch")
    assert second.startswith("Not confirmed, not contradicted, presumed to hold — The Verge") and second.endswith("[2]")
    found[1] = Finding(p.clauses[1], vg, 0, len(vg.text), 1.0, Judgement("supported"))
    assert not decide(p, found).presumed


def test_a_claim_about_what_a_report_leaves_out_is_not_checked_against_a_sentence():
    claim = proposition(
        "the Fortune article discusses the roles of Matt Huang and Gary Wang in FTX, without indicating any new "
        "venture involvement for them"
    )
    assert claim == "the roles of Matt Huang and Gary Wang in FTX"


def test_a_change_verdict_is_a_presumption_and_the_answer_says_so():
    from assistant.answer.respond import labelled

    p = plan(
        "Between the TechCrunch report published on November 1, 2023, and The Verge report published on "
        "November 2, 2023, was there a change in the portrayal of Google?",
        ALIASES,
    )
    tc, vg = _article("a", "TechCrunch", "Google won."), _article("b", "The Verge", "Google lost.")
    found = [
        Finding(p.clauses[0], tc, 0, len(tc.text), 1.0, Judgement("unknown")),
        Finding(p.clauses[-1], vg, 0, len(vg.text), 1.0, Judgement("unknown")),
    ]
    assert decide(p, found).answer is None  # not judged in code: undecided unless presumptions are asked for
    verdict = decide(p, found, presume=True)
    assert verdict.answer == "Yes" and verdict.presumed and not verdict.by_claims
    text = labelled(verdict, "Yes: TechCrunch reported: “Google won.” [1]", ())
    assert text.startswith("Yes: Presumed: the reports were found; whether their portrayal differs is not judged")


def test_a_change_is_looked_for_in_each_report_the_clause_names():
    """ "Between The Verge report and the Engadget report": one clause, two reports — each is found (or said
    to be missing) on its own; a source the store lacks stays a clause of its own."""
    from assistant.answer.decompose import Clause, Plan
    from assistant.answer.verdict import clauses_to_find

    both = Clause("changed between The Verge report and the Engadget report", ("The Verge", "Engadget"))
    lacking = Clause("and the Bloomberg report", unknown=("Bloomberg",))
    p = Plan("q", True, "change", (both, lacking))
    assert [(c.outlets, c.unknown) for c in clauses_to_find(p)] == [
        (("The Verge",), ()),
        (("Engadget",), ()),
        ((), ("Bloomberg",)),
    ]
    claims = Plan("q", True, "claims", (both,))
    assert clauses_to_find(claims) == [both]
