"""The fixed random draws of attribution gold C and D's articles (issue 16), reproducible from the corpus alone.

    python -m evals.studies.draw_gold_c [--set c|d|e|f] [--data DIR]   # prints the drawn articles as JSON

Eligible: MultiHop-RAG articles in no earlier gold set (C: not in A or B; D: not in A, B or C; E: not in
A–D; F: not in A–E), body at most 12,000 characters (labelled by hand), with at least 4 quotation marks or 3 reporting
verbs ('said', 'says', 'told', 'according to'). Draw: outlets shuffled with the set's seed; round-robin over
the outlets, one random eligible article per turn, until the set's count.
`assistant/evals/gold/attribution_{c,d,e,f}.meta.json` list the results.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from assistant.evals.data import gold_dir, multihop_dir

MAX_CHARS = 12_000
# set → (seed, articles, the earlier gold sets it leaves out)
DRAWS = {
    "c": (20261201, 44, ("a", "b")),
    "d": (20261202, 36, ("a", "b", "c")),
    "e": (20261203, 36, ("a", "b", "c", "d")),
    "f": (20261205, 36, ("a", "b", "c", "d", "e")),
}


def eligible(record: dict, seen: set[str]) -> bool:
    body = record["body"]
    marks = sum(body.count(c) for c in '“”"')
    verbs = len(re.findall(r"\b(?:said|says|told|according to)\b", body))
    return record["url"] not in seen and len(body) <= MAX_CHARS and (marks >= 4 or verbs >= 3)


def draw(data: Path, name: str = "c") -> list[dict]:
    seed, count, earlier = DRAWS[name]
    seen = {
        json.loads(line)["url"]
        for set_name in earlier
        for line in (gold_dir() / f"attribution_{set_name}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    }
    records = [json.loads(x) for x in (data / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    pool: dict[str, list[dict]] = {}
    for record in records:
        if eligible(record, seen):
            pool.setdefault(record["source"], []).append(record)
    rng = random.Random(seed)
    outlets = sorted(pool)
    rng.shuffle(outlets)
    for outlet in outlets:
        rng.shuffle(pool[outlet])
    drawn: list[dict] = []
    while len(drawn) < count and any(pool.values()):
        for outlet in outlets:
            if pool[outlet] and len(drawn) < count:
                drawn.append(pool[outlet].pop())
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(DRAWS), default="c", help="which gold set's draw")
    parser.add_argument("--data", type=Path, default=None, help="the MultiHop-RAG folder")
    args = parser.parse_args()
    drawn = draw(multihop_dir(args.data), args.set)
    rows = [{"url": r["url"], "outlet": r["source"], "title": r["title"]} for r in drawn]
    print(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
