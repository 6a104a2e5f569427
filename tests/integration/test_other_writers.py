"""Another process writes the embedded store this process reads: the reader sees every write (no restart), and
what an interrupted writer left behind is never retrieved. The full web version: tests/e2e/test_serve_beside_ingest.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from assistant import Assistant, Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def new_report(folder: Path, n: int) -> tuple[str, str]:
    """An article only it can answer: (speaker, town)."""
    name, town = [("Orla Venn", "Kestrel Bay"), ("Tomas Brede", "Dunmore"), ("Ilse Marr", "Ashvale")][n]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"plant-{n}.md").write_text(
        f"---\ntitle: Water plant opens in {town}\noutlet: Harbour Post\npublished: 2024-03-0{n + 1}\n---\n"
        f"A new desalination plant opened in {town} on Monday. “It will supply forty thousand homes,” said "
        f"{name}, the town's chief engineer. The plant cost 12 million euros.\n",
        encoding="utf-8",
    )
    return name, town


def cli_ingest(data_dir: Path, path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "assistant", "--data-dir", str(data_dir), "ingest", str(path)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def test_a_long_running_reader_sees_what_another_process_ingests(tmp_path):
    """The reader opened its ChromaDB client before the other process wrote: without reopening it, reads fail
    ("Error finding id") or miss the new vectors."""
    data_dir = tmp_path / "store"
    reader = Assistant(Settings(data_dir=data_dir))
    reader.ingest([CORPUS])
    reader.warm_up()
    for n in range(3):
        name, town = new_report(tmp_path / f"new{n}", n)
        done = cli_ingest(data_dir, tmp_path / f"new{n}")
        assert done.returncode == 0 and "articles added: 1" in done.stdout, done.stderr[-2000:]
        answer = reader.ask(f"What did {name} say about the plant in {town}?")
        assert not answer.refused and any(c.speaker == name for c in answer.citations), answer.answer
    assert len(reader.articles()) == 4 and reader.store.reopened >= 3


HOLD_LOCK = """
import fcntl, sys, time
with open(sys.argv[1], "w") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_delete_waits_for_a_running_ingest(tmp_path, seeded_bot):
    """A delete racing a re-ingest could leave an article record without chunks; it takes the ingest lock."""
    import time

    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.__dict__["embedder"] = seeded_bot.embedder
    name, _ = new_report(tmp_path / "new", 0)
    (article_id,) = bot.ingest([tmp_path / "new"]).article_ids
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "store" / "ingest.lock"), "3"], stdout=subprocess.PIPE
    )
    assert holder.stdout.readline().strip() == b"held"  # another process is ingesting
    started = time.perf_counter()
    assert bot.delete_article(article_id)
    waited = time.perf_counter() - started
    holder.wait()
    assert waited > 2.0 and bot.articles() == []


KILL_BEFORE_RECORD = """
import os, sys
from chromadb.api.models.Collection import Collection
from assistant import Assistant, Settings

upsert = Collection.upsert
def killed_before_the_record(self, *args, **kwargs):
    if self.name.endswith("_articles"):
        os._exit(9)  # kill -9 between an article's chunks and its record
    return upsert(self, *args, **kwargs)
Collection.upsert = killed_before_the_record
Assistant(Settings(data_dir=sys.argv[1])).ingest([sys.argv[2]])
"""


def test_chunks_of_a_killed_ingest_are_never_retrieved_and_are_purged_at_start(tmp_path, seeded_bot):
    data_dir = tmp_path / "store"
    bot = Assistant(Settings(data_dir=data_dir))
    bot.__dict__["embedder"] = seeded_bot.embedder
    bot.ingest([CORPUS])
    name, town = new_report(tmp_path / "new", 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    killed = subprocess.run(
        [sys.executable, "-c", KILL_BEFORE_RECORD, str(data_dir), str(tmp_path / "new")], env=env, timeout=600
    )
    assert killed.returncode == 9
    reader = Assistant(Settings(data_dir=data_dir))
    reader.__dict__["embedder"] = seeded_bot.embedder
    assert len(reader.store.orphan_chunk_ids()) >= 1 and len(reader.articles()) == 1
    hits = reader.retrieve(f"{name} desalination plant {town} forty thousand homes", top_k=10)
    assert hits and all(c.article_id in {a.id for a in reader.articles()} for c in hits)  # never the orphan
    reader.warm_up()  # what `assistant serve` and app.py do at start
    assert reader.store.orphan_chunk_ids() == []
