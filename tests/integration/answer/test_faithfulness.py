"""Citations that cannot misrepresent: a model's statement about what an expert said reaches the user only as
the expert's verbatim words (ask, ask_stream, follow-ups), a lexically close falsehood never does, and the
faithfulness suite runs end to end through a real (scripted) OpenAI-compatible HTTP server."""

from __future__ import annotations

import re

import pytest
from conftest import assert_answer_contract
from test_llm_engine import ScriptedLLM, with_llm

from assistant import Assistant, Settings
from assistant.evals import faithfulness
from assistant.evals.scripted import ScriptedServer
from assistant.models import Answer

pytestmark = pytest.mark.integration
QUESTION = "What did Karam Shaar say about the collapse of the regime?"
SHAAR = "The pace of the collapse of the regime’s positions is spectacular"
PARAPHRASE = "Karam Shaar said the collapse of the regime's positions was proceeding at a spectacular pace."


@pytest.fixture(scope="module")
def articles(seeded_bot):
    return {a.id: a for a in seeded_bot.articles()}


def shows_own_words(answer: Answer) -> None:
    assert not answer.refused, answer.dropped_sentences
    assert SHAAR in answer.answer and "proceeding" not in answer.answer
    assert any(c.speaker == "Karam Shaar" and SHAAR in c.quote for c in answer.citations)


def test_a_paraphrase_of_an_expert_is_shown_as_their_own_words(seeded_bot, articles):
    bot = with_llm(seeded_bot, ScriptedLLM(PARAPHRASE))
    answer = bot.ask(QUESTION)
    assert_answer_contract(answer, articles)
    shows_own_words(answer)


def test_streamed_and_follow_up_answers_show_the_same_words(seeded_bot, articles):
    bot = with_llm(seeded_bot, ScriptedLLM(PARAPHRASE))
    items = list(bot.ask_stream(QUESTION))
    lines, answer = items[:-1], items[-1]
    shows_own_words(answer)
    assert "\n".join(lines) == answer.answer
    conversation = with_llm(seeded_bot, ScriptedLLM("What did Karam Shaar say?", PARAPHRASE)).conversation()
    conversation.ask("Who is Karam Shaar?")
    follow = conversation.ask("What did he say about the collapse of the regime?")
    shows_own_words(follow)
    streamed = list(conversation.ask_stream("And about the regime's positions?"))
    assert all("proceeding" not in str(x) for x in streamed)


@pytest.mark.parametrize(
    "falsehood",
    [
        "Karam Shaar said the regime would survive [1]",  # the probe
        "Karam Shaar said the collapse of the regime's positions was not spectacular.",
        "Charles Lister said the pace of the collapse of the regime's positions is spectacular.",
        "Karam Shaar said the pace of the collapse of the regime's positions is slow.",
    ],
)
def test_a_lexically_close_falsehood_about_an_expert_is_never_shown(seeded_bot, articles, falsehood):
    answer = with_llm(seeded_bot, ScriptedLLM(falsehood)).ask(QUESTION)
    assert_answer_contract(answer, articles)
    shown = re.sub(r"\s*\[\d+\]", "", answer.answer)
    assert falsehood.split(" [")[0].rstrip(".") not in shown
    assert "survive" not in shown and "not spectacular" not in shown and "is slow" not in shown


def test_the_ngo_the_observatory_and_osdh_are_one_source(seeded_bot, articles):
    for source in ("the OSDH", "the NGO", "the Syrian Observatory for Human Rights"):
        statement = f"According to {source}, the assault launched on Wednesday has so far left 311 dead."
        answer = with_llm(seeded_bot, ScriptedLLM(statement)).ask("How many people died in the assault on Aleppo?")
        assert not answer.refused, (source, answer.dropped_sentences)
        assert "311" in answer.answer


SEED_PAIRS = [  # (evidence sentence start, question, type, faithful, false)
    (
        "The assault, launched on Wednesday",
        "How many people has the assault killed?",
        "number",
        "The assault, launched on Wednesday, has so far left 311 dead, the NGO says.",
        "The assault, launched on Wednesday, has so far left 113 dead, the NGO says.",
    ),
    (
        "The pace of the collapse",
        "What did Karam Shaar say about the regime?",
        "misrepresented_quote",
        "Karam Shaar said the pace of the collapse of the regime's positions is spectacular.",
        "Karam Shaar said the regime would survive.",
    ),
]


def seed_pairs(seed_text: str) -> list[faithfulness.Pair]:
    import hashlib

    from assistant.text.spans import sentences

    out = []
    for n, (opening, question, kind, good, bad) in enumerate(SEED_PAIRS):
        at = seed_text.index(opening)
        start, end = next((a, b) for a, b in sentences(seed_text) if a <= at < b)
        sha = hashlib.sha1(seed_text[start:end].encode()).hexdigest()[:12]
        out.append(
            faithfulness.Pair(
                f"seed-{n}", faithfulness.SEED_KEY, None, None, start, end, sha, question, kind, good, bad, None
            )
        )
    return out


@pytest.mark.slow
def test_faithfulness_pairs_end_to_end_through_a_scripted_http_server(tmp_path, seed_text):
    """The suite's end-to-end run (on pairs over the seed report, so no MultiHop-RAG is needed): a real HTTP
    server speaking /v1/chat/completions (streaming), the Assistant configured with its URL, engine llm."""
    pairs = seed_pairs(seed_text)
    records = faithfulness.source_records(pairs)
    articles = faithfulness.articles_for(records)
    assert not faithfulness.drifted(pairs, articles)
    rows = list(faithfulness.end_to_end(pairs, articles, records, Settings(data_dir=tmp_path)))
    assert len(rows) == 2 * len(pairs)
    outcome = {(r["id"], r["side"]): r["outcome"] for r in rows}
    assert all(outcome[(p.id, "false")] in ("dropped", "declined") for p in pairs), outcome
    assert all(outcome[(p.id, "faithful")] in faithfulness.SHOWN for p in pairs), outcome
    assert outcome[("seed-1", "faithful")] == "verbatim"  # Shaar's own words, not the paraphrase
    table = faithfulness.summarise(rows)["end-to-end"]
    assert table["all"]["falsehoods_shown"] == 0 and table["all"]["faithful_kept"] == 1.0


def test_the_scripted_server_speaks_openai_chat_completions(tmp_path, seeded_bot):
    with ScriptedServer(lambda prompt: "Karam Shaar said the regime would survive.") as server:
        bot = Assistant(
            seeded_bot.settings.model_copy(update={"engine": "llm", "llm_base_url": server.url, "llm_model": "x"})
        )
        answer = bot.ask(QUESTION)
        streamed = list(bot.ask_stream(QUESTION))
    assert server.prompts and "<evidence>" in server.prompts[0]
    assert answer.refused and "survive" in " ".join(answer.dropped_sentences)
    assert streamed[-1].refused
