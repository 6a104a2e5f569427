"""Questions across reports, end to end on a real store: per-clause evidence, verdicts in code that open the
answer, undecided clauses named, sentence vectors from ingest, corroboration and conflicts in the contract."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant, Settings
from tests.conftest import assert_answer_contract

pytestmark = pytest.mark.integration
RECORDS = [
    {
        "title": "Steam Deck OLED arrives",
        "source": "The Verge",
        "published_at": "2023-11-09",
        "url": "https://example.org/verge-deck",
        "body": "Valve announced the Steam Deck OLED on Thursday. The handheld costs $549 for the 512GB model. "
        "Valve said it improved the battery life of the handheld.",
    },
    {
        "title": "Valve's new handheld",
        "source": "Engadget",
        "published_at": "2023-11-16",
        "url": "https://example.org/engadget-deck",
        "body": "The Steam Deck OLED went on sale on November 16th. The handheld costs $529 for the 512GB model. "
        "Reviewers praised the brighter screen of the new handheld.",
    },
    {
        "title": "Transfer news",
        "source": "Sporting News",
        "published_at": "2023-12-01",
        "url": "https://example.org/sn-transfer",
        "body": "Manchester United were knocked out of Europe after a 1-0 defeat by Bayern Munich at Old Trafford. "
        "Erik ten Hag said the team lacked energy.",
    },
]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("across")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    bot = Assistant(Settings(data_dir=folder / "store"))
    assert bot.ingest([corpus]).articles_added == 3
    return bot


def _articles(bot: Assistant, answer):
    return bot.store.get_articles([c.article_id for c in answer.citations])


def test_a_claims_question_is_decided_clause_by_clause_and_opens_with_the_verdict(bot: Assistant):
    answer = bot.ask(
        "Does The Verge article report that Valve announced the Steam Deck OLED, while the Engadget article "
        "says that reviewers praised the brighter screen of the new handheld?"
    )
    assert_answer_contract(answer, _articles(bot, answer))
    assert answer.verdict == "Yes" and answer.answer.startswith("Yes: ")
    assert [c.outlets for c in answer.clauses] == [("The Verge",), ("Engadget",)]
    assert all(c.status == "supported" and c.citation for c in answer.clauses)
    assert {c.outlet for c in answer.citations} == {"The Verge", "Engadget"}


def test_a_contradicted_clause_makes_the_verdict_no(bot: Assistant):
    answer = bot.ask(
        "Does The Verge article report that Valve announced the Steam Deck OLED, while the Engadget article "
        "says that reviewers did not praise the screen of the new handheld?"
    )
    assert answer.verdict == "No" and answer.answer.startswith("No: ")
    assert [c.status for c in answer.clauses] == ["supported", "contradicted"]


def test_a_clause_without_its_report_is_named_and_no_verdict_given(bot: Assistant):
    """No verdict, and `undecided` names the clause and why; the report that was found is still shown,
    verbatim and cited, for the reader to judge."""
    answer = bot.ask(
        "Does The Verge article report that Valve announced the Steam Deck OLED, while the Fortune article "
        "says that reviewers praised the screen?",
    )
    assert answer.verdict is None
    undecided = [c for c in answer.clauses if c.status == "unknown"]
    assert undecided and "no report" in undecided[0].reason
    assert answer.undecided and "Fortune" in answer.undecided and "no report" in answer.undecided
    assert answer.answer.startswith("Undecided: Supported — The Verge reported")
    assert [c.outlet for c in answer.citations] == ["The Verge"]
    assert_answer_contract(answer, _articles(bot, answer))


def test_a_change_in_portrayal_is_undecided_saying_it_would_be_a_presumption(bot: Assistant):
    answer = bot.ask(
        "Has the portrayal of the Steam Deck OLED changed between The Verge report and the Engadget report?"
    )
    assert answer.verdict is None and answer.answer.startswith("Undecided: ")
    assert answer.undecided and "presumption" in answer.undecided and "not judged in code" in answer.undecided
    assert {c.outlet for c in answer.citations} == {"The Verge", "Engadget"}
    assert_answer_contract(answer, _articles(bot, answer))


def test_nothing_found_for_any_clause_is_a_plain_refusal(bot: Assistant):
    answer = bot.ask("Did the Fortune article report that X rose, while the Bloomberg article said it fell?")
    assert answer.refused and answer.verdict is None and not answer.citations


def test_order_questions_use_publication_dates(bot: Assistant):
    answer = bot.ask(
        "After The Verge reported on November 9, 2023, that Valve announced the Steam Deck OLED, did Engadget "
        "report that the Steam Deck OLED went on sale before that date?"
    )
    assert answer.verdict == "No" and answer.answer.startswith("No: ")


def test_sentence_vectors_come_from_ingest_and_conflicts_are_flagged(bot: Assistant):
    before = bot.sentence_vectors.embedded
    answer = bot.ask("How much does the Steam Deck OLED 512GB model cost according to The Verge?")
    assert not answer.refused
    assert bot.sentence_vectors.embedded - before <= 1  # the question itself; evidence sentences were stored
    cited = next(c for c in answer.citations if "$549" in c.quote)
    assert cited.independent_outlets == ("The Verge", "Engadget")
    assert [r.outlet for r in cited.also_reported_by] == ["Engadget"]
    assert [sorted(v.text for v in c.values) for c in answer.conflicts] == [["$529", "$549"]]
    values = json.loads(answer.model_dump_json())["conflicts"][0]["values"]
    assert {(v["text"], v["outlet"]) for v in values} == {("$549", "The Verge"), ("$529", "Engadget")}
