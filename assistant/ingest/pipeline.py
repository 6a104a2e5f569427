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
from dataclasses import dataclass, field
from pathlib import Path

from assistant.attribution.quotes import attributed, extract_quotes
from assistant.config import Settings
from assistant.errors import IngestError, StoreError
from assistant.ingest.chunking import chunk_article, make_splitter
from assistant.ingest.loaders import expand_paths, iter_file
from assistant.ingest.web import WebSource
from assistant.models import Article, Chunk, IngestReport
from assistant.retrieval.embedding import LocalEmbedding
from assistant.retrieval.store import Store, file_lock, index_text
from assistant.text.spans import sentences

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
PIPELINE_VERSION = 9  # bump when attribution, chunking or stored vectors change (9: recall, speakers, roles)
READ_WINDOW = 64  # articles whose stored state is checked with one store call
MAX_LISTED = 200  # problems listed in a report (all are counted)
MAX_REFUSED = 3  # store writes refused in a row before the run stops


def with_quotes(article: Article) -> Article:
    """Attribution runs once, on the whole article."""
    return article.model_copy(update={"quotes": tuple(attributed(extract_quotes(article.text, article.id)))})


class Indexer:
    """Stores articles; one instance per Assistant (holds the splitter and embedder)."""

    def __init__(self, settings: Settings, store: Store, embedder: LocalEmbedding) -> None:
        self.settings, self.store, self.embedder = settings, store, embedder
        self._split = make_splitter(settings.chunk_size, settings.chunk_overlap)
        # Stored with each article: a change of chunking, attribution rules or model re-indexes it.
        model = settings.embed_model_path or "minilm"
        self.pipeline = f"v{PIPELINE_VERSION}/c{settings.chunk_size}o{settings.chunk_overlap}/{model}"

    def prepare(self, article: Article) -> tuple[Article, list[Chunk]]:
        """Attribute quotes, then chunk. Speakers keep the names their article supports: identity across
        articles is computed when read (attribution/identity.py), so ingest order never changes a name."""
        article = with_quotes(article)
        return article, chunk_article(article, self._split, list(article.quotes))

    def ingest(
        self, paths: Iterable[str | Path | WebSource], progress: Progress | None = None, max_records: int | None = None
    ) -> IngestReport:
        """Ingest files and folders, streamed: each file and each record is its own unit, and a bad one is a
        problem line in the report while the rest is stored. `max_records` caps the records read (uploads)."""
        started, tally = time.perf_counter(), Tally()
        files = self._files(paths, tally)
        with self.exclusive():
            purged = self.store.purge_unfinished()
            if purged:
                log.warning("removed %d chunk(s) left by an interrupted ingest", purged)
            articles = self._unstored(self._read(files, tally, max_records), tally)
            for batch in self._prepared(articles, tally):
                self._write(batch, tally, progress)
        return tally.report(time.perf_counter() - started)

    @staticmethod
    def _files(paths: Iterable[str | Path | WebSource], tally: Tally) -> list[Path | WebSource]:
        """The files to read (paths only); a missing path is a problem, and nothing found at all an error."""
        files: list[Path | WebSource] = []
        for raw in paths:
            try:
                files.extend(expand_paths([raw]))
            except IngestError as exc:
                tally.problem(str(exc))
        if not files:
            raise IngestError(
                "; ".join(tally.errors)
                or "no supported files found; give .txt, .md, .json, .jsonl, .html or .pdf files, folders or URLs."
            )
        return files

    def _read(self, files: list[Path | WebSource], tally: Tally, max_records: int | None) -> Iterator[Article]:
        """Articles of the files, one file at a time, each id once; problems go to the tally."""
        seen: set[str] = set()
        for path in files:
            for item in iter_file(path, self.settings.max_file_bytes):
                if isinstance(item, str):
                    tally.problem(item)
                    continue
                if max_records is not None and tally.read >= max_records:
                    tally.problem(f"{path}: stopped after {max_records:,} records, the limit per request; split it.")
                    return
                tally.read += 1
                if item.id not in seen:
                    seen.add(item.id)
                    yield item

    def _unstored(self, articles: Iterator[Article], tally: Tally) -> Iterator[Article]:
        """The articles not yet stored under this pipeline, checked against the store a window at a time."""
        for window in _windows(articles, READ_WINDOW):
            stored = self.store.stored_pipelines([a.id for a in window])
            for article in window:
                if stored.get(article.id) == self.pipeline:
                    continue
                if article.id in stored:  # re-indexed: its unchanged chunks keep their vectors
                    tally.reusable.add(article.id)
                tally.new += 1
                yield article

    def exclusive(self, wait: bool = True) -> AbstractContextManager[bool]:
        """One writer per data dir: a second process ingesting the same files waits, then finds them stored.
        Deletes take it too. With wait=False: False at once when another process holds it."""
        return file_lock(self.settings.data_dir / "ingest.lock", wait)

    def _prepared(self, new: Iterator[Article], tally: Tally) -> Iterator[list[tuple[Article, list[Chunk]]]]:
        """Batches of prepared articles (≥ budget chunks each), read and prepared one batch ahead in a thread.

        Reading, attribution and chunking are pure Python; the encoder spends most of its time in torch kernels
        that release the GIL, so preparing the next batch overlaps with encoding the current one. An article
        whose preparation fails is reported and left out; the others go on.
        """
        budget = max(self.settings.embed_batch_size * 4, 64)
        ready: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()

        def produce() -> None:
            try:
                batch: list[tuple[Article, list[Chunk]]] = []
                for article in new:
                    if stop.is_set():
                        return
                    try:
                        batch.append(self.prepare(article))
                    except Exception as exc:
                        tally.drop(f"{article.source_path or article.id}: skipped, it could not be prepared ({exc!r})")
                        continue
                    if sum(len(c) for _, c in batch) >= budget:
                        ready.put(batch)
                        batch = []
                if batch:
                    ready.put(batch)
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

    def _vectors(self, batch: list[tuple[Article, list[Chunk]]], reusable: set[str]) -> tuple[list, list, list]:
        """One encoder call for the whole batch (only for text not already embedded): the chunk vectors, the
        hashes of their embedded texts, and the title vectors."""
        texts = [index_text(c) for _, chunks in batch for c in chunks]
        hashes = [text_hash(t) for t in texts]
        old = self.store.chunk_vectors([c.id for a, chunks in batch if a.id in reusable for c in chunks])
        flat = [c for _, cs in batch for c in cs]
        todo = [i for i, (c, h) in enumerate(zip(flat, hashes)) if old.get(c.id, ("",))[0] != h]
        fresh = self.embedder.embed([texts[i] for i in todo] + [a.title or a.text[:200] for a, _ in batch])
        chunk_vectors: list[list[float] | None] = [None] * len(texts)
        for i, vector in zip(todo, fresh):
            chunk_vectors[i] = vector
        for i, vector in enumerate(chunk_vectors):
            if vector is None:
                chunk_vectors[i] = old[flat[i].id][1]
        return chunk_vectors, hashes, fresh[len(todo) :]

    def _write(self, batch: list[tuple[Article, list[Chunk]]], tally: Tally, progress: Progress | None) -> None:
        """Per-article store writes (chunks, then record). One article the store refuses is reported and left
        out; a store that refuses several in a row is broken, and the run stops with its error."""
        chunk_vectors, hashes, title_vectors = self._vectors(batch, tally.reusable)
        self.store_sentence_vectors([article for article, _ in batch])  # before the articles' commit points
        offset, refused = 0, 0
        for (article, chunks), title_vector in zip(batch, title_vectors):
            n = len(chunks)
            try:
                vectors, ids = chunk_vectors[offset : offset + n], hashes[offset : offset + n]
                self.store.add_article(article, chunks, vectors, title_vector, self.pipeline, ids)
            except Exception as exc:
                refused += 1
                if refused >= MAX_REFUSED:
                    raise StoreError(f"the store refused {refused} articles in a row; last: {exc}") from exc
                tally.drop(f"{article.source_path or article.id}: skipped, the store refused it ({exc})")
                continue
            finally:
                offset += n
            refused = 0
            tally.added_article(article, chunks)
            if progress:
                progress(tally.added, max(tally.new, tally.added), article.title or article.id)

    def store_sentence_vectors(self, articles: list[Article]) -> int:
        """Sentence vectors, computed once at ingest: the engines score evidence sentences with them instead
        of embedding them per question. A sentence already stored (same text) is not embedded again."""
        texts = list(dict.fromkeys(a.text[s:e] for a in articles for s, e in sentences(a.text) if a.text[s:e].strip()))
        known = self.store.known_sentences(texts)
        todo = [t for t in texts if t not in known]
        if todo:
            self.store.add_sentence_vectors(todo, self.embedder.embed(todo))
        return len(todo)


