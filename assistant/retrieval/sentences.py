"""Sentence vectors for evidence scoring: the same evidence sentences come back question after question, so
each is embedded once per process (LRU) — and, for stored articles, once at ingest (see `Store`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

CACHE_SIZE = 50_000  # ~75 MB of 384-d float32 vectors
Lookup = Callable[[list[str]], dict[str, np.ndarray]]


class SentenceVectors:
    """text → unit vector. Known texts come from the cache, then from `lookup` (vectors stored at ingest),
    and only the rest is embedded."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]], lookup: Lookup | None = None) -> None:
        self._embed, self._lookup = embed, lookup
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.embedded = 0  # texts embedded at question time (for tests and benchmarks)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing and self._lookup is not None:
            known.update(self._lookup(missing))
            missing = [t for t in missing if t not in known]
        if missing:
            self.embedded += len(missing)
            known.update({t: np.asarray(v, dtype=np.float32) for t, v in zip(missing, self._embed(missing))})
        with self._lock:  # another thread may have evicted entries meanwhile: write back what this call holds
            for text in texts:
                self._cache[text] = known[text]
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def similarity(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text to the query (vectors are unit length)."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        return self(list(texts)) @ self([query])[0]
