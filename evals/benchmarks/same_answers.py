"""Did a speed change leave the answers alone? Writes `Assistant.ask`'s answers to MultiHop-RAG dev queries
(stratified by type, the same sample as evals.benchmarks.scale) on a store, and compares them with an earlier
run's file.

    python -m evals.benchmarks.same_answers --data-dir D [--collection news_multihop] [--queries 40] --out new.json
    python -m evals.benchmarks.same_answers --compare old.json new.json

Run the first command once with the old code and once with the new (e.g. PYTHONPATH pointing at a checkout of
each), on copies of the same store: the second command prints every question whose answer differs in any field
(text, citations, verdict, clauses, conflicts, corroboration) and exits 1 if one does. It also compares the
`answers` of two evals.benchmarks.scale `--answers` files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from evals.benchmarks.scale import percentile, queries


def answers(data_dir: Path, collection: str, n: int) -> dict:
    from assistant import Assistant, Settings

    bot = Assistant(Settings(data_dir=data_dir, collection=collection))
    bot.warm_up()
    out, seconds = [], []
    for q in queries(n):
        start = time.perf_counter()
        answer = bot.ask(q)
        seconds.append(time.perf_counter() - start)
        out.append({"question": q, "answer": answer.model_dump(mode="json")})
    return {"answers": out, "seconds": seconds}


def differences(old: dict, new: dict) -> list[str]:
    before = {a["question"]: a["answer"] for a in old["answers"]}
    after = {a["question"]: a["answer"] for a in new["answers"]}
    problems = [f"only in one run: {q!r}" for q in sorted(set(before) ^ set(after))]
    for q in sorted(set(before) & set(after)):
        fields = sorted(k for k in before[q].keys() | after[q].keys() if before[q].get(k) != after[q].get(k))
        if fields:
            problems.append(f"{q!r}: differs in {', '.join(fields)}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--collection", default="news_multihop")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        old, new = (json.loads(p.read_text("utf-8")) for p in args.compare)
        problems = differences(old, new)
        print("\n".join(problems) or f"all {len(new['answers'])} answers identical")
        sys.exit(1 if problems else 0)
    if not args.data_dir or not args.out:
        parser.error("--data-dir and --out (or --compare OLD NEW)")
    result = answers(args.data_dir, args.collection, args.queries)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    s = result["seconds"]
    refused = sum(a["answer"]["refused"] for a in result["answers"])
    print(
        f"{len(s)} answers ({refused} refused) → {args.out}; "
        f"ask p50 {percentile(s, 0.5) * 1000:.0f} ms, p95 {percentile(s, 0.95) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
