"""Chunk records read back for fused rankings are kept per index version (2026-12-01, for `ask` latency): a
question ranks the same chunks in several scopes and its hops and corroboration retrieve them again. Kept
records must never outlive a change of the store."""

import pytest
from conftest import CORPUS

from assistant import Assistant, Settings

pytestmark = pytest.mark.integration


def counting(store):
    """Wrap store.get_chunks to record the ids each call asks the store for."""
    calls = []
    real = store.get_chunks

    def get_chunks(ids):
        calls.append(list(ids))
        return real(ids)

    store.get_chunks = get_chunks
    return calls


def test_records_are_read_once_per_index_version_and_rankings_are_unchanged(tmp_path):
    bot = Assistant(Settings(data_dir=tmp_path))
    bot.ingest([CORPUS])
    question = "What did Charles Lister say about the offensive?"
    first = bot.retrieve(question, top_k=5)
    calls = counting(bot.store)
    again = bot.retrieve(question, top_k=5)
    assert again == first and [c.score for c in again] == [c.score for c in first]
    assert calls == []  # every record came from the kept ones
    fresh = Assistant(Settings(data_dir=tmp_path))  # nothing kept: reads the store
    fresh_calls = counting(fresh.store)
    assert fresh.retrieve(question, top_k=5) == first and fresh_calls


def test_a_write_by_another_process_drops_the_kept_records(tmp_path):
    writer = Assistant(Settings(data_dir=tmp_path))
    writer.ingest([CORPUS])
    reader = Assistant(Settings(data_dir=tmp_path))
    question = "What did Charles Lister say about the offensive?"
    top = reader.retrieve(question, top_k=3)[0]
    # another writer changes that chunk's stored text (a re-ingest of an edited article does the same)
    writer.store._touch()
    vector = writer.store.chunks.get(ids=[top.id], include=["embeddings"])["embeddings"][0]
    writer.store.chunks.update(ids=[top.id], documents=[top.text + " EDITED"], embeddings=[vector])
    writer.store._touch()
    changed = {c.id: c for c in reader.retrieve(question, top_k=10)}
    assert top.id in changed and changed[top.id].text.endswith(" EDITED")


def test_deleted_articles_are_never_served_from_kept_records(tmp_path):
    note = tmp_path / "in" / "note.md"
    note.parent.mkdir()
    note.write_text(
        "---\ntitle: Aleppo talks\noutlet: Test Wire\n---\nCharles Lister said the offensive on Aleppo had stalled.",
        encoding="utf-8",
    )
    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.ingest([CORPUS, note.parent])
    question = "What did Charles Lister say about the offensive?"
    before = bot.retrieve(question, top_k=10)
    assert len({c.article_id for c in before}) == 2
    gone = before[0].article_id
    assert bot.delete_article(gone)
    after = bot.retrieve(question, top_k=10)
    assert after and all(c.article_id != gone for c in after)
