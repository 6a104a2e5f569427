"""Metrics on any engine's answers, plus retrieval and attribution scores.

Answer metrics need only the Answer, the stored article texts and the case's gold: they do not trust the
engine. A metric that does not apply to a case is None and is left out of its average.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.answer.verify import split_statements
from assistant.evals.cases import Case
from assistant.lexicon import fold
from assistant.models import Answer, Article, Chunk


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def evidence_spans(evidence: Sequence[str], articles: dict[str, Article]) -> list[tuple[str, int, int]]:
    """Locate gold evidence strings in the stored articles: (article_id, start, end)."""
    spans = []
    for text in evidence:
        for article in articles.values():
            index = article.text.find(text)
            if index >= 0:
                spans.append((article.id, index, index + len(text)))
                break
    return spans


def declined(answer: Answer) -> bool:
    """A refusal, or a question across reports left undecided (its evidence shown, no verdict): both count as
    refusals in every metric, as issue 15 asks."""
    return answer.refused or answer.undecided is not None


def answer_metrics(case: Case, answer: Answer, articles: dict[str, Article], retrieved: set[str]) -> dict[str, Any]:
    """Hard guarantees and quality of one answer, independent of the engine that wrote it."""
    m: dict[str, Any] = {"refused": declined(answer), "should_refuse": case.should_refuse}
    m["refusal_correct"] = declined(answer) == case.should_refuse
    cites = list(answer.citations)
    verbatim = [c.article_id in articles and articles[c.article_id].text[c.start : c.end] == c.quote for c in cites]
    statements = [] if answer.refused else split_statements(answer.answer)
    ids = {c.id for c in cites}
    cited = [bool(markers) and set(markers) <= ids for _, markers in statements]
    m["nonverbatim"] = verbatim.count(False)
    m["verbatim_rate"] = sum(verbatim) / len(verbatim) if verbatim else None
    m["uncited_sentences"] = cited.count(False)
    m["cited_sentence_rate"] = sum(cited) / len(cited) if cited else None
    m["unretrieved_citations"] = sum(c.article_id not in retrieved for c in cites)
    m["dropped_sentences"] = len(answer.dropped_sentences)
    gold = evidence_spans(case.evidence, articles)
    if gold and cites and not answer.refused:
        overlaps = lambda c, g: c.article_id == g[0] and c.start < g[2] and c.end > g[1]  # noqa: E731
        m["citation_precision"] = sum(any(overlaps(c, g) for g in gold) for c in cites) / len(cites)
        m["citation_recall"] = sum(any(overlaps(c, g) for c in cites) for g in gold) / len(gold)
    else:
        m["citation_precision"] = m["citation_recall"] = None
    if case.expected_speakers and not answer.refused:
        said = {fold(c.speaker) for c in cites if c.speaker}
        m["speaker_accuracy"] = sum(fold(s) in said for s in case.expected_speakers) / len(case.expected_speakers)
    else:
        m["speaker_accuracy"] = None
    m["wrong_speaker_citations"] = wrong_speakers(answer, articles)
    outlets = [c.outlet == articles[c.article_id].outlet for c in cites if c.article_id in articles]
    m["outlet_correct"] = sum(outlets) / len(outlets) if outlets else None
    if case.expected_outlets and not answer.refused:
        seen = {fold(c.outlet) for c in cites if c.outlet}
        m["expected_outlets_cited"] = sum(fold(o) in seen for o in case.expected_outlets) / len(case.expected_outlets)
    m["answer_correct"] = _answer_correct(case, answer)
    m["always_yes_correct"] = always_yes_correct(case)
    return m


def always_yes_correct(case: Case) -> bool | None:
    """Would the answer "Yes" be right? The baseline a Yes/No verdict must beat (None when the gold is not
    a verdict question: no expected fact, or a refusal)."""
    if case.should_refuse or not case.expected_facts:
        return None
    return fold(case.expected_facts[0]) == "yes"


def wrong_speakers(answer: Answer, articles: dict[str, Article]) -> int:
    """Citations whose speaker is not the attributed speaker of a quote inside the cited span."""
    wrong = 0
    for c in answer.citations:
        if not c.speaker or c.article_id not in articles:
            continue
        owners = {q.speaker for q in articles[c.article_id].quotes if q.start < c.end and q.end > c.start}
        wrong += c.speaker not in owners
    return wrong


def _answer_correct(case: Case, answer: Answer) -> bool | None:
    if case.should_refuse:
        return declined(answer)
    if declined(answer):
        return False
    if case.expected_facts:
        verdicts = [f for f in case.expected_facts if fold(f) in {"yes", "no"}]
        if verdicts:  # a Yes/No gold answer: the answer must open with that verdict ("not"/"know" do not count)
            return fold(answer.answer).startswith(fold(verdicts[0]))
        folded = fold(answer.answer + " " + " ".join(c.quote for c in answer.citations))
        return all(fold(f) in folded for f in case.expected_facts)
    if case.evidence:
        return any(
            fold(e) in fold(c.quote) or fold(c.quote) in fold(e) for e in case.evidence for c in answer.citations
        )
    return None


def retrieval_metrics(facts: Sequence[str], chunks: Sequence[Chunk]) -> dict[str, float]:
    """MultiHop-RAG scoring: a fact is found when a retrieved chunk contains its text.

    Hits@k: share of the query's facts found in the top k. MRR@10: 1/rank of the first chunk holding any
    fact. MAP@10: average precision over the top 10, normalised by min(#facts, 10).
    """
    folded = [fold(c.text) for c in chunks[:10]]
    wanted = [fold(f) for f in facts]
    holds = [[f in text for f in wanted] for text in folded]
    found_at = [next((r for r, row in enumerate(holds) if row[i]), None) for i in range(len(wanted))]
    out = {f"hits@{k}": sum(r is not None and r < k for r in found_at) / len(wanted) for k in (4, 10)}
    relevant = [any(row) for row in holds]
    first = next((r for r, rel in enumerate(relevant) if rel), None)
    out["mrr@10"] = 1 / (first + 1) if first is not None else 0.0
    hits, precision_sum = 0, 0.0
    for rank, rel in enumerate(relevant, 1):
        if rel:
            hits += 1
            precision_sum += hits / rank
    out["map@10"] = precision_sum / min(len(wanted), 10)
    return out


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Averages, refusal precision/recall, latency percentiles and hard-guarantee counts."""
    metrics = [r["metrics"] for r in rows]
    out: dict[str, Any] = {"cases": len(rows)}
    keys = sorted({k for m in metrics for k, v in m.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    for key in keys:
        if key in {
            "nonverbatim",
            "uncited_sentences",
            "unretrieved_citations",
            "wrong_speaker_citations",
            "dropped_sentences",
        }:
            out[key] = sum(m.get(key) or 0 for m in metrics)
        else:
            out[key] = _mean(m.get(key) for m in metrics)
    out["answer_accuracy"] = _mean(
        None if m.get("answer_correct") is None else float(m["answer_correct"]) for m in metrics
    )
    tp = sum(m["refused"] and m["should_refuse"] for m in metrics)
    fp = sum(m["refused"] and not m["should_refuse"] for m in metrics)
    fn = sum(not m["refused"] and m["should_refuse"] for m in metrics)
    out["refusal_precision"] = tp / (tp + fp) if tp + fp else None
    out["refusal_recall"] = tp / (tp + fn) if tp + fn else None
    latencies = sorted(r["latency_ms"] for r in rows if r.get("latency_ms") is not None)
    if latencies:
        out["latency_p50_ms"] = statistics.median(latencies)
        out["latency_p95_ms"] = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    return out


def span_overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap length over the longer span (0..1)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / max(a[1] - a[0], b[1] - b[0], 1)
