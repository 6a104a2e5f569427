"""The eval suites: seed, multihop, attribution, and a `quick` subset of each for CI.

Gold data ships in the package (`assistant/evals/gold/`); MultiHop-RAG is read from `../shared/data/multihop-rag/`
(never copied) and its suite is skipped with a clear note when that folder is absent.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.attribution.quotes import extract_quotes
from assistant.core import Assistant
from assistant.evals.attribution import AttributionScore, confusion, score_article
from assistant.evals.cases import Case, from_seed_question, load_cases
from assistant.evals.data import gold_dir, multihop_dir, multihop_missing, seed_article
from assistant.evals.judge import Judge
from assistant.evals.metrics import answer_metrics, declined, retrieval_metrics
from assistant.ingest.loaders import load_file

GOLD = gold_dir()
TUNED_ATTRIBUTION_SETS = ("a", "b")
CORPUS = seed_article()
MULTIHOP_HALVES = ("tune", "heldout")


@dataclass
class SuiteResult:
    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)


def run_case(bot: Assistant, case: Case, suite: str, judge: Judge | None = None) -> dict[str, Any]:
    """Ask (as a conversation when the case has turns) and score the final answer (and judge it, if asked)."""
    start = time.perf_counter()
    if case.turns:
        conv = bot.conversation()
        for turn in case.turns[:-1]:
            conv.ask(turn, **case.filters)
        answer = conv.ask(case.turns[-1], **case.filters)
    else:
        answer = bot.ask(case.question, **case.filters)
    latency = (time.perf_counter() - start) * 1000
    articles = bot.store.get_articles([c.article_id for c in answer.citations] + list(answer.retrieved))
    metrics = answer_metrics(case, answer, articles, set(answer.retrieved))
    if judge is not None:
        metrics["faithfulness"] = judge.faithfulness(answer)
    return {
        "suite": suite,
        "id": case.id,
        "type": case.type,
        "question": case.final_question,
        "standalone": answer.standalone_question,
        "answer": answer.answer,
        "refused": declined(answer),
        "citations": [c.model_dump(mode="json") for c in answer.citations],
        "latency_ms": round(latency, 1),
        "metrics": metrics,
    }


def seed_cases(limit: int | None = None) -> list[Case]:
    rows = [json.loads(x) for x in (GOLD / "seed_questions.jsonl").read_text("utf-8").splitlines() if x.strip()]
    cases = [from_seed_question(r) for r in rows] + load_cases(GOLD / "seed_cases.jsonl")
    return _sample(cases, limit)


def _sample(cases: list[Case], limit: int | None) -> list[Case]:
    """A stratified, seeded sample: every question type keeps its share."""
    if not limit or limit >= len(cases):
        return cases
    by_type: dict[str, list[Case]] = {}
    for case in cases:
        by_type.setdefault(case.type, []).append(case)
    rng, picked = random.Random(13), []
    for group in by_type.values():
        picked += rng.sample(group, max(1, round(limit * len(group) / len(cases))))
    return picked[:limit]


def run_seed(
    bot: Assistant, limit: int | None, progress: Callable[[str], None], judge: Judge | None = None
) -> SuiteResult:
    bot.ingest([CORPUS])
    result = SuiteResult("seed")
    for case in seed_cases(limit):
        result.rows.append(run_case(bot, case, "seed", judge))
        progress(case.id)
    return result


def multihop_half(query: str) -> str:
    """The fixed split of the dev queries: "tune" (calibrate on these) or "heldout" (score once, at the end)."""
    return "tune" if int(hashlib.sha1(query.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "heldout"


def multihop_queries(limit: int | None, data: Path | None = None, half: str | None = None) -> list[dict[str, Any]]:
    """The dev queries (one half of them when `half` is "tune" or "heldout"), a stratified sample if `limit`."""
    text = (multihop_dir(data) / "queries-dev.jsonl").read_text("utf-8")
    rows = [json.loads(x) for x in text.splitlines() if x.strip()]
    if half is not None:
        if half not in MULTIHOP_HALVES:
            raise ValueError(f"half={half!r}: use one of {MULTIHOP_HALVES}")
        rows = [r for r in rows if multihop_half(r["query"]) == half]
    if not limit or limit >= len(rows):
        return rows
    by_type: dict[str, list[dict]] = {}
    for row in rows:
        by_type.setdefault(row["question_type"], []).append(row)
    rng, picked = random.Random(7), []
    for group in by_type.values():
        picked += rng.sample(group, max(1, round(limit * len(group) / len(rows))))
    return picked[:limit]


def run_multihop(
    bot: Assistant,
    limit: int | None,
    progress: Callable[[str], None],
    full_corpus: bool,
    judge: Judge | None = None,
    data: Path | None = None,
    half: str | None = None,
) -> SuiteResult:
    """Retrieval (Hits@4/10, MRR@10, MAP@10 over evidence facts) and answers, as in Tang & Yang (2024)."""
    result = SuiteResult("multihop")
    folder = multihop_dir(data)
    missing = multihop_missing(folder)
    if missing:
        result.notes.append(f"skipped: {missing}")
        return result
    queries = multihop_queries(limit, folder, half)
    if half:
        result.notes.append(f"half: {half} ({len(queries)} queries)")
    corpus = folder / "corpus.jsonl"
    if full_corpus:
        bot.ingest([corpus])
    else:  # the queries' evidence articles plus random distractors, so CI stays fast but retrieval is not trivial
        urls = {e["url"] for q in queries for e in q["evidence_list"]}
        records = [json.loads(x) for x in corpus.read_text("utf-8").splitlines() if x.strip()]
        rng = random.Random(3)
        keep = [r for r in records if r["url"] in urls] + rng.sample([r for r in records if r["url"] not in urls], 40)
        subset = bot.settings.data_dir / "multihop-subset.jsonl"
        subset.parent.mkdir(parents=True, exist_ok=True)
        subset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in keep), encoding="utf-8")
        bot.ingest([subset])
        result.notes.append(f"subset corpus: {len(keep)} of {len(records)} articles (evidence + 40 distractors)")
    for query in queries:
        facts = [e["fact"] for e in query["evidence_list"]]
        case = Case(
            id="mh-" + hashlib.sha1(query["query"].encode("utf-8")).hexdigest()[:10],  # stable across runs (--compare)
            question=query["query"],
            type=query["question_type"],
            should_refuse=query["question_type"] == "null_query",
            expected_facts=() if query["question_type"] == "null_query" else (query["answer"].rstrip("."),),
            expected_outlets=tuple(dict.fromkeys(e["source"] for e in query["evidence_list"])),
        )
        row = run_case(bot, case, "multihop", judge)
        if facts:
            chunks = bot.retrieve(query["query"], top_k=10)
            row["metrics"].update(retrieval_metrics(facts, chunks))
        row["gold_answer"] = query["answer"]
        result.rows.append(row)
        progress(case.id)
    return result


def attribution_gold(sets: tuple[str, ...] = TUNED_ATTRIBUTION_SETS) -> dict[str, list[dict[str, Any]]]:
    """Gold quotes per article key: the seed file path, or a MultiHop-RAG url. Held-out set C is scored only
    when asked for by name (`assistant eval attribution-heldout`)."""
    gold: dict[str, list[dict[str, Any]]] = {}
    seed = json.loads((GOLD / "seed_quotes.json").read_text("utf-8"))
    gold[str(GOLD / seed["article"])] = [q for q in seed["quotes"] if q["speaker"]]
    for path in [GOLD / f"attribution_{name}.jsonl" for name in sets]:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("speaker"):
                    gold.setdefault(row["url"], []).append(row | {"gold_file": path.stem})
    return gold


def run_attribution(
    limit: int | None,
    progress: Callable[[str], None],
    data: Path | None = None,
    sets: tuple[str, ...] = TUNED_ATTRIBUTION_SETS,
) -> SuiteResult:
    result = SuiteResult("attribution")
    gold = attribution_gold(sets)
    texts: dict[str, str] = {}
    for key in gold:
        if not key.startswith("http"):
            texts[key] = load_file(Path(key), 10**8).articles[0].text
    if any(k.startswith("http") for k in gold):
        corpus = multihop_dir(data) / "corpus.jsonl"
        if corpus.exists():
            for line in corpus.read_text("utf-8").splitlines():
                record = json.loads(line)
                if record["url"] in gold:
                    texts[record["url"]] = record["body"]
        else:
            result.notes.append("MultiHop-RAG corpus absent: only the seed gold is scored")
    keys = [k for k in gold if k in texts][: limit or None]
    scores: dict[str, AttributionScore] = {"all": AttributionScore()}
    for key in keys:
        started = time.perf_counter()
        predicted = extract_quotes(texts[key], key)
        label = "seed" if not key.startswith("http") else gold[key][0]["gold_file"]  # one column per gold file
        before = len(scores["all"].misses)
        for bucket in ("all", label):
            score_article(scores.setdefault(bucket, AttributionScore()), gold[key], predicted, key)
        for miss in scores["all"].misses[before:]:
            miss["set"] = label
        progress(key)
        result.rows.append(
            {
                "suite": "attribution",
                "id": key,
                "type": label,
                "latency_ms": (time.perf_counter() - started) * 1000,
                "metrics": {},
            }
        )
    result.tables = {name: s.table() for name, s in scores.items()}
    result.tables["misses"] = scores["all"].misses
    result.tables["confusion"] = {name: confusion(s.misses) for name, s in scores.items() if name != "all"}
    return result


def run_identity_suite(half: str, progress: Callable[[str], None], data: Path | None = None) -> SuiteResult:
    """Cross-article speaker identity on one half of evals/gold/identity_*.jsonl (`tune`, or `heldout` by
    name only): pairwise precision (the target: no wrong merge) and recall over mentions of different articles."""
    from assistant.evals.identity import run_identity

    result = SuiteResult("identity")
    corpus = multihop_dir(data) / "corpus.jsonl"
    if not corpus.exists():
        result.notes.append("MultiHop-RAG corpus absent: identity not scored")
        return result
    table, wrong = run_identity(GOLD / f"identity_{half}.jsonl", corpus, progress)
    result.tables = {f"identity_{half}": table, "wrong_merges": wrong}
    return result
