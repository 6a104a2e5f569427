"""The persisted lexical side of retrieval: a bm25s index over every chunk's index text, with per-chunk
columns that turn filters into numpy masks and the chunk vectors for exact dense search inside a filter.
Saved under DATA_DIR/bm25/<store signature>/ and memory-mapped by other processes (see HybridRetriever)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.retrieval.filters import Filters, same_speaker
from assistant.retrieval.store import Store, index_text
from assistant.text.dates import date_int


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
        self,
        bm25: Any,
        ids: list[str],
        outlet_codes: Any,
        outlets: list[str],
        published: Any,
        speakers: dict[int, tuple[str, ...]],
        vectors: Any,
    ) -> None:
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
    def build(cls, store: Store) -> Lexical | None:
        import numpy as np

        bm25s = _bm25s()

        ids: list[str] = []
        texts: list[str] = []
        codes: list[int] = []
        dates: list[int] = []
        speakers: dict[int, tuple[str, ...]] = {}
        outlet_code: dict[str, int] = {}
        pages = []
        stored = store.article_ids()  # chunks of an unfinished (or killed) ingest are never retrievable
        for page, vectors in store.iter_chunk_pages():
            keep = [i for i, chunk in enumerate(page) if chunk.article_id in stored]
            pages.append(vectors[keep] if len(keep) < len(page) else vectors)
            for chunk in (page[i] for i in keep):
                row = len(ids)
                ids.append(chunk.id)
                texts.append(index_text(chunk))
                codes.append(outlet_code.setdefault(chunk.outlet, len(outlet_code)) if chunk.outlet else -1)
                dates.append(date_int(chunk.published) or 0)
                if chunk.speakers:
                    speakers[row] = chunk.speakers
        if not ids:
            return None
        matrix = np.concatenate(pages)
        del pages
        tokens = bm25s.tokenize(
            texts, stopwords="en", stemmer=cls._stemmer(), token_pattern=cls.TOKEN_PATTERN, show_progress=False
        )
        del texts
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(
            bm25,
            ids,
            np.array(codes, dtype=np.int32),
            list(outlet_code),
            np.array(dates, dtype=np.int32),
            speakers,
            matrix,
        )

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
    def load(cls, folder: Path) -> Lexical | None:
        import json

        import numpy as np

        bm25s = _bm25s()

        if not all((folder / f).exists() for f in cls.FILES):
            return None
        bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        columns = np.load(folder / "columns.npz")
        extra = json.loads((folder / "extra.json").read_text("utf-8"))
        speakers = {int(r): tuple(s) for r, s in extra["speakers"]}
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        return cls(
            bm25, columns["ids"].tolist(), columns["outlet"], extra["outlets"], columns["published"], speakers, vectors
        )

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
            mask &= self.published >= date_int(filters.since)
        if filters.until:
            mask &= self.published <= date_int(filters.until)
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
        import bm25s
        from llama_index.core.retrievers import BaseRetriever
        from llama_index.core.schema import NodeWithScore, TextNode

        mask = self.mask(filters) if filters else None
        if mask is not None and not mask.any():
            return None
        lexical, k = self, min(top_k, len(self.ids))

        class BM25(BaseRetriever):
            def _retrieve(self, query_bundle: Any) -> list[Any]:
                tokens = bm25s.tokenize(
                    query_bundle.query_str,
                    stemmer=lexical._stemmer(),
                    token_pattern=lexical.TOKEN_PATTERN,
                    show_progress=False,
                )
                rows, scores = lexical.bm25.retrieve(
                    tokens, k=k, show_progress=False, weight_mask=mask.astype(float) if mask is not None else None
                )
                return [
                    NodeWithScore(node=TextNode(id_=lexical.ids[int(r)], text=lexical.ids[int(r)]), score=float(sc))
                    for r, sc in zip(rows[0], scores[0])
                ]

        return BM25()


def _bm25s() -> Any:
    """bm25s, imported when first needed; it sets its own logger to DEBUG on import, which would print
    'Building index …' to every CLI user: quieted here."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s
