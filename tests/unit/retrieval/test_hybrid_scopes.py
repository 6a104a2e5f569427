"""How per-clause rankings are combined: the sources a question names get the places (no store needed)."""

from __future__ import annotations

import pytest

from assistant.models import Chunk
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import HybridRetriever

pytestmark = pytest.mark.unit


class Ranked(HybridRetriever):
    """Each ranking is three chunks labelled by its scope and words, so the merged list shows which rankings
    took part."""

    def __init__(self) -> None:
        pass

    def _refresh(self) -> None:
        pass

    @property
    def _lock(self):  # type: ignore[override]
        import contextlib

        return contextlib.nullcontext()

    def _fused(self, question: str, top_k: int, filters: Filters) -> list[Chunk]:
        scope = filters.outlet or "anywhere"
        return [
            Chunk(
                id=f"{scope}-{question}-{i}",
                article_id=f"{scope}-{question}-{i}",
                text=question,
                start=0,
                end=1,
                outlet=filters.outlet or "Other",
            )
            for i in range(3)
        ]


def test_clauses_bound_to_outlets_leave_no_place_to_an_unscoped_ranking():
    got = Ranked().retrieve("q", 6, Filters(), [("a", Filters(outlet="Fortune")), ("b", Filters(outlet="The Age"))])
    assert {c.outlet for c in got} == {"Fortune", "The Age"}


def test_an_unscoped_clause_brings_the_whole_question_back():
    got = Ranked().retrieve("q", 9, Filters(), [("a", Filters(outlet="Fortune")), ("b", Filters())])
    assert [c.id for c in got][:3] == ["Fortune-a-0", "anywhere-b-0", "anywhere-q-0"]
