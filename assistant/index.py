"""Ingestion pipeline: files → Article → attributed quotes → chunks → embeddings → store.

Unchanged articles (same id = same outlet, url/title and text) are skipped before any embedding, so
re-ingesting a folder costs only the reading. Embedding is batched across articles.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from .attribution import attributed, extract_quotes
from .chunking import chunk_article, index_text, make_splitter
from .config import Settings
from .embedding import LocalEmbedding
from .errors import IngestError
from .identity import SpeakerRegistry
from .ingest import expand_paths, load_file
from .models import Article, Chunk, IngestReport
from .store import Store, file_lock

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
PIPELINE_VERSION = 2  # bump when attribution or chunking rules change, so stored articles are re-indexed


def with_quotes(article: Article) -> Article:
    """Attribution runs once, on the whole article."""
    return article.model_copy(update={"quotes": tuple(attributed(extract_quotes(article.text, article.id)))})


class Indexer:
    """Stores articles; one instance per Assistant (holds the splitter and embedder)."""

    def __init__(self, settings: Settings, store: Store, embedder: LocalEmbedding) -> None:
        self.settings, self.store, self.embedder = settings, store, embedder
        self._split = make_splitter(settings.chunk_size, settings.chunk_overlap)
        self._registry: SpeakerRegistry | None = None
        # Stored with each article: a change of chunking, attribution rules or model re-indexes it.
        self.pipeline = f"v{PIPELINE_VERSION}/c{settings.chunk_size}o{settings.chunk_overlap}/{settings.embed_model_path or 'minilm'}"

    @property
    def registry(self) -> SpeakerRegistry:
        if self._registry is None:
            self._registry = SpeakerRegistry()
            self._registry.add(self.store.speaker_names())
        return self._registry

    def prepare(self, article: Article) -> tuple[Article, list[Chunk]]:
        """Attribute quotes, give speakers their corpus-wide canonical names, then chunk."""
        article = with_quotes(article)
        self.registry.add(q.speaker for q in article.quotes if q.speaker)
        quotes = tuple(
            q.model_copy(update={"speaker": self.registry.canonical(q.speaker)}) if q.speaker else q for q in article.quotes
        )
        article = article.model_copy(update={"quotes": quotes})
        return article, chunk_article(article, self._split, list(article.quotes))

    def ingest(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        """Ingest files and folders. Bad files are reported and skipped; good ones are stored."""
        started = time.perf_counter()
        errors: list[str] = []
        pending: list[Article] = []
        files = list(expand_paths(paths))
        if not files:
            raise IngestError("no supported files found; give .txt, .md, .json, .jsonl or .html files or folders.")
        for path in files:
            try:
                result = load_file(path, self.settings.max_file_bytes)
            except IngestError as exc:
                errors.append(str(exc))
                continue
            errors.extend(result.problems)
            pending.extend(result.articles)
        unique = list({a.id: a for a in pending}.values())
        with self._exclusive():
            return self._store_new(unique, len(pending), errors, started, progress)

    def _exclusive(self) -> AbstractContextManager[None]:
        """One writer per data dir: a second process ingesting the same files waits, then finds them stored."""
        return file_lock(self.settings.data_dir / "ingest.lock")

    def _store_new(
        self, unique: list[Article], pending: int, errors: list[str], started: float, progress: Progress | None
    ) -> IngestReport:
        stored = self.store.stored_pipelines([a.id for a in unique])
        new = [a for a in unique if stored.get(a.id) != self.pipeline]
        added = chunks_added = quotes_added = 0
        ids: list[str] = []
        batch: list[tuple[Article, list[Chunk]]] = []
        budget = max(self.settings.embed_batch_size * 4, 64)
        for number, article in enumerate(new, 1):
            batch.append(self.prepare(article))
            if sum(len(c) for _, c in batch) >= budget or number == len(new):
                for stored, chunks in self._write(batch):
                    added += 1
                    chunks_added += len(chunks)
                    quotes_added += len(stored.quotes)
                    ids.append(stored.id)
                batch = []
            if progress:
                progress(number, len(new), article.title or article.id)
        return IngestReport(
            articles_added=added,
            articles_skipped=pending - added,
            chunks_added=chunks_added,
            quotes_added=quotes_added,
            errors=tuple(errors),
            article_ids=tuple(ids),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _write(self, batch: list[tuple[Article, list[Chunk]]]) -> list[tuple[Article, list[Chunk]]]:
        """One encoder call for the whole batch, then per-article store writes (chunks, then record)."""
        texts = [index_text(c) for _, chunks in batch for c in chunks]
        titles = [a.title or a.text[:200] for a, _ in batch]
        vectors = self.embedder.embed(texts + titles)
        chunk_vectors, title_vectors = vectors[: len(texts)], vectors[len(texts) :]
        offset = 0
        for (article, chunks), title_vector in zip(batch, title_vectors):
            self.store.add_article(article, chunks, chunk_vectors[offset : offset + len(chunks)], title_vector, self.pipeline)
            offset += len(chunks)
        return batch
