"""How Yes/No verdicts are decided on the MultiHop-RAG *tune* half: per relation (claims, change, consistent,
order, amount) the verdicts against the gold answers, the always-Yes baseline, and the undecided clauses.

    python -m evals.studies.verdicts --data-dir DIR [--types comparison_query,temporal_query] [--show 20]

DIR holds the ingested corpus (collection news_multihop, as `assistant --data-dir DIR eval multihop` makes).
Reads only the tune half (`assistant.evals.suites.multihop_half`); the held-out half is never opened here.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from assistant import Settings
from assistant.core import Assistant
from assistant.evals.suites import multihop_queries
from assistant.lexicon import fold
from assistant.retrieval.filters import Filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--types", default="comparison_query,temporal_query")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong verdicts")
    parser.add_argument("--dump", type=Path, help="write every question's findings here (JSON)")
    parser.add_argument("--retrieval", action="store_true", help="also Hits@4/10 and MRR@10 of the per-clause ranking")
    args = parser.parse_args()
    bot = Assistant(Settings(data_dir=args.data_dir, collection="news_multihop"))
    rows = [r for r in multihop_queries(None, half="tune") if r["question_type"] in args.types.split(",")]
    table: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    wrong = []
    from assistant.evals.metrics import retrieval_metrics

    hits = collections.defaultdict(list)
    dump: list[dict] = []
    for row in rows:
        responder = bot.responder
        plan = responder.plan(row["query"])
        chunks = responder.evidence(row["query"], Filters(), plan)
        facts = [e["fact"] for e in row["evidence_list"]]
        if facts and args.retrieval:
            for key, value in retrieval_metrics(facts, responder.retrieve(row["query"], 10, Filters(), plan)).items():
                hits[key].append(value)
        articles = bot.store.get_articles([c.article_id for c in chunks])
        verdict = responder.decide(plan, chunks, articles) if row["question_type"] != "inference_query" else None
        said = verdict.answer if verdict else None
        gold = fold(row["answer"])
        outcome = "undecided" if said is None else "right" if fold(said) == gold else "wrong"
        table[(row["question_type"], plan.relation)][outcome] += 1
        table[(row["question_type"], plan.relation)]["gold_yes"] += gold == "yes"
        if outcome != "right":
            wrong.append((row, plan, verdict))
        dump.append(
            {
                "query": row["query"],
                "type": row["question_type"],
                "gold": row["answer"],
                "relation": plan.relation,
                "negated": plan.negated,
                "said": said,
                "findings": [
                    {
                        "clause": f.clause.text,
                        "article": f.article.id if f.article else None,
                        "start": f.start,
                        "end": f.end,
                        "status": f.judgement.status,
                        "reason": f.judgement.reason,
                    }
                    for f in (verdict.findings if verdict else [])
                ],
            }
        )
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1), encoding="utf-8")
    print({k: round(sum(v) / len(v), 3) for k, v in hits.items()})
    for (kind, relation), counts in sorted(table.items()):
        print(f"{kind:18} {relation:10} {dict(counts)}")
    for row, plan, verdict in wrong[: args.show]:
        print(f"\n[{row['answer']}] {row['query']}\n  relation={plan.relation} negated={plan.negated}")
        for f in verdict.findings if verdict else []:
            where = f"{f.article.outlet} {f.article.published}" if f.article else "-"
            print(f"  - {f.judgement.status}: {f.judgement.reason} | {where} | {f.text[:140]!r}")
            print(f"      clause: {f.clause.text[:140]!r} {f.clause.outlets} {f.clause.dates}")


if __name__ == "__main__":
    main()
