"""Scoring the quote extractor against hand-labelled spans (seed gold and the MultiHop-RAG gold set).

Span matching is one-to-one and greedy by overlap: `exact` needs identical offsets, `overlap` needs the
shared characters to cover at least 30 % of the longer span. Speaker, role and via are scored on the
overlap-matched pairs, so a speaker error is not double-counted as a span error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.evals.metrics import span_overlap
from assistant.lexicon import fold
from assistant.models import Quote

OVERLAP = 0.30


def label_key(value: str | None) -> str:
    """A speaker or role label compared loosely (case, apostrophes, edge punctuation, a leading article)."""
    return re.sub(r"^(?:the|a|an)\s+", "", fold(value).strip(" .,")) if value else ""


def same_role(gold: str | None, got: str | None) -> bool:
    g, p = label_key(gold), label_key(got)
    return g == p or bool(g and p and (g in p or p in g))


def same_via(gold: str | None, got: str | None) -> bool:
    g, p = label_key(gold), label_key(got)
    return g == p or bool(g and p and (g in p or p in g))


@dataclass
class AttributionScore:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_ok: int = 0
    role_ok: int = 0
    via_ok: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def table(self) -> dict[str, float]:
        def prf(tp: int) -> tuple[float, float, float]:
            p = tp / self.predicted if self.predicted else 0.0
            r = tp / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        ep, er, ef = prf(self.exact)
        op, orr, of = prf(self.overlap)
        n = self.overlap or 1
        return {
            "gold_quotes": self.gold,
            "predicted_quotes": self.predicted,
            "overlap_matches": self.overlap,  # the n of speaker, role and via accuracy
            "exact_precision": ep,
            "exact_recall": er,
            "exact_f1": ef,
            "overlap_precision": op,
            "overlap_recall": orr,
            "overlap_f1": of,
            "speaker_accuracy": self.speaker_ok / n,
            "role_accuracy": self.role_ok / n,
            "via_accuracy": self.via_ok / n,
        }


def miss_cause(kind: str, gold: dict[str, Any] | None, got: Quote | None, unattributed: bool = False) -> str:
    """The confusion-list group of one miss: what kind of quote, and what went wrong.

    missed: gold quote with no predicted span (`unattributed`: a span was found but no speaker), by the gold
    kind (direct, partial, broken, multi_sentence, indirect); wrong speaker: by how the gold speaker is referred
    to (pronoun, organisation, surname — the gold tags); spurious: by the predicted kind."""
    if kind == "spurious":
        return f"spurious {got.kind if got else 'quote'}"
    gold_kind = (gold or {}).get("kind", "direct")
    if kind == "missed":
        return f"missed {gold_kind}" + (": span found, no speaker" if unattributed else "")
    tags = set((gold or {}).get("tags", []))
    how = next(
        (
            t.replace("_speaker", "")
            for t in ("pronoun_speaker", "organisation_speaker", "surname_speaker")
            if t in tags
        ),
        "named",
    )
    return f"wrong speaker ({how} reference, {gold_kind})"


def confusion(misses: list[dict[str, Any]]) -> dict[str, int]:
    """Misses grouped by cause, largest group first."""
    counts: dict[str, int] = {}
    for miss in misses:
        counts[miss["cause"]] = counts.get(miss["cause"], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _pairs(gold: list[dict[str, Any]], preds: list[Quote]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) matches, greedy by overlap, each covering ≥ OVERLAP."""
    ranked = sorted(
        (
            (span_overlap((g["start"], g["end"]), (p.start, p.end)), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(preds)
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for ov, gi, pi in ranked:
        if ov >= OVERLAP and gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _miss(article: str, kind: str, cause: str, quote: str, gold: str | None, got: str | None) -> dict[str, Any]:
    return {"article": article, "kind": kind, "cause": cause, "quote": quote[:80], "gold": gold, "got": got}


def score_article(
    result: AttributionScore, gold: list[dict[str, Any]], predicted: Iterable[Quote], article: str = ""
) -> None:
    """Add one article's gold and predicted quotes to `result` (gold rows need start, end, speaker, role, via)."""
    predicted = list(predicted)
    preds = [q for q in predicted if q.speaker]
    result.gold += len(gold)
    result.predicted += len(preds)
    pairs = _pairs(gold, preds)
    for gi, pi in pairs:
        g, p = gold[gi], preds[pi]
        result.overlap += 1
        result.exact += (g["start"], g["end"]) == (p.start, p.end)
        speaker_ok = label_key(g.get("speaker")) == label_key(p.speaker)
        result.speaker_ok += speaker_ok
        result.role_ok += same_role(g.get("speaker_role"), p.speaker_role)
        result.via_ok += same_via(g.get("via"), p.via)
        if not speaker_ok:
            cause = miss_cause("wrong speaker", g, p)
            result.misses.append(_miss(article, "wrong speaker", cause, g["quote"], g.get("speaker"), p.speaker))
    matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            found = any(
                span_overlap((g["start"], g["end"]), (q.start, q.end)) >= OVERLAP for q in predicted if not q.speaker
            )
            cause = miss_cause("missed", g, None, found)
            result.misses.append(_miss(article, "missed", cause, g["quote"], g.get("speaker"), None))
    for pi, p in enumerate(preds):
        if pi not in matched_p:
            result.misses.append(_miss(article, "spurious", miss_cause("spurious", None, p), p.text, None, p.speaker))