def _windows(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    window: list[Article] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


@dataclass
class Tally:
    """What one ingest run did so far (the reading thread counts reads and problems, the writer the rest)."""

    errors: list[str] = field(default_factory=list)
    failed: int = 0
    read: int = 0
    new: int = 0
    dropped: int = 0
    added: int = 0
    chunks: int = 0
    quotes: int = 0
    speakers: set[str] = field(default_factory=set)
    ids: list[str] = field(default_factory=list)
    reusable: set[str] = field(default_factory=set)

    def problem(self, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(message)

    def drop(self, message: str) -> None:
        """An article that was read but could not be stored."""
        self.dropped += 1
        self.problem(message)

    def added_article(self, article: Article, chunks: list[Chunk]) -> None:
        self.added += 1
        self.chunks += len(chunks)
        self.quotes += len(article.quotes)
        self.speakers.update(q.speaker for q in article.quotes if q.speaker)
        self.ids.append(article.id)

    def report(self, seconds: float) -> IngestReport:
        more = [f"… and {self.failed - len(self.errors):,} more problem(s)"] if self.failed > len(self.errors) else []
        return IngestReport(
            articles_added=self.added,
            articles_skipped=self.read - self.added - self.dropped,
            articles_failed=self.failed,
            chunks_added=self.chunks,
            quotes_added=self.quotes,
            speakers_added=len(self.speakers),
            errors=tuple(self.errors + more),
            article_ids=tuple(self.ids),
            seconds=round(seconds, 3),
        )


def text_hash(text: str) -> str:
    """What identifies an embedded text (the chunk with its header) for reuse of its vector."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
