import pytest

from assistant.answer.chat import Conversation, Turn, condense
from assistant.models import Answer, Citation

pytestmark = pytest.mark.unit


def turn(question, focus, answer=None):
    return Turn(question, question, answer or Answer(question=question, answer="x [1]", refused=False), focus)


def test_pronoun_resolved_to_previous_person():
    history = [turn("Who is Charles Lister?", "Charles Lister")]
    assert condense("What did he say about the armed opposition?", history) == (
        "What did Charles Lister say about the armed opposition?"
    )
    assert condense("What is his affiliation?", history) == "What is Charles Lister's affiliation?"


def test_what_about_swaps_the_focus():
    history = [turn("What did Charles Lister say about Assad?", "Charles Lister")]
    assert condense("What about Dareen Khalifa?", history) == "What did Dareen Khalifa say about Assad?"


def test_standalone_question_unchanged():
    history = [turn("Who is Charles Lister?", "Charles Lister")]
    assert condense("How many people died in Aleppo?", history) == "How many people died in Aleppo?"
    assert condense("What did he say?", []) == "What did he say?"


def test_conversations_do_not_share_history():
    def fake_answer(q, **_):
        cite = Citation(
            id=1,
            article_id="a",
            outlet=None,
            title=None,
            published=None,
            url=None,
            quote="q",
            start=0,
            end=1,
            speaker="Karam Shaar",
        )
        return Answer(question=q, answer="x [1]", refused=False, citations=(cite,))

    one, two = Conversation(fake_answer, 4), Conversation(fake_answer, 4)
    one.ask("Who is Charles Lister?")
    assert two.ask("What did he say?").question == "What did he say?"
    assert len(one.history) == 1 and len(two.history) == 1
    for i in range(10):
        one.ask(f"question {i}")
    assert len(one.history) == 4  # bounded
