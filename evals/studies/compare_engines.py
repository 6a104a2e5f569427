"""Engines side by side on the eval suites: extractive vs the local LLM engine vs the same model through a
stock llama-index CitationQueryEngine (the peer), on the seed suite and MultiHop-RAG dev queries.

    python -m evals.studies.compare_engines --model ~/.cache/news-assistant/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
        --engines extractive,llm,peer --seed-limit 30 --multihop-limit 40 --report test-artifacts/compare

Per engine and suite: answer accuracy per question type (MultiHop Yes/No answers scored strictly: the
answer must *open* with the gold verdict — the suite's substring check counts any "no" inside "not"),
null-query refusal, citation verbatim rate, dropped / uncited sentences, wrong-speaker rate, latency
p50/p95 to the first verified statement and to the full answer. The peer is scored twice: its raw output
(what the stock engine would show) and the same output after our `cite` stage (`peer+cite`).
MultiHop runs on the suite's stratified sample (`--multihop-limit`, seed 7), because the local model needs
~10–60 s a question on this machine, over the evidence articles plus 40 distractors or, with
`--multihop-collection`, over the whole 609-article corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Answer, Assistant, Settings
from assistant.answer.verify import SpanContext, Verifier, repair_quotes, speakers_ok, split_statements
from assistant.evals.cases import Case
from assistant.evals.data import multihop_dir
from assistant.evals.metrics import answer_metrics
from assistant.evals.suites import CORPUS, multihop_queries, seed_cases
from assistant.lexicon import fold
from assistant.models import Evidence

MULTIHOP = multihop_dir()


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def strict_correct(case: Case, gold: str | None, answer: Answer) -> bool | None:
    if case.should_refuse:
        return answer.refused
    if answer.refused:
        return False
    if gold in {"Yes", "No"}:
        return bool(re.match(rf"^\W*{gold}\b", answer.answer, re.I))
    return (
        None if gold is None else fold(gold) in fold(answer.answer + " " + " ".join(c.quote for c in answer.citations))
    )


# -- the peer: stock CitationQueryEngine over the same Chroma collection and the same LLM ---------------
class Peer:
    def __init__(self, bot: Assistant, llm: Any, top_k: int = 3) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=bot.store.chunks), embed_model=bot.embedder
        )
        self.bot = bot
        self.engine = CitationQueryEngine.from_args(
            index, llm=llm, similarity_top_k=top_k, citation_chunk_size=256, streaming=True
        )

    def ask(self, question: str) -> tuple[Answer, Answer, float | None, dict[str, int]]:
        """(raw answer as the stock engine shows it, the same after our cite stage, ttft, raw counts)."""
        start = time.perf_counter()
        response = self.engine.query(question)
        text, first = "", None
        for token in response.response_gen:
            first = first or time.perf_counter() - start
            text += token
        evidence, articles = (
            [],
            self.bot.store.get_articles([n.node.metadata.get("article_id", "") for n in response.source_nodes]),
        )
        for n, node in enumerate(response.source_nodes, 1):
            body = re.sub(r"^Source \d+:\s*", "", node.node.get_content())
            article = articles.get(node.node.metadata.get("article_id", ""))
            at = article.text.find(body.strip()[:200]) if article else -1
            if article and at >= 0:
                evidence.append(
                    Evidence(n=n, article_id=article.id, start=at, end=min(len(article.text), at + len(body.strip())))
                )
        raw_cites = []
        for ev in evidence:
            a = articles[ev.article_id]
            raw_cites.append(
                {
                    "id": ev.n,
                    "article_id": a.id,
                    "outlet": a.outlet,
                    "title": a.title,
                    "published": a.published,
                    "url": a.url,
                    "quote": a.text[ev.start : ev.end],
                    "start": ev.start,
                    "end": ev.end,
                }
            )
        raw = Answer(
            question=question, answer=text.strip() or "(empty)", refused=not text.strip(), citations=tuple(raw_cites)
        )
        counts = raw_counts(text, evidence, articles)
        verifier = Verifier(question, evidence, articles, set(articles))
        for statement, numbers in split_statements(text):
            verifier.add(statement, numbers)
        return raw, verifier.answer(retrieved=tuple(articles)), first, counts


def raw_counts(text: str, evidence: list[Evidence], articles: dict) -> dict[str, int]:
    """What the stock engine lets through: quotes not verbatim in the cited source, sentences without a
    valid marker, quoted/paraphrased words attributed to someone the cited source does not quote."""
    by_n = {e.n: e for e in evidence}
    speakers = {q.speaker for a in articles.values() for q in a.quotes if q.speaker}
    out = {"raw_sentences": 0, "raw_uncited": 0, "raw_unverified_quotes": 0, "raw_wrong_speaker": 0}
    for statement, numbers in split_statements(text):
        out["raw_sentences"] += 1
        cited = [by_n[n] for n in numbers if n in by_n]
        if not cited:
            out["raw_uncited"] += 1
            continue
        spans = [(articles[e.article_id], e) for e in cited]
        if re.search(r"“[^”]+”|\"[^\"]+\"", statement) and repair_quotes(statement, spans) != statement:
            out["raw_unverified_quotes"] += 1
        if not speakers_ok(statement, spans, SpanContext.of(spans), speakers):
            out["raw_wrong_speaker"] += 1
    return out


# -- running an engine over cases ---------------------------------------------------------------------
def run_engine(
    name: str, bot: Assistant, cases: list[tuple[Case, str | None]], suite: str, peer: Peer | None
) -> list[dict[str, Any]]:
    rows = []
    for i, (case, gold) in enumerate(cases, 1):
        start = time.perf_counter()
        first, counts = None, {}
        if peer is not None:
            raw, verified, first, counts = peer.ask(case.final_question)
            answers = {f"{name}": raw, f"{name}+cite": verified}
        else:
            source = bot.conversation() if case.turns else bot
            if case.turns:
                for turn in case.turns[:-1]:
                    source.ask(turn, **case.filters)
            answer = None
            for item in source.ask_stream(case.final_question, **case.filters):
                if isinstance(item, Answer):
                    answer = item
                elif first is None:
                    first = time.perf_counter() - start
            answers = {name: answer}
        total = time.perf_counter() - start
        for label, answer in answers.items():
            articles = bot.store.get_articles([c.article_id for c in answer.citations] + list(answer.retrieved))
            m = answer_metrics(case, answer, articles, set(answer.retrieved) | {c.article_id for c in answer.citations})
            strict = strict_correct(case, gold, answer)
            m["strict_correct"] = m["answer_correct"] if strict is None else strict
            if label == name:
                m.update(counts)
            rows.append(
                {
                    "engine": label,
                    "suite": suite,
                    "id": case.id,
                    "type": case.type,
                    "question": case.final_question,
                    "gold": gold,
                    "answer": answer.answer,
                    "refused": answer.refused,
                    "ttft_s": first,
                    "total_s": total,
                    "dropped": list(answer.dropped_sentences),
                    "metrics": m,
                }
            )
        print(
            f"[{name} {suite} {i}/{len(cases)}] {total:.1f}s strict={rows[-1]['metrics']['strict_correct']} "
            f"{case.final_question[:70]!r}",
            flush=True,
        )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ms = [r["metrics"] for r in rows]
    mean = lambda k: (lambda v: sum(v) / len(v) if v else None)([float(m[k]) for m in ms if m.get(k) is not None])  # noqa: E731
    out: dict[str, Any] = {
        "cases": len(rows),
        "answer_accuracy(suite)": mean("answer_correct"),
        "answer_accuracy(strict)": mean("strict_correct"),
    }
    types = sorted({r["type"] for r in rows})
    for t in types:
        v = [
            float(r["metrics"]["strict_correct"])
            for r in rows
            if r["type"] == t and r["metrics"].get("strict_correct") is not None
        ]
        out[f"acc:{t}"] = sum(v) / len(v) if v else None
    nulls = [m["refused"] for m in ms if m["should_refuse"]]
    out["null_refusal"] = sum(nulls) / len(nulls) if nulls else None
    answerable = [m["refused"] for m in ms if not m["should_refuse"]]
    out["false_refusal"] = sum(answerable) / len(answerable) if answerable else None
    out["verbatim_rate"] = mean("verbatim_rate")
    out["uncited_sentences"] = sum(m.get("uncited_sentences") or 0 for m in ms)
    out["dropped_sentences"] = sum(m.get("dropped_sentences") or 0 for m in ms)
    out["wrong_speaker_citations"] = sum(m.get("wrong_speaker_citations") or 0 for m in ms)
    for k in ("raw_sentences", "raw_uncited", "raw_unverified_quotes", "raw_wrong_speaker"):
        if any(k in m for m in ms):
            out[k] = sum(m.get(k, 0) for m in ms)
    ttft = [r["ttft_s"] for r in rows if r["ttft_s"] is not None]
    total = [r["total_s"] for r in rows]
    out.update(
        {
            "ttft_p50_s": pct(ttft, 0.5),
            "ttft_p95_s": pct(ttft, 0.95),
            "total_p50_s": pct(total, 0.5),
            "total_p95_s": pct(total, 0.95),
        }
    )
    return out


def table(summaries: dict[str, dict[str, Any]]) -> str:
    names = list(summaries)
    keys = list(dict.fromkeys(k for s in summaries.values() for k in s))
    fmt = lambda v: "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))  # noqa: E731
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines += [f"| {k} | " + " | ".join(fmt(summaries[n].get(k)) for n in names) + " |" for k in keys]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="extractive,llm,peer")
    parser.add_argument(
        "--model",
        type=Path,
        default=Path("~/.cache/news-assistant/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").expanduser(),
    )
    parser.add_argument("--base-url", default=None, help="an OpenAI-compatible server instead of --model")
    parser.add_argument("--seed-limit", type=int, default=30)
    parser.add_argument("--multihop-limit", type=int, default=40)
    parser.add_argument(
        "--peer-limit", type=int, default=8, help="the peer runs on the first N cases of each suite (slow)"
    )
    parser.add_argument("--suites", default="seed,multihop")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/compare-engines"))
    parser.add_argument(
        "--multihop-collection",
        default=None,
        help="a collection in --data-dir that already holds the whole MultiHop-RAG corpus (e.g. the one "
        "`assistant eval multihop` builds): MultiHop questions then run over all 609 articles",
    )
    parser.add_argument("--report", type=Path, default=Path("test-artifacts/compare-engines"))
    args = parser.parse_args()
    base = Settings(
        data_dir=args.data_dir, llm_model_path=None if args.base_url else args.model, llm_base_url=args.base_url
    )
    suites: dict[str, tuple[str, list[tuple[Case, str | None]]]] = {}
    if "seed" in args.suites:
        suites["seed"] = ("seed", [(c, None) for c in seed_cases(args.seed_limit)])
    if "multihop" in args.suites and (MULTIHOP / "queries-dev.jsonl").exists():
        cases = []
        for q in multihop_queries(args.multihop_limit):
            null = q["question_type"] == "null_query"
            cases.append(
                (
                    Case(
                        id=f"mh-{abs(hash(q['query'])) % 10**8}",
                        question=q["query"],
                        type=q["question_type"],
                        should_refuse=null,
                        expected_facts=() if null else (q["answer"].rstrip("."),),
                    ),
                    None if null else q["answer"].rstrip("."),
                )
            )
        suites["multihop"] = ("multihop", cases)
    rows: list[dict[str, Any]] = []
    args.report.mkdir(parents=True, exist_ok=True)
    for suite, (_, cases) in suites.items():
        for engine in args.engines.split(","):
            full = suite == "multihop" and args.multihop_collection
            collection = args.multihop_collection if full else f"cmp_{suite}"
            settings = base.model_copy(
                update={"collection": collection, "engine": "llm" if engine == "llm" else "extractive"}
            )
            bot = Assistant(settings)
            if full:
                bot.ingest([MULTIHOP / "corpus.jsonl"])  # a no-op when the collection is complete and current
            else:
                _ingest(bot, suite, [c for c, _ in cases])
            peer = None
            if engine == "peer":
                from assistant.answer.llm_client import build_llm

                peer = Peer(bot, build_llm(settings.model_copy(update={"engine": "llm"}), max_tokens=200))
            rows += run_engine(engine, bot, cases[: args.peer_limit] if peer else cases, suite, peer)
            with open(args.report / "rows.jsonl", "w", encoding="utf-8") as out:
                out.writelines(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    summaries = {
        f"{e} · {s}": summarise([r for r in rows if r["engine"] == e and r["suite"] == s])
        for s in suites
        for e in dict.fromkeys(r["engine"] for r in rows if r["suite"] == s)
    }
    text = table(summaries)
    (args.report / "table.md").write_text(text + "\n", encoding="utf-8")
    print(text)


def _ingest(bot: Assistant, suite: str, cases: list[Case]) -> None:
    if suite == "seed":
        bot.ingest([CORPUS])
        return
    qs = {c.question for c in cases}
    urls = {
        e["url"]
        for q in (json.loads(x) for x in (MULTIHOP / "queries-dev.jsonl").read_text("utf-8").splitlines() if x.strip())
        if q["query"] in qs
        for e in q["evidence_list"]
    }
    import random

    records = [json.loads(x) for x in (MULTIHOP / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    keep = [r for r in records if r["url"] in urls] + random.Random(3).sample(
        [r for r in records if r["url"] not in urls], 40
    )
    subset = bot.settings.data_dir / f"multihop-subset-{len(cases)}.jsonl"
    subset.parent.mkdir(parents=True, exist_ok=True)
    subset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in keep), encoding="utf-8")
    bot.ingest([subset])


if __name__ == "__main__":
    main()
