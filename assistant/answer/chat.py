"""Conversations: follow-up questions rewritten to stand alone, with bounded per-conversation history.

"Who is Charles Lister?" then "What did he say about the armed opposition?" → the second becomes
"What did Charles Lister say about the armed opposition?" before retrieval. Rules here (no model):
the focus of a turn is the person or organisation it asked about, else the first speaker it cited.
Each Conversation owns its history; two conversations never share state.

With the `llm` engine, a follow-up that the rules would rewrite (a pronoun, "what about …") is rewritten
by the model instead (`condense_with`), and the model's rewrite is only used when it names no one the
conversation has not mentioned; otherwise the rules' rewrite stands. Without an LLM: rules only.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.answer.question import names_in
from assistant.attribution.mentions import classify
from assistant.models import REFUSAL, Answer

_PERSON_PRONOUNS = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)
_GROUP_PRONOUNS = re.compile(r"\b(they|them|their|it|its)\b", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$", re.I)


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: Answer
    focus: str | None


def focus_of(question: str, answer: Answer | None) -> str | None:
    names = [n for n in names_in(question) if len(n) > 1]
    if names:
        return max(names, key=len)
    if answer is not None:
        for citation in answer.citations:
            if citation.speaker:
                return citation.speaker
    return None


def condense(question: str, history: list[Turn]) -> str:
    """Rewrite a follow-up with the previous turn's focus; unchanged when it already stands alone."""
    if not history:
        return question
    last = next((t for t in reversed(history) if t.focus), None)
    what_about = _WHAT_ABOUT.match(question)
    if what_about and last is not None:
        subject = what_about.group(1)
        if last.focus and last.focus in last.standalone:
            return last.standalone.replace(last.focus, subject)
        return f"{last.standalone.rstrip('?')} — {subject}?"
    if last is None or names_in(question) and not _PERSON_PRONOUNS.search(question):
        return question
    focus = last.focus or ""
    is_person = classify(focus) == "person"
    pattern = _PERSON_PRONOUNS if is_person else _GROUP_PRONOUNS
    if not pattern.search(question):
        return question

    def swap(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        return (
            f"{focus}'s"
            if word in {"his", "hers", "their", "its"} or (word == "her" and _possessive(question, match))
            else focus
        )

    return pattern.sub(swap, question, count=2)


Condenser = Callable[[str, list[tuple[str, str]]], "str | None"]


def condense_with(question: str, history: list[Turn], condenser: Condenser | None) -> str:
    """The LLM's standalone rewrite when it is safe, else the rules' `condense`."""
    ruled = condense(question, history)
    if (
        condenser is None
        or not history
        or ruled == question
        and not _PERSON_PRONOUNS.search(question)
        and not _GROUP_PRONOUNS.search(question)
    ):
        return ruled
    rewrite = condenser(question, [(t.standalone, t.answer.answer) for t in history])
    if not rewrite or len(rewrite) > 2 * len(question) + 200 or not rewrite.rstrip().endswith("?"):
        return ruled
    said = " ".join([question] + [t.standalone for t in history] + [t.focus or "" for t in history]).casefold()
    if any(name.casefold() not in said for name in names_in(rewrite) if len(name) > 1):
        return ruled  # the model introduced a name nobody mentioned: do not trust it
    return rewrite


def _possessive(question: str, match: re.Match[str]) -> bool:
    """'her view' (possessive) vs 'ask her' (object): a following noun means possessive."""
    rest = question[match.end() :].lstrip()
    return bool(rest) and rest[0].isalpha() and not rest.lower().startswith(("about", "on ", "to ", "say", "said"))


class Conversation:
    """A chat with memory. `ask` answers the standalone form and records the turn."""

    def __init__(
        self,
        answer_fn: Callable[..., Answer],
        max_turns: int,
        condenser: Condenser | None = None,
        stream_fn: Callable[..., Iterable[str | Answer]] | None = None,
    ) -> None:
        self._answer = answer_fn
        self._history: deque[Turn] = deque(maxlen=max(max_turns, 1))
        self._lock = threading.Lock()
        self._condenser = condenser
        self._stream = stream_fn

    @property
    def history(self) -> list[Turn]:
        return list(self._history)

    def ask(self, question: str, **filters: object) -> Answer:
        with self._lock:
            standalone = condense_with(question, list(self._history), self._condenser)
            return self._record(question, standalone, self._answer(standalone, **filters))

    def ask_stream(self, question: str, **filters: object) -> Iterable[str | Answer]:
        """`ask`, streamed like `Assistant.ask_stream`: verified lines, then the Answer (recorded)."""
        with self._lock:
            standalone = condense_with(question, list(self._history), self._condenser)
            if self._stream is None:
                answer = self._answer(standalone, **filters)
                yield from (line for line in answer.answer.splitlines() if not answer.refused)
            else:
                for item in self._stream(standalone, **filters):
                    if isinstance(item, Answer):
                        answer = item
                    else:
                        yield item
            yield self._record(question, standalone, answer)

    def _record(self, question: str, standalone: str, answer: Answer) -> Answer:
        if standalone != question:
            answer = answer.model_copy(update={"question": question, "standalone_question": standalone})
        self._history.append(Turn(question, standalone, answer, focus_of(standalone, answer)))
        return answer

    def remember(self, question: str, answer_text: str) -> None:
        """Add an earlier turn known only as text — a client of the OpenAI-style API sends the whole history
        with each question. Rewritten by the rules only (no model call for past turns); no citations, so its
        focus is the person or organisation the question named."""
        with self._lock:
            standalone = condense(question, list(self._history))
            refused = answer_text.strip() == REFUSAL or not answer_text.strip()
            answer = Answer(question=question, answer=answer_text.strip() or REFUSAL, refused=refused)
            self._history.append(Turn(question, standalone, answer, focus_of(standalone, None)))

    def reset(self) -> None:
        with self._lock:
            self._history.clear()
