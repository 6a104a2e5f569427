"""The verifier alone, on hand-made drafts: it must reject everything it cannot check."""

import pytest

from assistant.cite import split_statements, verify
from assistant.models import REFUSAL, Article, Draft, Evidence, Quote

pytestmark = pytest.mark.unit
TEXT = "Intro line. “We will win,” said Ann Lee, a minister. Rain fell on Monday. “No,” said Bob Ray."


@pytest.fixture()
def article():
    q1 = Quote(id="a:q0", article_id="a", text="We will win,", start=13, end=25, speaker="Ann Lee", speaker_role="minister")
    q2 = Quote(id="a:q1", article_id="a", text="No,", start=TEXT.index("No,"), end=TEXT.index("No,") + 3, speaker="Bob Ray")
    assert TEXT[q1.start : q1.end] == q1.text and TEXT[q2.start : q2.end] == q2.text
    return Article(id="a", title="T", outlet="Daily", text=TEXT, quotes=(q1, q2))


def ev(n, start, end, article_id="a"):
    return Evidence(n=n, article_id=article_id, start=start, end=end)


def test_split_statements():
    assert split_statements("One [1]. Two [2][3]\nThree") == [("One.", [1]), ("Two", [2, 3]), ("Three", [])]


def test_valid_draft_is_kept_and_renumbered(article):
    rain = TEXT.index("Rain")
    draft = Draft(text=f"Rain fell on Monday. [7]\nAnn Lee said: “We will win,” [3]", evidence=(ev(7, rain, rain + 20), ev(3, 13, 25)))
    answer = verify("q", draft, {"a": article}, {"a"})
    assert not answer.refused
    assert answer.answer == "Rain fell on Monday. [1]\nAnn Lee said: “We will win,” [2]"
    assert [c.id for c in answer.citations] == [1, 2]
    assert answer.citations[1].speaker == "Ann Lee" and answer.citations[1].speaker_role == "minister"
    assert answer.citations[0].outlet == "Daily"
    for c in answer.citations:
        assert TEXT[c.start : c.end] == c.quote


def test_markers_pointing_at_nothing_or_unretrieved_are_dropped(article):
    draft = Draft(text="Claim one [4]\nClaim two [1]", evidence=(ev(1, 0, 11),))
    answer = verify("q", draft, {"a": article}, set())  # article not retrieved
    assert answer.refused and answer.answer == REFUSAL and answer.citations == ()
    assert answer.dropped_sentences == ("Claim one", "Claim two")


def test_uncited_sentence_dropped(article):
    draft = Draft(text="Intro line. [1] An invented claim with no marker.", evidence=(ev(1, 0, 11),))
    answer = verify("q", draft, {"a": article}, {"a"})
    assert answer.answer == "Intro line. [1]"
    assert answer.dropped_sentences == ("An invented claim with no marker.",)


def test_non_verbatim_quote_rejected(article):
    draft = Draft(text="Ann Lee said: “We shall win” [1]", evidence=(ev(1, 13, 25),))
    assert verify("q", draft, {"a": article}, {"a"}).refused


def test_quote_attributed_to_the_wrong_speaker_rejected(article):
    draft = Draft(text="Bob Ray said: “We will win,” [1]", evidence=(ev(1, 13, 25),))
    assert verify("q", draft, {"a": article}, {"a"}).refused


def test_offsets_outside_the_article_rejected(article):
    draft = Draft(text="Something [1]", evidence=(ev(1, 0, len(TEXT) + 5),))
    assert verify("q", draft, {"a": article}, {"a"}).refused


def test_duplicate_evidence_merged(article):
    draft = Draft(text="Intro line. [1]\nIntro again. [2]", evidence=(ev(1, 0, 11), ev(2, 0, 11)))
    answer = verify("q", draft, {"a": article}, {"a"})
    assert len(answer.citations) == 1 and answer.answer == "Intro line. [1]\nIntro again. [1]"
