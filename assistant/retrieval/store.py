"""ChromaDB storage: one collection of chunks (embedded) and one of articles (text, metadata, quotes).

Embedded (`PersistentClient` under data_dir) by default; a `chroma run` server when chroma_url is set.
Write order makes ingestion crash-safe: an article's chunks are upserted under deterministic ids first,
its article record last. An article counts as stored only once its record exists, so a killed ingest
is simply redone (the upserts overwrite any partial chunks) and nothing is ever duplicated.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import StoreError
from assistant.models import Article, Chunk, Quote
from assistant.text.dates import date_int

_PAGE = 2000
log = logging.getLogger(__name__)


def _meta(values: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata holds no None: unknown stays absent."""
    return {k: v for k, v in values.items() if v is not None}


def index_text(chunk: Chunk) -> str:
    """What BM25 and the embedder see: a short header (outlet, date, title) then the chunk.

    Queries often name outlets and dates ("as reported by TechCrunch in November"), so the header
    carries them; it is not part of the citable text.
    """
    header = " | ".join(
        x for x in (chunk.outlet, chunk.published.isoformat() if chunk.published else None, chunk.title) if x
    )
    return f"{header}\n{chunk.text}" if header else chunk.text


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return _meta(
        {
            "article_id": chunk.article_id,
            "outlet": chunk.outlet,
            "title": chunk.title,
            "published": chunk.published.isoformat() if chunk.published else None,
            "published_int": date_int(chunk.published),
            "url": chunk.url,
            "start": chunk.start,
            "end": chunk.end,
            "speakers": "|" + "|".join(chunk.speakers) + "|" if chunk.speakers else None,
            "quote_ids": json.dumps(list(chunk.quote_ids)) if chunk.quote_ids else None,
        }
    )


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any], score: float = 0.0) -> Chunk:
    published = meta.get("published")
    return Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        outlet=meta.get("outlet"),
        title=meta.get("title"),
        published=dt.date.fromisoformat(published) if published else None,
        url=meta.get("url"),
        speakers=tuple(s for s in (meta.get("speakers") or "").split("|") if s),
        quote_ids=tuple(json.loads(meta["quote_ids"])) if meta.get("quote_ids") else (),
        score=score,
    )


def article_from_record(article_id: str, text: str, meta: dict[str, Any]) -> Article:
    published = meta.get("published")
    quotes = tuple(Quote.model_validate(q) for q in json.loads(meta.get("quotes") or "[]"))
    return Article(
        id=article_id,
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        published=dt.date.fromisoformat(published) if published else None,
        url=meta.get("url"),
        language=meta.get("language"),
        author=meta.get("author"),
        text=text,
        source_path=meta.get("source_path"),
        quotes=quotes,
        page_starts=tuple(json.loads(meta["page_starts"])) if meta.get("page_starts") else (),
    )


