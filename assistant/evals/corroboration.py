"""The corroboration suite: "reported by N outlets" counts and conflict flags against hand-labelled claims.

Gold (`gold/corroboration_tune.jsonl`; `corroboration_heldout.jsonl` and `corroboration_fresh.jsonl` only by
name, once, at the end): a claim anchored at a span of one MultiHop-RAG article, the independent outlets
that report it (sections of a publisher are one outlet), and the figures that conflict. The gold was drawn
without the held-out attribution articles (`attribution_c.meta.json`), so those are never counted here.

Scores: count precision (of the claims shown as "reported by N ≥ 2 outlets", the share whose outlets are
exactly the gold's), count accuracy (every claim, N = 1 included), conflict precision and recall.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.answer.corroborate import Corroborator, publisher
from assistant.core import Assistant
from assistant.evals.data import gold_dir, multihop_dir, multihop_missing
from assistant.retrieval.filters import Filters

GOLD_FILES = {
    "tune": "corroboration_tune.jsonl",
    "heldout": "corroboration_heldout.jsonl",
    "fresh": "corroboration_fresh.jsonl",  # written after both halves had been read; new claims, mostly new stories
}


def gold_cases(half: str = "tune") -> list[dict[str, Any]]:
    text = (gold_dir() / GOLD_FILES[half]).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def excluded_urls() -> frozenset[str]:
    meta = json.loads((gold_dir() / "attribution_c.meta.json").read_text("utf-8"))
    return frozenset(meta["articles"])


def corpus_for(bot: Assistant, cases: list[dict[str, Any]], data: Path | None, full: bool) -> str | None:
    """Ingest the corpus (all of it, or the gold's articles plus 40 random distractors); a note, or None."""
    folder = multihop_dir(data)
    corpus = folder / "corpus.jsonl"
    if full:
        bot.ingest([corpus])
        return None
    urls = {r["url"] for case in cases for r in case["reports"]} | {case["anchor"]["url"] for case in cases}
    records = [json.loads(x) for x in corpus.read_text("utf-8").splitlines() if x.strip()]
    others = [r for r in records if r["url"] not in urls and r["url"] not in excluded_urls()]
    keep = [r for r in records if r["url"] in urls] + random.Random(5).sample(others, 40)
    subset = bot.settings.data_dir / "corroboration-subset.jsonl"
    subset.parent.mkdir(parents=True, exist_ok=True)
    subset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in keep), encoding="utf-8")
    bot.ingest([subset])
    return f"subset corpus: {len(keep)} of {len(records)} articles (gold reports + 40 distractors)"


def score_case(case: dict[str, Any], found: Any) -> dict[str, Any]:
    """One claim: the outlets counted and the conflicts flagged, against the gold."""
    gold = list(dict.fromkeys(publisher(o) for o in case["independent_outlets"]))
    predicted = found.independent
    flagged = bool(found.conflicts)
    return {
        "kind": case["kind"],
        "gold_outlets": gold,
        "outlets": predicted,
        "shown": len(predicted) >= 2,
        "count_correct": set(predicted) == set(gold),
        "conflict_flagged": flagged,
        "conflict_gold": bool(case["conflicts"]),
        "conflicts": [[q, [(v.text, v.match.article.outlet) for v in vs]] for q, vs in found.conflicts],
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    shown = [r for r in rows if r["shown"]]
    flagged = [r for r in rows if r["conflict_flagged"]]
    gold_conflicts = [r for r in rows if r["conflict_gold"]]
    ratio = lambda good, pool: sum(good) / len(pool) if pool else None  # noqa: E731
    return {
        "cases": len(rows),
        "count_precision": ratio([r["count_correct"] for r in shown], shown),
        "counts_shown": len(shown),
        "count_accuracy": ratio([r["count_correct"] for r in rows], rows),
        "conflict_precision": ratio([r["conflict_gold"] for r in flagged], flagged),
        "conflicts_flagged": len(flagged),
        "conflict_recall": ratio([r["conflict_flagged"] for r in gold_conflicts], gold_conflicts),
        "gold_conflicts": len(gold_conflicts),
    }


def run_corroboration(
    bot: Assistant,
    limit: int | None,
    progress: Callable[[str], None],
    data: Path | None = None,
    half: str = "tune",
    full: bool = True,
) -> dict[str, Any]:
    """Score the gold claims of one half; returns {"summary": …, "rows": […], "notes": […]}."""
    folder = multihop_dir(data)
    if multihop_missing(folder):
        return {"summary": {}, "rows": [], "notes": [f"skipped: {multihop_missing(folder)}"]}
    cases = gold_cases(half)[: limit or None]
    notes = [n for n in [corpus_for(bot, cases, data, full)] if n]
    by_url = {a.url: a for a in bot.store.iter_articles() if a.url}
    checker = Corroborator(
        lambda text, k: bot.retriever.retrieve(text, k, Filters()),
        bot.store.get_articles,
        bot.sentence_vectors.similarity,
        excluded_urls(),
    )
    rows = []
    for case in cases:
        anchor = by_url.get(case["anchor"]["url"])
        if anchor is None:
            notes.append(f"{case['id']}: anchor article not stored")
            continue
        started = time.perf_counter()
        found = checker.check(anchor, case["anchor"]["start"], case["anchor"]["end"])
        row = {"id": case["id"], **score_case(case, found), "latency_ms": (time.perf_counter() - started) * 1000}
        rows.append(row)
        progress(case["id"])
    return {"summary": summarise(rows), "rows": rows, "notes": notes}
