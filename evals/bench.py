"""Ingest benchmark, measured side by side in one run on the same MultiHop-RAG articles:

  1. the raw encoder alone on exactly the texts our pipeline embeds (the ceiling),
  2. our ingest (load → attribution → chunking → embedding → ChromaDB),
  3. a stock llama-index pipeline: default SentenceSplitter (1024 tokens, 200 overlap) +
     VectorStoreIndex over a Chroma collection, with the same embedding model.

    python -m evals.bench [--articles 60]

Prints articles/s and chunks/s for each, our ratio to the raw encoder (target ≥ 0.9) and to stock
(target ≥ 2), and the machine's core count. Numbers vary with machine load: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

from assistant import Assistant, Settings
from assistant.chunking import index_text
from assistant.ingest import load_file

MULTIHOP = Path(__file__).resolve().parents[2] / "shared" / "data" / "multihop-rag" / "corpus.jsonl"


def sample(n: int, folder: Path) -> Path:
    lines = MULTIHOP.read_text("utf-8").splitlines()
    path = folder / "sample.jsonl"
    path.write_text("\n".join(random.Random(1).sample(lines, min(n, len(lines)))) + "\n", encoding="utf-8")
    return path


def raw_encoder(bot: Assistant, path: Path) -> tuple[float, int]:
    """Seconds to encode exactly what our pipeline embeds (chunk texts with header, and titles)."""
    texts = []
    for article in load_file(path, 10**9).articles:
        article, chunks = bot.indexer.prepare(article)
        texts += [index_text(c) for c in chunks] + [article.title or article.text[:200]]
    bot.embedder.warm_up()
    start = time.perf_counter()
    bot.embedder.embed(texts)
    return time.perf_counter() - start, len(texts)


def stock(path: Path, data_dir: Path, embedder) -> tuple[float, int]:  # noqa: ANN001
    import chromadb
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    records = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    start = time.perf_counter()
    docs = [
        Document(text=r["body"], metadata={"title": r["title"], "source": r["source"], "published_at": r["published_at"], "url": r["url"]})
        for r in records
    ]
    client = chromadb.PersistentClient(path=str(data_dir / "stock"))
    collection = client.get_or_create_collection("stock", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    VectorStoreIndex.from_documents(docs, storage_context=storage, embed_model=embedder)
    return time.perf_counter() - start, collection.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args()
    if not MULTIHOP.exists():
        raise SystemExit(f"{MULTIHOP} not found: the benchmark reads the MultiHop-RAG corpus from ../shared")
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    path = sample(args.articles, folder)
    bot = Assistant(Settings(data_dir=folder / "ours"))
    raw_s, raw_n = raw_encoder(bot, path)
    start = time.perf_counter()
    report = bot.ingest([path])
    ours_s = time.perf_counter() - start
    stock_s, stock_n = stock(path, folder, bot.embedder)
    n = report.articles_added
    print(f"machine: {os.cpu_count()} cores; {n} articles")
    print(f"raw encoder : {raw_n} texts in {raw_s:.1f} s = {raw_n / raw_s:.1f} texts/s ({n / raw_s:.2f} articles/s)")
    print(f"ours        : {report.chunks_added} chunks in {ours_s:.1f} s = {report.chunks_added / ours_s:.1f} chunks/s ({n / ours_s:.2f} articles/s)")
    print(f"stock       : {stock_n} chunks in {stock_s:.1f} s = {stock_n / stock_s:.1f} chunks/s ({n / stock_s:.2f} articles/s)")
    print(f"ours / raw encoder (same texts) : {raw_s / ours_s:.2f}x   (target >= 0.9)")
    print(f"ours / stock (articles/s)       : {stock_s / ours_s:.2f}x   (target >= 2)")


if __name__ == "__main__":
    main()
