"""Crash-safe, idempotent ingestion, with real faults: `kill -9` mid-ingest, and two ingests at once.

Runs the real CLI in subprocesses on a slice of the MultiHop-RAG corpus (skipped when it is absent), and
once on the whole 609-article corpus (`test_kill_9_full_corpus`, on in CI via `.ci/run`, opt-in locally with
ASSISTANT_TEST_FULL_CORPUS=1: one full ingest of the corpus plus restarts, 27 min on 2 busy shared cores).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MULTIHOP

from assistant import Assistant, Settings
from assistant.attribution.quotes import attributed, extract_quotes
from assistant.ingest.loaders import load_file

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (MULTIHOP / "corpus.jsonl").exists(), reason="MultiHop-RAG data not present beside the repo"
    ),
]
ARTICLES = 24


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    lines = (MULTIHOP / "corpus.jsonl").read_text("utf-8").splitlines()
    path = tmp_path_factory.mktemp("slice") / "slice.jsonl"
    path.write_text("\n".join(random.Random(5).sample(lines, ARTICLES)) + "\n", encoding="utf-8")
    return path


def ingest_cmd(data_dir: Path, path: Path) -> list[str]:
    return [sys.executable, "-m", "assistant", "--data-dir", str(data_dir), "ingest", str(path)]


def check_store(data_dir: Path, subset: Path) -> None:
    """Every article exactly once, every chunk belongs to a stored article, chunk counts and quotes intact."""
    expected_ids = {a.id for a in load_file(subset, 10**9).articles}
    bot = Assistant(Settings(data_dir=data_dir))
    articles = bot.articles()
    assert len(articles) == len(expected_ids) and {a.id for a in articles} == expected_ids
    assert bot.store.orphan_chunk_ids() == []
    by_article: dict[str, list] = {}
    for chunk in bot.store.iter_chunks():
        by_article.setdefault(chunk.article_id, []).append(chunk)
    metas = dict(zip(*(lambda g: (g["ids"], g["metadatas"]))(bot.store.articles.get(include=["metadatas"]))))
    for article in articles:
        mine = by_article.get(article.id, [])
        assert len(mine) == metas[article.id]["n_chunks"] and len({c.id for c in mine}) == len(mine)
        assert all(article.text[c.start : c.end] == c.text for c in mine)
        expected = {(q.start, q.end) for q in attributed(extract_quotes(article.text, article.id))}
        assert {(q.start, q.end) for q in article.quotes} == expected


def test_kill_9_at_random_points_then_rerun(tmp_path, subset):
    data_dir = tmp_path / "store"
    rng = random.Random(11)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    killed = 0
    for _ in range(3):
        proc = subprocess.Popen(
            ingest_cmd(data_dir, subset), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(9, 22))  # model load takes several seconds; kill during embedding/writes
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed >= 1, "ingest finished before any kill: make the slice bigger"
    done = subprocess.run(ingest_cmd(data_dir, subset), env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    check_store(data_dir, subset)
    again = subprocess.run(ingest_cmd(data_dir, subset), env=env, capture_output=True, text=True, timeout=600)
    assert "articles added: 0" in again.stdout


def test_two_ingests_of_the_same_folder_at_once(tmp_path, subset):
    data_dir = tmp_path / "store"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    procs = [
        subprocess.Popen(
            ingest_cmd(data_dir, subset), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-1500:] for o in outputs]
    added = sorted(int(o[0].split("articles added: ")[1].split(",")[0]) for o in outputs)
    assert added == [0, ARTICLES]
    check_store(data_dir, subset)


@pytest.mark.skipif(
    not os.environ.get("ASSISTANT_TEST_FULL_CORPUS"),
    reason="opt-in (10–27 min with the machine idle or loaded): ASSISTANT_TEST_FULL_CORPUS=1",
)
def test_kill_9_full_corpus(tmp_path):
    """The whole MultiHop-RAG corpus (609 articles), killed -9 at random points several times, then finished:
    every article exactly once, no orphan chunks, chunk spans and quotes intact, and a re-run adds nothing."""
    corpus = MULTIHOP / "corpus.jsonl"
    data_dir = tmp_path / "store"
    rng = random.Random(int(os.environ.get("CRASH_SEED", "609")))
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    killed, started = 0, time.perf_counter()
    for _ in range(4):
        proc = subprocess.Popen(
            ingest_cmd(data_dir, corpus), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(15, 150))  # past model load (~10 s): inside attribution, embedding or a write
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed >= 3
    stored_before = Assistant(Settings(data_dir=data_dir)).store.counts()
    done = subprocess.run(ingest_cmd(data_dir, corpus), env=env, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr[-2000:]
    check_store(data_dir, corpus)
    again = subprocess.run(ingest_cmd(data_dir, corpus), env=env, capture_output=True, text=True, timeout=600)
    assert "articles added: 0" in again.stdout
    print(
        f"\nfull corpus: {killed} kills, stored before the final run {stored_before} (articles, chunks); "
        f"final: {done.stdout.strip().splitlines()[-1]}; total {time.perf_counter() - started:.0f} s"
    )
