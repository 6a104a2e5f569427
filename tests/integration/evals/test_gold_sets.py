"""The hand-labelled gold files point at the words they claim: every row's offsets index the normalised article
text (the store's), and each fresh held-out set is drawn from articles the earlier sets of its kind left out.
Skipped when the MultiHop-RAG corpus is absent."""

from __future__ import annotations

import hashlib
import json
from functools import cache

import pytest

from assistant.evals.data import gold_dir, multihop_dir
from assistant.ingest.loaders import record_to_article

pytestmark = pytest.mark.integration


@cache
def texts() -> dict[str, str]:
    corpus = multihop_dir(None) / "corpus.jsonl"
    if not corpus.exists():
        pytest.skip("MultiHop-RAG corpus absent")
    records = (json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip())
    return {r["url"]: record_to_article(r, "corpus.jsonl").text for r in records}


def rows(name: str) -> list[dict]:
    lines = (gold_dir() / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize(
    "name", ["attribution_c.jsonl", "attribution_d.jsonl", "attribution_e.jsonl", "attribution_f.jsonl"]
)
def test_attribution_spans_are_the_article_words(name):
    for row in rows(name):
        assert texts()[row["url"]][row["start"] : row["end"]] == row["quote"], row


@pytest.mark.parametrize(
    "name", ["identity_fresh.jsonl", "identity_fresh2.jsonl", "identity_fresh3.jsonl", "identity_fresh4.jsonl"]
)
def test_identity_mentions_are_the_article_words(name):
    found = rows(name)
    assert len({r["id"] for r in found}) == len(found)
    for row in found:
        assert texts()[row["url"]][row["start"] : row["end"]] == row["mention"], row


@pytest.mark.parametrize(
    "name",
    ["faithfulness_fresh.jsonl", "faithfulness_fresh2.jsonl", "faithfulness_fresh3.jsonl", "faithfulness_fresh4.jsonl"],
)
def test_faithfulness_evidence_is_hashed_article_words(name):
    for row in rows(name):
        evidence = texts()[row["article"]][row["start"] : row["end"]]
        assert hashlib.sha1(evidence.encode("utf-8")).hexdigest()[:12] == row["evidence_sha1"], row["id"]


@pytest.mark.parametrize("name, earlier", [("d", "abc"), ("e", "abcd"), ("f", "abcde")])
def test_each_fresh_gold_shares_no_article_with_earlier_sets(name, earlier):
    seen = {r["url"] for e in earlier for r in rows(f"attribution_{e}.jsonl")}
    meta = json.loads((gold_dir() / f"attribution_{name}.meta.json").read_text("utf-8"))
    assert {r["url"] for r in rows(f"attribution_{name}.jsonl")} <= set(meta["articles"])
    assert not seen & set(meta["articles"])
    assert len(meta["articles"]) == 36


@pytest.mark.parametrize(
    "name, earlier",
    [
        ("fresh2", ("tune", "heldout", "fresh")),
        ("fresh3", ("tune", "heldout", "fresh", "fresh2")),
        ("fresh4", ("tune", "heldout", "fresh", "fresh2", "fresh3")),
    ],
)
def test_each_fresh_faithfulness_set_shares_no_article_with_earlier_sets(name, earlier):
    seen = {r["article"] for n in earlier for r in rows(f"faithfulness_{n}.jsonl")}
    assert not seen & {r["article"] for r in rows(f"faithfulness_{name}.jsonl")}


def test_fresh_corroboration_spans_are_hashed_words_and_new():
    earlier = {
        (span["url"], span["start"], span["end"])
        for name in ("corroboration_tune.jsonl", "corroboration_heldout.jsonl")
        for case in rows(name)
        for span in [case["anchor"], *case["reports"]]
    }
    cases = rows("corroboration_fresh.jsonl")
    assert len(cases) >= 60
    for case in cases:
        for span in [case["anchor"], *case["reports"]]:
            words = texts()[span["url"]][span["start"] : span["end"]]
            assert hashlib.sha1(words.encode("utf-8")).hexdigest()[:12] == span["text_sha1"], case["id"]
            assert not any(u == span["url"] and s < span["end"] and span["start"] < e for u, s, e in earlier), case[
                "id"
            ]
