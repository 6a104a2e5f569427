"""Answer engines: what drafts an answer from retrieved evidence. Both speak one protocol, so the verifier and
the Assistant never need to know which one runs.

- `extractive` (default, offline): verbatim evidence, no generative model.
- `llm`: a llama-index LLM writes the answer; code still decides what is shown (`answer.verify`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from assistant.answer.question import Query
from assistant.models import Article, Chunk, Draft, Evidence


@dataclass
class DraftStream:
    """An engine's answer as it is written: the evidence its [n] markers point at, and each statement with its
    marker numbers as soon as the statement is complete. `reason` says why nothing came, for logs."""

    evidence: tuple[Evidence, ...]
    statements: Iterator[tuple[str, list[int]]]
    reason: str | None = None


@runtime_checkable
class AnswerEngine(Protocol):
    """Drafts answers; never decides what the user sees (the verifier does)."""

    def draft(self, query: Query, chunks: list[Chunk], articles: dict[str, Article]) -> Draft:
        """The whole unverified answer at once."""
        ...

    def stream(self, query: Query, chunks: list[Chunk], articles: dict[str, Article]) -> DraftStream:
        """The same answer, statement by statement, while it is being written."""
        ...

    def similarity(self, statements: Sequence[str], sentences: Sequence[str]) -> Sequence[Sequence[float]] | None:
        """Semantic similarity used to align unmarked statements with evidence sentences, or None (lexical only)."""
        ...

    def condense(self, question: str, history: list[tuple[str, str]]) -> str | None:
        """A follow-up rewritten to stand alone, or None to leave it to the rules."""
        ...


def whole(draft: Draft) -> DraftStream:
    """A finished draft as a stream (engines that write the whole answer at once)."""
    from assistant.answer.verify import split_statements

    return DraftStream(draft.evidence, iter(split_statements(draft.text)), draft.reason)