def sentence_id(text: str) -> str:
    """A sentence's id in the sentence collection: a hash of its text."""
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@contextmanager
def file_lock(path: Path, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock between processes (fcntl), e.g. two ingests of the same data dir. With wait=False,
    yields False at once (holding nothing) when another holder has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def make_client(settings: Settings) -> Any:
    """An embedded PersistentClient under data_dir, or an HttpClient for ASSISTANT_CHROMA_URL."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise StoreError(
                    f"ASSISTANT_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000."
                )
            client = chromadb.HttpClient(
                host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=chroma_settings
            )
            client.heartbeat()
            return client
        path = settings.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many types; the user needs one message
        where = settings.chroma_url or settings.data_dir
        raise StoreError(
            f"cannot open the ChromaDB store at {where}: {exc}. Is the server running / the folder writable?"
        ) from exc


class Store:
    """Articles and chunks in ChromaDB. Embeddings are always passed in (Chroma never embeds).

    Embedded, ChromaDB does not show one process the writes of another: a long-running reader (`assistant
    serve`) keeps a stale index that misses new vectors or fails ("Error finding id"). Every writer renews the
    data dir's write token before and after writing; when this Store sees a token it did not write, it
    reopens its client (a fresh ChromaDB System for the same folder) before the next read or write.
    """

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self._guard = threading.RLock()
        self._seen = self._token()
        self.reopened = 0  # how many times another writer was noticed (derived caches key on it)
        self._open(client)
        try:
            self.max_batch = int(self.client.get_max_batch_size())
        except Exception:
            self.max_batch = 1000

    def _open(self, client: Any | None = None) -> None:
        """Open the collections; embedded, always through a ChromaDB System of its own: chromadb caches one per
        folder per process, and one opened earlier (by another Store) may predate other processes' writes."""
        space = {"hnsw:space": "cosine"}
        # Two processes creating the same embedded store at once race on its schema: serialise the opening.
        with file_lock(self.settings.data_dir / "store.lock") if not self.settings.chroma_url else nullcontext():
            if client is None and not self.settings.chroma_url:
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient._identifier_to_system.pop(str(self.settings.data_dir / "chroma"), None)
            self.client = client or make_client(self.settings)
            self._chunks = self.client.get_or_create_collection(
                self.settings.chunk_collection, metadata=space, embedding_function=None
            )
            self._articles = self.client.get_or_create_collection(
                self.settings.article_collection, metadata=space, embedding_function=None
            )
            self._sentences = self.client.get_or_create_collection(
                self.settings.sentence_collection, metadata=space, embedding_function=None
            )

    @property
    def chunks(self) -> Any:
        """The chunk collection, current with every other writer of this data dir."""
        self.sync()
        return self._chunks

    @property
    def articles(self) -> Any:
        """The article collection, current with every other writer of this data dir."""
        self.sync()
        return self._articles

    @property
    def sentences(self) -> Any:
        """The sentence-vector collection (keyed by a hash of the text), current with every other writer."""
        self.sync()
        return self._sentences

    def sync(self) -> bool:
        """Reopen the embedded client if another process (or another Store) wrote since this one last looked.

        Returns True when it reopened. A `chroma run` server is one process that sees every write: nothing to do.
        Clients still held by running queries keep working; they are dropped when those queries end.
        """
        if self.settings.chroma_url or self._token() == self._seen:
            return False
        with self._guard:
            token = self._token()  # read before reopening: a write after this is noticed next time
            if token == self._seen:
                return False
            self.reopen()
            self._seen = token
            return True

    def reopen(self) -> None:
        """A fresh ChromaDB System for the same folder; clients still held by running reads keep the old one."""
        if self.settings.chroma_url:
            return
        with self._guard:
            self._open()
            self.reopened += 1
            log.info("store %s was written by another process: reopened", self.settings.data_dir)

    @property
    def _generation_file(self) -> Path:
        return self.settings.data_dir / f"{self.settings.collection}.generation"

    def _token(self) -> str:
        try:
            return self._generation_file.read_text("utf-8").strip()
        except OSError:
            return "0"

    def _touch(self) -> None:
        """A new write token, taken before any write: indexes derived from the chunks (BM25) key on it. Other
        writers are caught up with first, so that this Store never writes through a stale client."""
        import uuid

        with self._guard:
            self.sync()
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            token = uuid.uuid4().hex[:12]
            tmp = self._generation_file.with_suffix(f".{uuid.uuid4().hex}.tmp")
            tmp.write_text(token, encoding="utf-8")
            os.replace(tmp, self._generation_file)
            self._seen = token

    def signature(self) -> str:
        """Changes whenever the chunks change: collection id and this data dir's write token, renewed before
        and after every write. A `chroma run` server may also be written to by other machines, which only its
        chunk count shows; embedded, the count is skipped (76 ms a question at 1M chunks)."""
        token = self._token()
        if self.settings.chroma_url:
            return f"{self.chunks.id.hex}-{self.chunks.count()}-{token}"
        return f"{self.chunks.id.hex}-{token}"

    def has_article(self, article_id: str) -> bool:
        return bool(self.articles.get(ids=[article_id], include=[])["ids"])

    def stored_pipelines(self, article_ids: list[str]) -> dict[str, str]:
        """article id → the pipeline signature it was indexed with (only for stored articles)."""
        found: dict[str, str] = {}
        for i in range(0, len(article_ids), self.max_batch):
            got = self.articles.get(ids=article_ids[i : i + self.max_batch], include=["metadatas"])
            found.update({a: (m or {}).get("pipeline", "") for a, m in zip(got["ids"], got["metadatas"])})
        return found

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, tuple[str, list[float]]]:
        """chunk id → (hash of its embedded text, its vector), for the stored chunks among `chunk_ids`."""
        found: dict[str, tuple[str, list[float]]] = {}
        for i in range(0, len(chunk_ids), self.max_batch):
            got = self.chunks.get(ids=chunk_ids[i : i + self.max_batch], include=["metadatas", "embeddings"])
            for cid, meta, vector in zip(got["ids"], got["metadatas"], got["embeddings"]):
                if (meta or {}).get("text_hash"):
                    found[cid] = (meta["text_hash"], [float(x) for x in vector])
        return found

    def add_article(
        self,
        article: Article,
        chunks: list[Chunk],
        vectors: list[list[float]],
        title_vector: list[float],
        pipeline: str = "",
        hashes: list[str] | None = None,
    ) -> None:
        """Chunks first, article record last (the commit point). `hashes`: of each chunk's embedded text.
        The article's id is noted in the pending file meanwhile, so a killed write is cleaned up next time."""
        self._touch()
        self._pending(article.id)
        stale = [
            i
            for i in self.chunks.get(where={"article_id": article.id}, include=[])["ids"]
            if i not in {c.id for c in chunks}
        ]
        if stale:
            self.chunks.delete(ids=stale)
        for i in range(0, len(chunks), self.max_batch):
            part = chunks[i : i + self.max_batch]
            self.chunks.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[
                    {**chunk_metadata(c), **({"text_hash": hashes[i + j]} if hashes else {})}
                    for j, c in enumerate(part)
                ],
                embeddings=vectors[i : i + self.max_batch],
            )
        meta = _meta(
            {
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
                "published_int": date_int(article.published),
                "url": article.url,
                "language": article.language,
                "author": article.author,
                "source_path": article.source_path,
                "n_chunks": len(chunks),
                "pipeline": pipeline,
                "quotes": json.dumps([q.model_dump() for q in article.quotes], ensure_ascii=False),
                "page_starts": json.dumps(list(article.page_starts)) if article.page_starts else None,
            }
        )
        self.articles.upsert(ids=[article.id], documents=[article.text], metadatas=[meta], embeddings=[title_vector])
        self._pending(None)
        self._touch()  # a reader that rebuilt its index during this write sees a new token, and rebuilds again

    # -- sentence vectors (computed once at ingest; the answer engines score evidence sentences with them) ----
    def add_sentence_vectors(self, texts: list[str], vectors: list[list[float]]) -> None:
        """Store sentence vectors keyed by a hash of the sentence text (the same sentence is stored once)."""
        ids = [sentence_id(t) for t in texts]
        unique = {i: (i, v) for i, v in zip(ids, vectors)}
        rows = list(unique.values())
        for i in range(0, len(rows), self.max_batch):
            part = rows[i : i + self.max_batch]
            self.sentences.upsert(ids=[r[0] for r in part], embeddings=[r[1] for r in part])

    def known_sentences(self, texts: list[str]) -> set[str]:
        """The texts whose vectors are already stored."""
        ids = {sentence_id(t): t for t in texts}
        found: set[str] = set()
        keys = list(ids)
        for i in range(0, len(keys), self.max_batch):
            found |= {ids[k] for k in self.sentences.get(ids=keys[i : i + self.max_batch], include=[])["ids"]}
        return found

    def sentence_vectors(self, texts: list[str]) -> dict[str, Any]:
        """text → stored vector (float32), for the texts stored at ingest; others are absent."""
        import numpy as np

        if not texts:
            return {}
        ids = {sentence_id(t): t for t in texts}
        try:
            got = self.sentences.get(ids=list(ids), include=["embeddings"])
        except Exception:  # an older store without the collection's vectors: the caller embeds
            return {}
        return {ids[i]: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def get_articles(self, ids: list[str]) -> dict[str, Article]:
        if not ids:
            return {}
        got = self.articles.get(ids=list(dict.fromkeys(ids)), include=["documents", "metadatas"])
        return {i: article_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def iter_articles(self) -> Iterator[Article]:
        for ids, docs, metas in self._pages(self.articles):
            for i, d, m in zip(ids, docs, metas):
                yield article_from_record(i, d, m)

    def iter_chunks(self) -> Iterator[Chunk]:
        for ids, docs, metas in self._pages(self.chunks):
            for i, d, m in zip(ids, docs, metas):
                yield chunk_from_record(i, d, m)

    def iter_chunk_pages(self) -> Iterator[tuple[list[Chunk], Any]]:
        """(chunks, their vectors as a float32 array) page by page: what derived indexes are built from."""
        import numpy as np

        offset = 0
        while True:
            got = self.chunks.get(limit=_PAGE * 5, offset=offset, include=["documents", "metadatas", "embeddings"])
            if not got["ids"]:
                return
            chunks = [chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
            yield chunks, np.asarray(got["embeddings"], dtype=np.float32)
            offset += len(chunks)

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self.chunks.get(ids=list(dict.fromkeys(ids)), include=["documents", "metadatas"])
        return {i: chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def speaker_names(self) -> list[str]:
        """Every speaker name stored on chunks (for cross-article identity)."""
        names: list[str] = []
        for _, _, metas in self._pages(self.chunks, include=["metadatas"]):
            names += [n for m in metas for n in (m.get("speakers") or "").split("|") if n]
        return names

    def delete_article(self, article_id: str) -> bool:
        """Record first (so the article stops counting), then its chunks. Callers hold the ingest lock."""
        existed = self.has_article(article_id)
        self._touch()
        self._pending(article_id)
        self.articles.delete(ids=[article_id])
        self.chunks.delete(where={"article_id": article_id})
        self._pending(None)
        self._touch()
        return existed

    @property
    def _pending_file(self) -> Path:
        return self.settings.data_dir / f"{self.settings.collection}.pending"

    def _pending(self, article_id: str | None) -> None:
        """Note the article being written (None: the write is complete)."""
        if article_id is None:
            self._pending_file.unlink(missing_ok=True)
        else:
            self._pending_file.write_text(article_id, encoding="utf-8")

    def purge_unfinished(self) -> int:
        """Remove the chunks of an article whose write was interrupted (killed between its chunks and its
        record, or during a delete); returns how many. Call it holding the ingest lock, never during a write.
        Until then such chunks are never retrieved: the lexical index holds only chunks of stored articles."""
        try:
            article_id = self._pending_file.read_text("utf-8").strip()
        except OSError:
            return 0
        removed = 0
        if article_id and not self.has_article(article_id):
            found = self.chunks.get(where={"article_id": article_id}, include=[])["ids"]
            if found:
                self._touch()
                self.chunks.delete(ids=found)
                removed = len(found)
                self._touch()
        self._pending(None)
        return removed

    def counts(self) -> tuple[int, int]:
        return self.articles.count(), self.chunks.count()

    def article_ids(self) -> set[str]:
        """Ids of the stored article records: an article counts as stored only once its record exists."""
        return {a for ids, _, _ in self._pages(self.articles, include=[]) for a in ids}

    def orphan_chunk_ids(self) -> list[str]:
        """Chunks whose article record is missing (left by an interrupted ingest)."""
        known = self.article_ids()
        return [
            c
            for ids, _, metas in self._pages(self.chunks, include=["metadatas"])
            for c, m in zip(ids, metas)
            if m["article_id"] not in known
        ]

    @staticmethod
    def _pages(collection: Any, include: list[str] | None = None) -> Iterator[tuple[list, list, list]]:
        include = ["documents", "metadatas"] if include is None else include
        offset = 0
        while True:
            got = collection.get(limit=_PAGE, offset=offset, include=include)
            if not got["ids"]:
                return
            n = len(got["ids"])
            yield got["ids"], got.get("documents") or [None] * n, got.get("metadatas") or [None] * n
            offset += n
