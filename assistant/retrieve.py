"""Question → ranked Chunk[]: dense (Chroma) + BM25, fused by llama-index's QueryFusionRetriever.

Fusion is weighted `relative_score` rather than plain reciprocal rank: with a weak dense model, equal-vote
RRF lowers precision (DESIGN.md), so each retriever's min-max normalised score gets a weight.
Filters (outlet, speaker, date range) are applied natively where the backend can (Chroma `where`,
BM25 weight mask) and always re-checked on the fused list, so a result never violates a filter.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

from .chunking import index_text
from .embedding import LocalEmbedding
from .errors import QuestionError
from .models import Chunk
from .identity import fold
from .store import Store, _date_int
from .ingest import parse_date

FILTER_NAMES = ("outlet", "speaker", "since", "until")
# bm25s logs at DEBUG and llama-index warns when a corpus has fewer chunks than top_k: noise for users.
logging.getLogger("bm25s").setLevel(logging.WARNING)
logging.getLogger("llama_index.retrievers.bm25.base").setLevel(logging.ERROR)


def same_speaker(wanted: str, name: str) -> bool:
    """A speaker filter matches any spelling: 'Assad', 'al-Assad' and 'Bashar al-Assad' are one person."""
    w, n = fold(wanted), fold(name)
    return bool(w) and (w == n or w == n.split()[-1] or (" " in w and w in n))


@dataclass(frozen=True)
class Filters:
    """Retrieval filters; empty means no restriction."""

    outlet: str | None = None
    speaker: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, **raw: Any) -> "Filters":
        unknown = set(raw) - set(FILTER_NAMES)
        if unknown:
            raise QuestionError(f"unknown filter(s) {sorted(unknown)}; use {list(FILTER_NAMES)}.")
        values: dict[str, Any] = {}
        for name in ("since", "until"):
            if raw.get(name):
                date = parse_date(raw[name])
                if date is None:
                    raise QuestionError(f"{name}={raw[name]!r} is not a date; use YYYY-MM-DD.")
                values[name] = date
        if values.get("since") and values.get("until") and values["since"] > values["until"]:
            raise QuestionError("since is after until; swap the dates.")
        for name in ("outlet", "speaker"):
            if raw.get(name):
                values[name] = str(raw[name]).strip()
        return cls(**values)

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}

    def __bool__(self) -> bool:
        return any(self.__dict__.values())

    def accepts(self, chunk: Chunk) -> bool:
        if self.outlet and (chunk.outlet or "").casefold() != self.outlet.casefold():
            return False
        if self.speaker and not any(same_speaker(self.speaker, s) for s in chunk.speakers):
            return False
        if (self.since or self.until) and chunk.published is None:
            return False
        if self.since and chunk.published < self.since:
            return False
        return not (self.until and chunk.published > self.until)

    def metadata_filters(self) -> Any:
        """The part Chroma can apply itself (exact outlet, date range)."""
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        parts = []
        if self.outlet:
            parts.append(MetadataFilter(key="outlet", value=self.outlet, operator=FilterOperator.EQ))
        if self.since:
            parts.append(MetadataFilter(key="published_int", value=_date_int(self.since), operator=FilterOperator.GTE))
        if self.until:
            parts.append(MetadataFilter(key="published_int", value=_date_int(self.until), operator=FilterOperator.LTE))
        return MetadataFilters(filters=parts) if parts else None


def _by_id(retriever: Any) -> Any:
    """Wrap a llama-index retriever so its hits are keyed by chunk id alone.

    QueryFusionRetriever merges hits by a hash of node text + metadata; the dense and BM25 copies of a
    chunk differ in both, so without this the same chunk would be counted twice and never fused.
    Zero-score BM25 hits (no shared term) are dropped.
    """
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, TextNode

    class ById(BaseRetriever):
        def _retrieve(self, query_bundle: Any) -> list[Any]:
            hits = retriever.retrieve(query_bundle)
            return [
                NodeWithScore(node=TextNode(id_=h.node.node_id, text=h.node.node_id), score=h.score)
                for h in hits
                if h.score and h.score > 0
            ]

    return ById()


_MONTHS = "january february march april may june july august september october november december".split()
_DATE = re.compile(rf"\b({'|'.join(_MONTHS)})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)


def outlet_aliases(outlets: set[str]) -> dict[str, list[str]]:
    """How questions name outlets: 'The Independent - Sports' → 'The Independent', 'Independent'."""
    aliases: dict[str, list[str]] = {}
    for outlet in outlets:
        base = re.split(r"\s+[|-]\s+", outlet)[0].strip()
        for alias in {outlet, base, re.sub(r"^the\s+", "", base, flags=re.I)}:
            if len(alias) > 2:
                aliases.setdefault(alias.casefold(), []).append(outlet)
    return aliases


def question_scopes(question: str, aliases: dict[str, list[str]], filters: Filters) -> list[Filters]:
    """Outlet (and publication-date) filters for the sources a question names, e.g.
    "…reported by TechCrunch on November 6, 2023 and by The Verge…" → [TechCrunch ∩ 2023-11-06, The Verge]."""
    folded = question.casefold()
    named = []
    for alias in sorted(aliases, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", folded):
            named += [o for o in aliases[alias] if o not in named]
    dates = []
    for match in _DATE.finditer(question):
        try:
            dates.append(dt.date(int(match.group(3)), _MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))))
        except ValueError:
            continue
    dates = [d for d in dates if (not filters.since or d >= filters.since) and (not filters.until or d <= filters.until)]
    scopes = [replace(filters, outlet=o) for o in named]
    if dates and len(named) <= 4:
        scopes = [replace(s, since=d, until=d) for s in scopes for d in dates] or [replace(filters, since=d, until=d) for d in dates]
    return scopes[:8]


class HybridRetriever:
    """Owns the BM25 index (rebuilt from the store when its chunk count changes) and the dense retriever."""

    def __init__(self, store: Store, embedder: LocalEmbedding, dense_weight: float) -> None:
        self.store, self.embedder, self.dense_weight = store, embedder, dense_weight
        self._lock = threading.Lock()
        self._catalog: dict[str, Chunk] = {}
        self._order: list[str] = []
        self._bm25: Any = None
        self._dense_index: Any = None
        self._aliases: dict[str, list[str]] = {}
        self._count = -1

    def invalidate(self) -> None:
        with self._lock:
            self._count = -1

    def _refresh(self) -> None:
        count = self.store.chunks.count()
        if count == self._count:
            return
        from llama_index.core.schema import TextNode
        from llama_index.retrievers.bm25 import BM25Retriever

        logging.getLogger("bm25s").setLevel(logging.WARNING)

        chunks = list(self.store.iter_chunks())
        self._catalog = {c.id: c for c in chunks}
        self._order = [c.id for c in chunks]
        self._aliases = outlet_aliases({c.outlet for c in chunks if c.outlet})
        nodes = [TextNode(id_=c.id, text=index_text(c)) for c in chunks]
        self._bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=10) if nodes else None
        self._count = count

    def _dense(self, top_k: int, filters: Filters) -> Any:
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        if self._dense_index is None:
            vector_store = ChromaVectorStore(chroma_collection=self.store.chunks)
            self._dense_index = VectorStoreIndex.from_vector_store(vector_store, embed_model=self.embedder)
        return self._dense_index.as_retriever(similarity_top_k=top_k, filters=filters.metadata_filters())

    def _sparse(self, top_k: int, filters: Filters) -> Any:
        retriever = copy.copy(self._bm25)
        retriever.similarity_top_k = min(top_k, len(self._order))
        if filters:
            mask = [int(filters.accepts(self._catalog[i])) for i in self._order]
            if not any(mask):
                return None
            retriever.corpus_weight_mask = mask
        return retriever

    def retrieve(self, question: str, top_k: int, filters: Filters) -> list[Chunk]:
        """Fused ranking; when the question names outlets (and dates) of the corpus, also one ranking per
        named outlet, interleaved, so each source the question asks about is represented."""
        base = self._fused(question, top_k, filters)
        scopes = [] if filters.outlet else question_scopes(question, self._aliases, filters)
        if not scopes:
            return base
        lists = []
        for scope in scopes:
            ranked = self._fused(question, top_k, scope)
            if not ranked and scope.since:  # the date may be the article's update, not its publication
                ranked = self._fused(question, top_k, replace(scope, since=filters.since, until=filters.until))
            lists.append(ranked)
        merged: dict[str, Chunk] = {}
        for rank in range(top_k):
            for ranked in lists + [base]:
                if rank < len(ranked):
                    merged.setdefault(ranked[rank].id, ranked[rank])
        return [c for c in merged.values() if filters.accepts(c)][:top_k]  # the user's filters always hold

    def _fused(self, question: str, top_k: int, filters: Filters) -> list[Chunk]:
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        with self._lock:
            self._refresh()
            if not self._order:
                return []
            fetch = max(top_k * 3, 20) * (4 if filters else 1)
            retrievers, weights = [_by_id(self._dense(fetch, filters))], [self.dense_weight]
            sparse = self._sparse(fetch, filters)
            if sparse is not None:
                retrievers.append(_by_id(sparse))
                weights.append(1.0 - self.dense_weight)
            fusion = QueryFusionRetriever(
                retrievers,
                llm=MockLLM(),
                mode="relative_score",
                retriever_weights=weights,
                similarity_top_k=fetch,
                num_queries=1,
                use_async=False,
            )
            results = fusion.retrieve(question)
            missing = [r.node.node_id for r in results if r.node.node_id not in self._catalog]
            extra = self.store.get_chunks(missing)
        ranked: list[Chunk] = []
        for result in results:
            chunk = self._catalog.get(result.node.node_id) or extra.get(result.node.node_id)
            if chunk is not None and filters.accepts(chunk):
                ranked.append(chunk.model_copy(update={"score": float(result.score or 0.0)}))
        return ranked[:top_k]
