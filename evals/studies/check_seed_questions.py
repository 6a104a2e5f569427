#!/usr/bin/env python3
"""Sanity check for assistant/evals/gold/seed_questions.jsonl (stdlib only).

Usage: python3 check_seed_questions.py [questions.jsonl] [article.txt]
Exits 1 on any error; prints counts per type.
"""

import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "seed_questions.jsonl")
ARTICLE = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/seed/000_18969b7df53c2f01.txt"

TYPES = {"fact", "who_said", "medium", "who_is", "unanswerable", "false_premise"}
SPEAKER_TYPES = {"who_said", "medium", "who_is"}
VIAS = {"X", "AFP", "Libération", "L'Orient-Le Jour", "press release"}
FIELDS = ["id", "question", "type", "should_refuse", "evidence", "answer_contains", "speaker", "via"]
# Speaker names that must appear verbatim in the article.
EXPECTED_SPEAKERS = {
    "Rami Abdel Rahmane",
    "Karam Shaar",
    "Charles Lister",
    "Dareen Khalifa",
    "Mohammad al-Bashir",
    "Abbas Araghchi",
    "Haid Haid",
    "Caroline Rose",
    "Syrian Observatory for Human Rights",
    "Syrian army",
    "Russian army",
    "Ankara",
}

with open(ARTICLE, encoding="utf-8") as f:
    article = f.read()

errors, warnings = [], []
ids = set()
types = Counter()
speakers_seen = set()

with open(QFILE, encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()

for n, line in enumerate(lines, 1):

    def err(msg, n=n):
        errors.append(f"line {n}: {msg}")

    try:
        d = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"invalid JSON: {e}")
        continue
    if not isinstance(d, dict):
        err("not a JSON object")
        continue
    missing = [k for k in FIELDS if k not in d]
    extra = [k for k in d if k not in FIELDS]
    if missing:
        err(f"missing fields {missing}")
        continue
    if extra:
        err(f"unexpected fields {extra}")
    qid, t = d["id"], d["type"]
    if not isinstance(qid, str) or not qid:
        err("id must be a non-empty string")
    elif qid in ids:
        err(f"duplicate id {qid!r}")
    ids.add(qid)
    if not isinstance(d["question"], str) or not d["question"].strip():
        err("question must be a non-empty string")
    if t not in TYPES:
        err(f"bad type {t!r}")
    types[t] += 1
    refuse = d["should_refuse"]
    if not isinstance(refuse, bool):
        err("should_refuse must be a boolean")
    ev, ans = d["evidence"], d["answer_contains"]
    if not (isinstance(ev, list) and all(isinstance(s, str) for s in ev)):
        err("evidence must be a list of strings")
        ev = []
    if not (isinstance(ans, list) and all(isinstance(s, str) and s for s in ans)):
        err("answer_contains must be a list of non-empty strings")
        ans = []

    # type / should_refuse consistency
    if t == "unanswerable" and refuse is not True:
        err("unanswerable must have should_refuse=true")
    if t in {"fact", "who_said", "medium", "who_is"} and refuse is not False:
        err(f"{t} must have should_refuse=false")
    if refuse is True and (ev or ans):
        err("should_refuse=true requires empty evidence and answer_contains")
    if refuse is False and not ev:
        err("should_refuse=false requires at least one evidence string")
    if refuse is False and not ans:
        err("should_refuse=false requires at least one answer_contains string")

    # evidence: verbatim substrings of the article, 20-250 chars
    for s in ev:
        if s not in article:
            err(f"evidence not found verbatim in article: {s!r}")
        if not 20 <= len(s) <= 250:
            err(f"evidence length {len(s)} outside 20-250: {s!r}")
    # answer_contains should normally be supported by the evidence (warning only:
    # e.g. "Libération" is spelled "Liberation" in the article)
    evtext = " ".join(ev).lower()
    for a in ans:
        if a.lower() not in evtext:
            warnings.append(f"line {n} ({qid}): answer_contains {a!r} not literally in evidence")

    # speaker / via
    sp, via = d["speaker"], d["via"]
    if t in SPEAKER_TYPES:
        if not isinstance(sp, str) or not sp:
            err(f"{t} requires a speaker")
        elif sp not in article:
            err(f"speaker {sp!r} not named verbatim in article")
        else:
            speakers_seen.add(sp)
    elif sp is not None:
        err(f"speaker must be null for type {t}")
    if t == "medium" and not via:
        err("medium requires via")
    if via is not None and via not in VIAS:
        err(f"via {via!r} not in {sorted(VIAS)}")
    if t not in {"medium", "false_premise"} and via is not None:
        err(f"via must be null for type {t}")

missing_speakers = EXPECTED_SPEAKERS - speakers_seen
if missing_speakers:
    errors.append(f"speakers never covered by who_said/medium/who_is: {sorted(missing_speakers)}")

print(f"{len(lines)} questions; counts per type:")
for t in sorted(TYPES):
    print(f"  {t:14s} {types[t]}")
print(
    "  should_refuse=true: "
    f"{sum(1 for row in lines if json.loads(row).get('should_refuse') is True) if not errors else 'n/a'}"
)
for w in warnings:
    print("WARNING", w)
for e in errors:
    print("ERROR", e)
if errors:
    print(f"FAILED: {len(errors)} error(s)")
    sys.exit(1)
print("OK")
