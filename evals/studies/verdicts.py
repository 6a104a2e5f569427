"""How Yes/No verdicts are decided on the MultiHop-RAG *tune* half: per relation (claims, change, consistent,
order, amount) the verdicts against the gold answers, the always-Yes baseline, and the undecided clauses.

    python -m evals.studies.verdicts --data-dir DIR [--types comparison_query,temporal_query] [--show 20]

DIR holds the ingested corpus (collection news_multihop, as `assistant --data-dir DIR eval multihop` makes).
Reads only the tune half (`assistant.evals.suites.multihop_half`); the held-out half is never opened here.
"""

from __future__ import annotations

import argparse
import collections
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
    args = parser.parse_args()
    bot = Assistant(Settings(data_dir=args.data_dir, collection="news_multihop"))
    rows = [r for r in multihop_queries(None, half="tune") if r["question_type"] in args.types.split(",")]
    table: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    wrong = []
    for row in rows:
        responder = bot.responder
        plan = responder.plan(row["query"])
        chunks = responder.evidence(row["query"], Filters(), plan)
        articles = bot.store.get_articles([c.article_id for c in chunks])
        verdict = responder.decide(plan, chunks, articles)
        said = verdict.answer if verdict else None
        gold = fold(row["answer"])
        outcome = "undecided" if said is None else "right" if fold(said) == gold else "wrong"
        table[(row["question_type"], plan.relation)][outcome] += 1
        table[(row["question_type"], plan.relation)]["gold_yes"] += gold == "yes"
        if outcome != "right":
            wrong.append((row, plan, verdict))
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
