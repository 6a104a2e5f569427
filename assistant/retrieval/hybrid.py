"""Question → ranked Chunk[]: dense + BM25, fused by llama-index's QueryFusionRetriever.

Fusion is weighted `relative_score` rather than plain reciprocal rank: with a weak dense model, equal-vote
RRF lowers precision (docs/architecture.md), so each retriever's min-max normalised score gets a weight.
Filters (outlet, speaker, date range) become numpy masks over the chunk columns of the persisted index
(`Lexical`): BM25 takes them as a weight mask; dense search inside a filter is exact over the masked
chunks' vectors (Chroma's metadata pre-filter costs 0.1–0.5 s per query at 100k chunks), and an
unfiltered dense query goes to Chroma's HNSW index. Filters are re-checked on the fused list, so a result
never violates one.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.lexicon import MONTHS, month_number
from assistant.models import Chunk
from assistant.retrieval.bm25 import Lexical
from assistant.retrieval.embedding import LocalEmbedding
from assistant.retrieval.filters import Filters
from assistant.retrieval.store import Store

log = logging.getLogger(__name__)
LOCAL_DENSE_MAX = 300_000  # filtered dense search is exact over at most this many chunks (~0.1 s at 300k)
RECORDS_CACHED = 4096  # chunk records kept between rankings (dropped whenever the store changes)


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


_DATE = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)


def outlet_aliases(outlets: set[str]) -> dict[str, list[str]]:
    """How questions name outlets: 'The Independent - Sports' → 'The Independent', 'Independent'."""
    aliases: dict[str, list[str]] = {}
    for outlet in sorted(outlets):  # sorted: the same scopes in the same order in every process
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
    for alias in sorted(aliases, key=lambda a: (-len(a), a)):
        if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", folded):
            named += [o for o in aliases[alias] if o not in named]
    dates = []
    for match in _DATE.finditer(question):
        try:
            dates.append(dt.date(int(match.group(3)), month_number(match.group(1)), int(match.group(2))))
        except ValueError:
            continue
    dates = [
        d for d in dates if (not filters.since or d >= filters.since) and (not filters.until or d <= filters.until)
    ]
    scopes = [replace(filters, outlet=o) for o in named]
    if dates and len(named) <= 4:
        scopes = [replace(s, since=d, until=d) for s in scopes for d in dates] or [
            replace(filters, since=d, until=d) for d in dates
        ]
    return scopes[:8]


def interleave(lists: list[list[Chunk]], top_k: int, filters: Filters) -> list[Chunk]:
    """Round-robin over ranked lists (rank 1 of each, then rank 2, …), each chunk once, the user's filters
    re-checked."""
    merged: dict[str, Chunk] = {}
    for rank in range(top_k):
        for ranked in lists:
            if rank < len(ranked):
                merged.setdefault(ranked[rank].id, ranked[rank])
    return [c for c in merged.values() if filters.accepts(c)][:top_k]


class HybridRetriever:
    """Owns the BM25 index (rebuilt from the store when the store changes, persisted in data_dir) and
    the dense retriever."""

    def __init__(self, store: Store, embedder: LocalEmbedding, dense_weight: float) -> None:
        self.store, self.embedder, self.dense_weight = store, embedder, dense_weight
        self._lock = threading.Lock()
        self._lexical: Lexical | None = None
        self._aliases: dict[str, list[str]] = {}
        self._signature = ""
        # Chunk records read back for fused rankings, valid for self._signature: one question ranks the same
        # chunks in several scopes, and its hops and corroboration retrieve them again.
        self._records: OrderedDict[str, Chunk] = OrderedDict()

    def invalidate(self) -> None:
        with self._lock:
            self._signature = ""

    def _refresh(self) -> None:
        signature = self.store.signature()
        if signature == self._signature:
            return
        folder = self.store.settings.data_dir / "bm25" / re.sub(r"[^\w.-]", "_", signature)
        lexical = None
        try:
            lexical = Lexical.load(folder)
        except Exception:  # a damaged cache is rebuilt, never trusted
            log.warning("BM25 cache %s unreadable; rebuilding", folder, exc_info=True)
        if lexical is None:
            lexical = Lexical.build(self.store)
            if lexical is not None:
                try:
                    lexical.save(folder)
                    self._prune(folder)
                except OSError:
                    log.warning("cannot persist the BM25 index in %s", folder, exc_info=True)
        self._lexical = lexical
        self._aliases = outlet_aliases(set(lexical.outlets)) if lexical else {}
        self._signature = signature
        self._records.clear()

    @staticmethod
    def _prune(keep: Path) -> None:
        """Older signatures of the same store are stale."""
        import shutil

        for other in keep.parent.iterdir():
            if other != keep and other.name.startswith(keep.name.split("-", 1)[0] + "-"):
                shutil.rmtree(other, ignore_errors=True)

    def _dense(self, top_k: int, filters: Filters, lexical: Lexical) -> Any:
        """Without a filter (or with a broad one): Chroma's HNSW index, ids and distances only. With a
        filter that keeps at most LOCAL_DENSE_MAX chunks: exact search over those chunks' vectors —
        Chroma pre-filters on metadata first, which costs ~0.1–0.5 s per query at 100k chunks."""
        from llama_index.core.retrievers import BaseRetriever
        from llama_index.core.schema import NodeWithScore, TextNode

        embedder, chunks = self.embedder, self.store.chunks
        mask = lexical.mask(filters) if filters else None
        local = mask is not None and int(mask.sum()) <= LOCAL_DENSE_MAX
        where = filters.chroma_where()

        class Dense(BaseRetriever):
            def _retrieve(self, query_bundle: Any) -> list[Any]:
                vector = embedder.get_query_embedding(query_bundle.query_str)
                if local:
                    hits = lexical.dense_hits(vector, top_k, mask)
                else:
                    got = chunks.query(query_embeddings=[vector], n_results=top_k, where=where, include=["distances"])
                    hits = [(i, math.exp(-d)) for i, d in zip(got["ids"][0], got["distances"][0])]
                return [NodeWithScore(node=TextNode(id_=i, text=i), score=sc) for i, sc in hits]

        return Dense()

    def outlet_aliases(self) -> dict[str, list[str]]:
        """How questions may name the store's outlets (alias → outlets), from the current index."""
        with self._lock:
            self._refresh()
            return dict(self._aliases)

    def retrieve(
        self,
        question: str,
        top_k: int,
        filters: Filters,
        clauses: Sequence[tuple[str, Filters]] | None = None,
        rerank: Callable[[str, list[Chunk]], list[Chunk]] | None = None,
    ) -> list[Chunk]:
        """Fused ranking. `clauses`: (text, scope) per clause of a question across reports (see
        `answer.decompose.clause_queries`), each ranked on its own words inside its scope; without them, when
        the question names outlets (and dates) of the corpus, one ranking of the whole question per named
        outlet. The rankings are interleaved (with the question's own when a clause is unscoped), so each
        source asked about is represented. `rerank(text, ranked)` reorders each clause's ranking (see
        `retrieval.rerank`)."""
        with self._lock:
            self._refresh()  # once per question: reads the write token (and a server's chunk count)
        if clauses is None:
            scopes = [] if filters.outlet else question_scopes(question, self._aliases, filters)
            clauses = [(question, scope) for scope in scopes]
        if not clauses:
            return self._fused(question, top_k, filters)
        lists = []
        for text, scope in clauses:
            ranked = self._fused(text, top_k, scope)
            if not ranked and scope.since:  # the date may be the article's update, not its publication
                ranked = self._fused(text, top_k, replace(scope, since=filters.since, until=filters.until))
            lists.append(rerank(text, ranked) if rerank is not None and ranked else ranked)
        # The whole question, unscoped, last — and only when some clause is unscoped: when every clause is
        # bound to an outlet it names, an unscoped ranking only takes places from the sources asked about.
        if not all(scope.outlet for _, scope in clauses):
            lists.append(self._fused(question, top_k, filters))
        return interleave(lists, top_k, filters)

    def _chunk_records(self, ids: list[str]) -> dict[str, Chunk]:
        """The stored records of these chunks (those that exist), read from the store once per index version."""
        with self._lock:
            signature = self._signature
            known = {i: self._records[i] for i in ids if i in self._records}
        missing = [i for i in ids if i not in known]
        if not missing:
            return known
        got = self.store.get_chunks(missing)
        with self._lock:
            if self._signature == signature:  # not refreshed meanwhile: the records belong to this version
                for cid, chunk in got.items():
                    self._records[cid] = chunk
                    self._records.move_to_end(cid)
                while len(self._records) > RECORDS_CACHED:
                    self._records.popitem(last=False)
        return known | got

    def _fused(self, question: str, top_k: int, filters: Filters) -> list[Chunk]:
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        with self._lock:
            lexical = self._lexical
            if lexical is None:
                return []
            fetch = max(top_k * 3, 20) * (4 if filters else 1)
            retrievers, weights = [_by_id(self._dense(fetch, filters, lexical))], [self.dense_weight]
            sparse = lexical.retriever(fetch, filters)
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
        # Only the chunks that can make the cut are read back from the store: the filter is checked on the
        # index's columns first. The index holds exactly the chunks of stored articles, so a dense hit it does
        # not know (a chunk of an unfinished or killed ingest, or one stored since) is never returned.
        mask = lexical.mask(filters) if filters else None
        wanted: list[tuple[str, float]] = []
        for result in results:
            row = lexical.row.get(result.node.node_id)
            if row is None or mask is not None and not mask[row]:
                continue
            wanted.append((result.node.node_id, float(result.score or 0.0)))
            if len(wanted) >= top_k * 2:
                break
        records = self._chunk_records([cid for cid, _ in wanted])
        ranked = [
            records[cid].model_copy(update={"score": score})
            for cid, score in wanted
            if cid in records and filters.accepts(records[cid])
        ]
        return ranked[:top_k]
