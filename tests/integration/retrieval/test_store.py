"""Store contract, run against embedded ChromaDB and a real `chroma run` server."""

import pytest
from conftest import CORPUS

from assistant import Assistant

pytestmark = [pytest.mark.integration]


def test_ingest_is_idempotent_and_chunks_are_spans(store_settings):
    bot = Assistant(store_settings)
    first = bot.ingest([CORPUS])
    assert (first.articles_added, first.chunks_added) == (1, first.chunks_added) and first.chunks_added > 1
    assert first.quotes_added == 34  # 24 quotations + 10 attributed reported-speech spans
    counts = bot.store.counts()
    again = Assistant(store_settings).ingest([CORPUS])
    assert (again.articles_added, again.chunks_added, again.articles_skipped) == (0, 0, 1)
    assert Assistant(store_settings).store.counts() == counts

    (article,) = bot.articles()
    chunks = list(bot.store.iter_chunks())
    assert len(chunks) == first.chunks_added
    covered = 0
    for chunk in sorted(chunks, key=lambda c: c.start):
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.article_id == article.id and chunk.outlet is None and str(chunk.published) == "2024-11-30"
        assert chunk.start >= covered  # no overlap, in order
        covered = chunk.end
        for quote in article.quotes:
            if quote.start < chunk.end and quote.end > chunk.start:
                assert quote.speaker in chunk.speakers and quote.id in chunk.quote_ids
    assert {"Charles Lister", "Karam Shaar", "Dareen Khalifa"} <= {s for c in chunks for s in c.speakers}
    assert bot.store.orphan_chunk_ids() == []


def test_delete_article_removes_its_chunks(store_settings, tmp_path):
    bot = Assistant(store_settings)
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Note\noutlet: Test Wire\npublished: 2024-01-02\n---\nA short note about ferries. It has two "
        "sentences.",
        encoding="utf-8",
    )
    report = bot.ingest([path, CORPUS])
    assert report.articles_added == 2
    note_id = next(a.id for a in bot.articles() if a.outlet == "Test Wire")
    assert bot.delete_article(note_id)
    assert [a.outlet for a in bot.articles()] == [None]
    assert all(c.article_id != note_id for c in bot.store.iter_chunks())
    assert not bot.delete_article(note_id)
    assert all(c.article_id != note_id for c in bot.retrieve("ferries", top_k=5))


def test_interrupted_ingest_is_completed_without_duplicates(store_settings):
    """Chunks written but no article record (a crash between the two): the re-run finishes the job."""
    bot = Assistant(store_settings)
    from assistant.ingest.loaders import load_file

    (article,) = load_file(CORPUS / "2024-11-30-hts-aleppo.md", 10**7).articles
    article, chunks = bot.indexer.prepare(article)
    vectors = bot.embedder.embed([c.text for c in chunks[:3]])
    bot.store.chunks.upsert(
        ids=[c.id for c in chunks[:3]],
        documents=[c.text for c in chunks[:3]],
        metadatas=[{"article_id": c.article_id, "start": c.start, "end": c.end} for c in chunks[:3]],
        embeddings=vectors,
    )
    assert len(bot.store.orphan_chunk_ids()) == 3
    report = bot.ingest([CORPUS])
    assert report.articles_added == 1
    assert bot.store.counts() == (1, len(chunks)) and bot.store.orphan_chunk_ids() == []


def test_reindexing_reuses_vectors_of_unchanged_text(store_settings):
    """A pipeline change re-indexes an article, but text whose embedding is stored is not embedded again."""
    bot = Assistant(store_settings)
    first = bot.ingest([CORPUS])
    before = {c.id: c for c in bot.store.iter_chunks()}
    vectors = bot.store.chunk_vectors(list(before))
    assert len(vectors) == first.chunks_added
    embedded: list[str] = []
    real = bot.embedder.embed
    object.__setattr__(bot.embedder, "embed", lambda texts: embedded.extend(texts) or real(texts))
    bot.indexer.pipeline += "-changed"
    again = bot.ingest([CORPUS])
    assert (again.articles_added, again.chunks_added) == (1, first.chunks_added)
    (article,) = bot.articles()
    assert embedded == [article.title]  # only the title vector of the article record; no chunk re-embedded
    after = bot.store.chunk_vectors(list(before))
    assert after.keys() == vectors.keys() and bot.store.orphan_chunk_ids() == []
    for cid, (digest, vector) in vectors.items():  # the same vectors (up to the index's float32 re-normalisation)
        assert after[cid][0] == digest and max(abs(a - b) for a, b in zip(after[cid][1], vector)) < 1e-6
