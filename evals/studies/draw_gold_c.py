"""The fixed random draw of attribution gold C's articles (issue 16), reproducible from the corpus alone.

    python -m evals.studies.draw_gold_c [--data DIR]   # prints the 44 drawn articles as JSON

Eligible: MultiHop-RAG articles not in gold A or B, body at most 12,000 characters (labelled by hand), with at
least 4 quotation marks or 3 reporting verbs ('said', 'says', 'told', 'according to'). Draw:
random.Random(20261201); outlets shuffled; round-robin over the outlets, one random eligible article per turn,
until 44 articles. `assistant/evals/gold/attribution_c.meta.json` lists the result.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from assistant.evals.data import gold_dir, multihop_dir

SEED, ARTICLES, MAX_CHARS = 20261201, 44, 12_000


def eligible(record: dict, seen: set[str]) -> bool:
    body = record["body"]
    marks = sum(body.count(c) for c in '“”"')
    verbs = len(re.findall(r"\b(?:said|says|told|according to)\b", body))
    return record["url"] not in seen and len(body) <= MAX_CHARS and (marks >= 4 or verbs >= 3)


def draw(data: Path) -> list[dict]:
    seen = {
        json.loads(line)["url"]
        for name in ("attribution_a.jsonl", "attribution_b.jsonl")
        for line in (gold_dir() / name).read_text("utf-8").splitlines()
        if line.strip()
    }
    records = [json.loads(x) for x in (data / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    pool: dict[str, list[dict]] = {}
    for record in records:
        if eligible(record, seen):
            pool.setdefault(record["source"], []).append(record)
    rng = random.Random(SEED)
    outlets = sorted(pool)
    rng.shuffle(outlets)
    for outlet in outlets:
        rng.shuffle(pool[outlet])
    drawn: list[dict] = []
    while len(drawn) < ARTICLES and any(pool.values()):
        for outlet in outlets:
            if pool[outlet] and len(drawn) < ARTICLES:
                drawn.append(pool[outlet].pop())
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the MultiHop-RAG folder")
    args = parser.parse_args()
    rows = [{"url": r["url"], "outlet": r["source"], "title": r["title"]} for r in draw(multihop_dir(args.data))]
    print(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
