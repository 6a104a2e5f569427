"""Ingestion pipeline: files → Article → attributed quotes → chunks → embeddings → store.

Unchanged articles (same id = same outlet, url/title and text) are skipped before any embedding, so
re-ingesting a folder costs only the reading. An article re-indexed under a new pipeline reuses the stored
vector of every chunk whose embedded text is unchanged (a content hash in the chunk's metadata), so only
changed text is ever re-embedded. Embedding is batched across articles, and the next batch is prepared
(attribution, chunking) in a producer thread while the current one is encoded.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from assistant.attribution.identity import SpeakerRegistry
from assistant.attribution.quotes import attributed, extract_quotes
from assistant.config import Settings
from assistant.errors import IngestError
from assistant.ingest.chunking import chunk_article, make_splitter
from assistant.ingest.loaders import expand_paths, load_file
from assistant.models import Article, Chunk, IngestReport
from assistant.retrieval.embedding import LocalEmbedding
from assistant.retrieval.store import Store, file_lock, index_text
from assistant.text.spans import sentences

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
PIPELINE_VERSION = 4  # bump when attribution, chunking or stored vectors change (4: sentence vectors at ingest)


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
        model = settings.embed_model_path or "minilm"
        self.pipeline = f"v{PIPELINE_VERSION}/c{settings.chunk_size}o{settings.chunk_overlap}/{model}"

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
            q.model_copy(update={"speaker": self.registry.canonical(q.speaker)}) if q.speaker else q
            for q in article.quotes
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
        reusable = {
            a.id for a in new if a.id in stored
        }  # re-indexed articles: their unchanged chunks keep their vectors
        for batch in self._prepared(new):
            for article, chunks in self._write(batch, reusable):
                added += 1
                chunks_added += len(chunks)
                quotes_added += len(article.quotes)
                ids.append(article.id)
                if progress:
                    progress(added, len(new), article.title or article.id)
        return IngestReport(
            articles_added=added,
            articles_skipped=pending - added,
            chunks_added=chunks_added,
            quotes_added=quotes_added,
            errors=tuple(errors),
            article_ids=tuple(ids),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _prepared(self, new: list[Article]) -> Iterator[list[tuple[Article, list[Chunk]]]]:
        """Batches of prepared articles (≥ budget chunks each), prepared one batch ahead in a thread.

        Attribution and chunking are pure Python; the encoder spends most of its time in torch kernels
        that release the GIL, so preparing the next batch overlaps with encoding the current one.
        """
        _ = self.registry  # loaded from the store here, in the caller's thread; the producer only computes
        budget = max(self.settings.embed_batch_size * 4, 64)
        ready: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()

        def produce() -> None:
            try:
                batch: list[tuple[Article, list[Chunk]]] = []
                for number, article in enumerate(new, 1):
                    if stop.is_set():
                        return
                    batch.append(self.prepare(article))
                    if sum(len(c) for _, c in batch) >= budget or number == len(new):
                        ready.put(batch)
                        batch = []
                ready.put(None)
            except BaseException as exc:  # handed to the consumer, raised there
                ready.put(exc)

        worker = threading.Thread(target=produce, name="ingest-prepare", daemon=True)
        worker.start()
        try:
            while (item := ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while worker.is_alive():  # unblock a producer waiting on a full queue
                try:
                    ready.get(timeout=0.1)
                except queue.Empty:
                    pass
            worker.join()

    def _write(
        self, batch: list[tuple[Article, list[Chunk]]], reusable: set[str] = frozenset()
    ) -> list[tuple[Article, list[Chunk]]]:
        """One encoder call for the whole batch (only for text not already embedded), then per-article
        store writes (chunks, then record)."""
        texts = [index_text(c) for _, chunks in batch for c in chunks]
        hashes = [text_hash(t) for t in texts]
        old = self.store.chunk_vectors([c.id for a, chunks in batch if a.id in reusable for c in chunks])
        titles = [a.title or a.text[:200] for a, _ in batch]
        todo = [
            i
            for i, (c, h) in enumerate(zip((c for _, cs in batch for c in cs), hashes))
            if old.get(c.id, ("",))[0] != h
        ]
        fresh = self.embedder.embed([texts[i] for i in todo] + titles)
        chunk_vectors: list[list[float] | None] = [None] * len(texts)
        for i, vector in zip(todo, fresh):
            chunk_vectors[i] = vector
        flat = [c for _, cs in batch for c in cs]
        for i, vector in enumerate(chunk_vectors):
            if vector is None:
                chunk_vectors[i] = old[flat[i].id][1]
        title_vectors = fresh[len(todo) :]
        self.store_sentence_vectors([article for article, _ in batch])  # before the articles' commit points
        offset = 0
        for (article, chunks), title_vector in zip(batch, title_vectors):
            n = len(chunks)
            self.store.add_article(
                article,
                chunks,
                chunk_vectors[offset : offset + n],
                title_vector,
                self.pipeline,
                hashes[offset : offset + n],
            )
            offset += n
        return batch

    def store_sentence_vectors(self, articles: list[Article]) -> int:
        """Sentence vectors, computed once at ingest: the engines score evidence sentences with them instead
        of embedding them per question. A sentence already stored (same text) is not embedded again."""
        texts = list(dict.fromkeys(a.text[s:e] for a in articles for s, e in sentences(a.text) if a.text[s:e].strip()))
        known = self.store.known_sentences(texts)
        todo = [t for t in texts if t not in known]
        if todo:
            self.store.add_sentence_vectors(todo, self.embedder.embed(todo))
        return len(todo)


def text_hash(text: str) -> str:
    """What identifies an embedded text (the chunk with its header) for reuse of its vector."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
