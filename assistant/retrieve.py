"""Question → ranked Chunk[]: dense + BM25, fused by llama-index's QueryFusionRetriever.

Fusion is weighted `relative_score` rather than plain reciprocal rank: with a weak dense model, equal-vote
RRF lowers precision (DESIGN.md), so each retriever's min-max normalised score gets a weight.
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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .chunking import index_text
from .embedding import LocalEmbedding
from .errors import QuestionError
from .models import Chunk
from .identity import fold
from .store import Store, _date_int
from .ingest import parse_date

FILTER_NAMES = ("outlet", "speaker", "since", "until")
log = logging.getLogger(__name__)
LOCAL_DENSE_MAX = 300_000  # filtered dense search is exact over at most this many chunks (~0.1 s at 300k)
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

    def chroma_where(self) -> dict[str, Any] | None:
        """The part Chroma can apply itself (exact outlet, date range), as a Chroma `where`."""
        parts: list[dict[str, Any]] = []
        if self.outlet:
            parts.append({"outlet": self.outlet})
        if self.since:
            parts.append({"published_int": {"$gte": _date_int(self.since)}})
        if self.until:
            parts.append({"published_int": {"$lte": _date_int(self.until)}})
        return None if not parts else parts[0] if len(parts) == 1 else {"$and": parts}

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
            dates.append(dt.date(int(match.group(3)), _MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))))
        except ValueError:
            continue
    dates = [d for d in dates if (not filters.since or d >= filters.since) and (not filters.until or d <= filters.until)]
    scopes = [replace(filters, outlet=o) for o in named]
    if dates and len(named) <= 4:
        scopes = [replace(s, since=d, until=d) for s in scopes for d in dates] or [replace(filters, since=d, until=d) for d in dates]
    return scopes[:8]


class Lexical:
    """The BM25 side: a bm25s index over every chunk's index text, plus compact per-chunk columns
    (outlet code, date, speakers) that turn filters into numpy masks, and the chunk vectors (float32,
    memory-mapped) for exact dense search inside a filter. No chunk text is kept in memory.

    Tokenisation is llama-index BM25Retriever's (English stemmer, stopwords removed from the corpus,
    `\\b\\w\\w+\\b` tokens), so rankings are the same as that retriever's. The index is persisted under
    `data_dir/bm25/` keyed by the store's signature, so a new process memory-maps it instead of
    re-tokenising the corpus (seconds at 100k chunks, minutes at 1M).
    """

    TOKEN_PATTERN = r"(?u)\b\w\w+\b"
    FILES = ("columns.npz", "extra.json", "vectors.npy")

    def __init__(
        self, bm25: Any, ids: list[str], outlet_codes: Any, outlets: list[str], published: Any,
        speakers: dict[int, tuple[str, ...]], vectors: Any,
    ) -> None:  # fmt: skip
        import numpy as np

        self.bm25, self.ids, self.outlets, self.speakers, self.vectors = bm25, ids, outlets, speakers, vectors
        self.outlet_codes, self.published = np.asarray(outlet_codes), np.asarray(published)
        self.row = {cid: i for i, cid in enumerate(ids)}
        self._masks: dict[Filters, Any] = {}

    @staticmethod
    def _stemmer() -> Any:
        import Stemmer

        return Stemmer.Stemmer("english")

    @classmethod
    def build(cls, store: Store) -> "Lexical | None":
        import bm25s
        import numpy as np

        ids: list[str] = []
        texts: list[str] = []
        codes: list[int] = []
        dates: list[int] = []
        speakers: dict[int, tuple[str, ...]] = {}
        outlet_code: dict[str, int] = {}
        pages = []
        for page, vectors in store.iter_chunk_pages():
            pages.append(vectors)
            for chunk in page:
                row = len(ids)
                ids.append(chunk.id)
                texts.append(index_text(chunk))
                codes.append(outlet_code.setdefault(chunk.outlet, len(outlet_code)) if chunk.outlet else -1)
                dates.append(_date_int(chunk.published) or 0)
                if chunk.speakers:
                    speakers[row] = chunk.speakers
        if not ids:
            return None
        matrix = np.concatenate(pages)
        del pages
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=cls._stemmer(), token_pattern=cls.TOKEN_PATTERN, show_progress=False)
        del texts
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(bm25, ids, np.array(codes, dtype=np.int32), list(outlet_code), np.array(dates, dtype=np.int32), speakers, matrix)

    def save(self, folder: Path) -> None:
        """Written to a temporary folder, then renamed: a reader never sees half an index."""
        import json
        import os
        import shutil
        import tempfile

        import numpy as np

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        try:
            self.bm25.save(str(tmp), show_progress=False)
            np.savez(tmp / "columns.npz", outlet=self.outlet_codes, published=self.published, ids=np.array(self.ids))
            np.save(tmp / "vectors.npy", np.asarray(self.vectors, dtype=np.float32))
            extra = {"outlets": self.outlets, "speakers": [[r, list(s)] for r, s in self.speakers.items()]}
            (tmp / "extra.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not folder.exists():
                raise

    @classmethod
    def load(cls, folder: Path) -> "Lexical | None":
        import json

        import bm25s
        import numpy as np

        if not all((folder / f).exists() for f in cls.FILES):
            return None
        bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        columns = np.load(folder / "columns.npz")
        extra = json.loads((folder / "extra.json").read_text("utf-8"))
        speakers = {int(r): tuple(s) for r, s in extra["speakers"]}
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        return cls(bm25, columns["ids"].tolist(), columns["outlet"], extra["outlets"], columns["published"], speakers, vectors)

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, filters: Filters) -> Any:
        """Boolean array: which chunks a filter accepts (the same rules as Filters.accepts), cached."""
        import numpy as np

        if filters in self._masks:
            return self._masks[filters]
        mask = np.ones(len(self.ids), dtype=bool)
        if filters.outlet:
            wanted = [i for i, o in enumerate(self.outlets) if o.casefold() == filters.outlet.casefold()]
            mask &= np.isin(self.outlet_codes, wanted)
        if filters.since or filters.until:
            mask &= self.published > 0
        if filters.since:
            mask &= self.published >= _date_int(filters.since)
        if filters.until:
            mask &= self.published <= _date_int(filters.until)
        if filters.speaker:
            rows = [r for r, names in self.speakers.items() if any(same_speaker(filters.speaker, n) for n in names)]
            keep = np.zeros(len(self.ids), dtype=bool)
            keep[rows] = True
            mask &= keep
        if len(self._masks) > 256:
            self._masks.clear()
        self._masks[filters] = mask
        return mask

    def dense_hits(self, vector: list[float], top_k: int, mask: Any) -> list[tuple[str, float]]:
        """Exact cosine search among the rows a filter accepts; scores as llama-index's Chroma store gives
        them (exp(-cosine distance)), so fusion weighs them the same."""
        import numpy as np

        rows = np.flatnonzero(mask)
        if not len(rows):
            return []
        sims = np.asarray(self.vectors[rows], dtype=np.float32) @ np.asarray(vector, dtype=np.float32)
        k = min(top_k, len(rows))
        best = np.argpartition(-sims, k - 1)[:k]
        best = best[np.argsort(-sims[best], kind="stable")]
        return [(self.ids[int(rows[i])], float(np.exp(sims[i] - 1.0))) for i in best]

    def retriever(self, top_k: int, filters: Filters) -> Any:
        """A llama-index retriever over this index (hits carry the chunk id), or None if the filter excludes all."""
        from llama_index.core.retrievers import BaseRetriever
        from llama_index.core.schema import NodeWithScore, TextNode

        import bm25s

        mask = self.mask(filters) if filters else None
        if mask is not None and not mask.any():
            return None
        lexical, k = self, min(top_k, len(self.ids))

        class BM25(BaseRetriever):
            def _retrieve(self, query_bundle: Any) -> list[Any]:
                tokens = bm25s.tokenize(
                    query_bundle.query_str, stemmer=lexical._stemmer(), token_pattern=lexical.TOKEN_PATTERN, show_progress=False
                )
                rows, scores = lexical.bm25.retrieve(
                    tokens, k=k, show_progress=False, weight_mask=mask.astype(float) if mask is not None else None
                )
                return [
                    NodeWithScore(node=TextNode(id_=lexical.ids[int(r)], text=lexical.ids[int(r)]), score=float(sc))
                    for r, sc in zip(rows[0], scores[0])
                ]

        return BM25()


class HybridRetriever:
    """Owns the BM25 index (rebuilt from the store when the store changes, persisted in data_dir) and
    the dense retriever."""

    def __init__(self, store: Store, embedder: LocalEmbedding, dense_weight: float) -> None:
        self.store, self.embedder, self.dense_weight = store, embedder, dense_weight
        self._lock = threading.Lock()
        self._lexical: Lexical | None = None
        self._aliases: dict[str, list[str]] = {}
        self._signature = ""

    def invalidate(self) -> None:
        with self._lock:
            self._signature = ""

    def _refresh(self) -> None:
        signature = self.store.signature()
        if signature == self._signature:
            return
        logging.getLogger("bm25s").setLevel(logging.WARNING)
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

    def retrieve(self, question: str, top_k: int, filters: Filters) -> list[Chunk]:
        """Fused ranking; when the question names outlets (and dates) of the corpus, also one ranking per
        named outlet, interleaved, so each source the question asks about is represented."""
        with self._lock:
            self._refresh()  # once per question: the store's signature costs a count
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
        # index's columns first (chunks stored since the index was built are read and checked directly).
        mask = lexical.mask(filters) if filters else None
        wanted: list[tuple[str, float]] = []
        for result in results:
            row = lexical.row.get(result.node.node_id)
            if row is not None and mask is not None and not mask[row]:
                continue
            wanted.append((result.node.node_id, float(result.score or 0.0)))
            if len(wanted) >= top_k * 2:
                break
        records = self.store.get_chunks([cid for cid, _ in wanted])
        ranked = [
            records[cid].model_copy(update={"score": score}) for cid, score in wanted if cid in records and filters.accepts(records[cid])
        ]
        return ranked[:top_k]
