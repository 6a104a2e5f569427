"""Calibrate the extractive engine's refusal threshold on the labelled seed questions.

Answers every question in assistant/evals/gold/seed_questions.jsonl once with the threshold at 0, keeping the
support score the engine computed; a question is refused at threshold t when its score is below t
(or a name it asks about is missing from the evidence, score 0). The sweep prints, per threshold,
refusal precision/recall and how many answerable questions got a correct answer (a citation that
contains the gold evidence, or every expected string in the answer). Run:

    python -m evals.studies.calibrate_refusal
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from assistant import Assistant, Settings
from assistant.answer.question import analyse
from assistant.evals.data import gold_dir

ROOT = Path(__file__).resolve().parents[2]
GOLD = gold_dir() / "seed_questions.jsonl"


def load_questions(path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def correct(case: dict, answer) -> bool:
    """A citation holds (or lies inside) a gold evidence string, or the answer has every expected string."""
    if answer.refused:
        return False
    quotes = [c.quote for c in answer.citations]
    by_evidence = any(e in q or q in e for e in case["evidence"] for q in quotes)
    folded = answer.answer.casefold()
    by_strings = bool(case["answer_contains"]) and all(s.casefold() in folded for s in case["answer_contains"])
    return by_evidence or by_strings


def score_questions(bot: Assistant, questions: list[dict]) -> list[dict]:
    rows = []
    for case in questions:
        chunks = bot.retrieve(case["question"])
        articles = bot.store.get_articles([c.article_id for c in chunks])
        assessment = bot.engine.assess(analyse(case["question"]), chunks, articles)
        answer = bot.ask(case["question"])
        rows.append({**case, "score": assessment.score, "correct": correct(case, answer), "answer": answer.answer})
    return rows


def sweep(rows: list[dict], thresholds: list[float]) -> list[dict]:
    table = []
    answerable = [r for r in rows if not r["should_refuse"]]
    for t in thresholds:
        refused = [r["score"] < t for r in rows]
        tp = sum(x and r["should_refuse"] for r, x in zip(rows, refused))
        fp = sum(x and not r["should_refuse"] for r, x in zip(rows, refused))
        fn = sum(not x and r["should_refuse"] for r, x in zip(rows, refused))
        right = sum(not x and r["correct"] for r, x in zip(rows, refused) if not r["should_refuse"])
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        table.append(
            {
                "threshold": t,
                "refusal_precision": precision,
                "refusal_recall": recall,
                "refusal_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
                "answerable_correct": right / len(answerable),
                "overall": (tp + right) / len(rows),
            }
        )
    return table


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="calibrate-"))
    bot = Assistant(Settings(data_dir=data_dir, refusal_threshold=0.0))
    bot.ingest([ROOT / "corpus"])
    rows = score_questions(bot, load_questions())
    for r in sorted(rows, key=lambda r: r["score"]):
        flag = "REFUSE" if r["should_refuse"] else "answer"
        print(f"{r['score']:.3f} ok={int(r['correct'])} {flag:6} {r['type']:13} {r['question'][:80]}")
    print(f"\n{'thr':>5} {'ref_P':>6} {'ref_R':>6} {'ref_F1':>6} {'ans_ok':>6} {'overall':>7}")
    table = sweep(rows, [round(0.20 + 0.02 * i, 2) for i in range(21)])
    for row in table:
        print(
            f"{row['threshold']:5.2f} {row['refusal_precision']:6.3f} {row['refusal_recall']:6.3f} "
            f"{row['refusal_f1']:6.3f} {row['answerable_correct']:6.3f} {row['overall']:7.3f}"
        )
    best = max(table, key=lambda r: (r["overall"], r["refusal_f1"]))
    print(f"\nbest overall at threshold {best['threshold']:.2f}: {json.dumps(best)}")


if __name__ == "__main__":
    main()
