"""Ingest benchmark, measured side by side in one run on the same MultiHop-RAG articles:

  1. the raw encoder alone on exactly the texts our pipeline embeds (the ceiling),
  2. our ingest (load → attribution → chunking → embedding → ChromaDB),
  3. a stock llama-index pipeline: default SentenceSplitter (1024 tokens, 200 overlap) +
     VectorStoreIndex over a Chroma collection, with the same embedding model.

    python -m evals.benchmarks.ingest [--articles 60] [--repeat 2]

Prints articles/s and chunks/s for each, our ratio to the raw encoder (target ≥ 0.9) and to stock
(target ≥ 2), the wordpieces each pipeline makes the encoder read (the model reads at most 256 per text),
and the machine's core count. With --repeat the three are measured again (fresh stores) and the median
ratio is printed. Numbers vary with machine load: compare ratios, not seconds.
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
from assistant.evals.data import multihop_dir
from assistant.ingest.loaders import load_file
from assistant.retrieval.store import index_text

MULTIHOP = multihop_dir() / "corpus.jsonl"


def sample(n: int, folder: Path) -> Path:
    lines = MULTIHOP.read_text("utf-8").splitlines()
    path = folder / "sample.jsonl"
    path.write_text("\n".join(random.Random(1).sample(lines, min(n, len(lines)))) + "\n", encoding="utf-8")
    return path


def wordpieces(bot: Assistant, texts: list[str]) -> int:
    """What the encoder actually reads: wordpieces per text, capped at the model's window."""
    tokenizer, window = bot.embedder.model.tokenizer, bot.embedder.model.max_seq_length
    return sum(min(window, len(ids)) for ids in tokenizer(texts, add_special_tokens=True)["input_ids"])


def our_texts(bot: Assistant, path: Path) -> list[str]:
    """Exactly what our pipeline embeds (chunk texts with header, and titles)."""
    texts = []
    for article in load_file(path, 10**9).articles:
        article, chunks = bot.indexer.prepare(article)
        texts += [index_text(c) for c in chunks] + [article.title or article.text[:200]]
    return texts


def stock_texts(path: Path) -> list[str]:
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode

    records = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    docs = [
        Document(
            text=r["body"],
            metadata={"title": r["title"], "source": r["source"], "published_at": r["published_at"], "url": r["url"]},
        )
        for r in records
    ]
    return [n.get_content(metadata_mode=MetadataMode.EMBED) for n in SentenceSplitter().get_nodes_from_documents(docs)]


def raw_encoder(bot: Assistant, texts: list[str]) -> float:
    """Seconds to encode exactly what our pipeline embeds."""
    bot.embedder.warm_up()
    start = time.perf_counter()
    bot.embedder.embed(texts)
    return time.perf_counter() - start


def stock(path: Path, data_dir: Path, embedder) -> tuple[float, int]:
    import chromadb
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    records = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    start = time.perf_counter()
    docs = [
        Document(
            text=r["body"],
            metadata={"title": r["title"], "source": r["source"], "published_at": r["published_at"], "url": r["url"]},
        )
        for r in records
    ]
    client = chromadb.PersistentClient(path=str(data_dir))
    collection = client.get_or_create_collection("stock", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    VectorStoreIndex.from_documents(docs, storage_context=storage, embed_model=embedder)
    return time.perf_counter() - start, collection.count()


def retrieval(store: Path, collection: str, n: int, embedder) -> None:
    """Hits@4/10, MRR@10 on a stratified sample of MultiHop-RAG dev queries: ours (an ingested store of the
    full corpus, copied) vs a stock llama-index VectorStoreIndex over the full corpus (ingested here)."""
    import shutil

    from assistant.evals.metrics import retrieval_metrics
    from assistant.evals.suites import multihop_queries
    from assistant.models import Chunk

    folder = Path(tempfile.mkdtemp(prefix="bench-ret-"))
    shutil.copytree(store, folder / "ours")
    bot = Assistant(Settings(data_dir=folder / "ours", collection=collection))
    queries = [q for q in multihop_queries(n) if q["question_type"] != "null_query"]
    stock_s, _ = stock(MULTIHOP, folder / "stock", embedder)
    import chromadb
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    collection_ = chromadb.PersistentClient(path=str(folder / "stock")).get_collection("stock")
    retriever = VectorStoreIndex.from_vector_store(
        ChromaVectorStore(chroma_collection=collection_), embed_model=embedder
    ).as_retriever(similarity_top_k=10)
    rows = {"ours": [], "stock": []}
    for q in queries:
        facts = [e["fact"] for e in q["evidence_list"]]
        rows["ours"].append(retrieval_metrics(facts, bot.retrieve(q["query"], top_k=10)))
        hits = retriever.retrieve(q["query"])
        as_chunks = [Chunk(id=h.node.node_id, article_id="-", text=h.node.get_content(), start=0, end=1) for h in hits]
        rows["stock"].append(retrieval_metrics(facts, as_chunks))
    print(
        f"retrieval on {len(queries)} answerable MultiHop-RAG dev queries (stratified sample), full 609-article corpus "
        f"(stock ingest of the corpus: {stock_s:.0f} s):"
    )
    for name, metrics in rows.items():
        mean = {k: sum(r[k] for r in metrics) / len(metrics) for k in metrics[0]}
        print(f"  {name:6}: " + ", ".join(f"{k} {v:.3f}" for k, v in mean.items()))


def main() -> None:
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure the three pipelines this many times, side by side"
    )
    parser.add_argument(
        "--retrieval",
        type=Path,
        metavar="STORE",
        help="also compare retrieval: a data dir with the full corpus ingested (copied, not written)",
    )
    parser.add_argument("--collection", default="news_multihop", help="collection prefix in the --retrieval store")
    parser.add_argument("--queries", type=int, default=200, help="dev queries for --retrieval (stratified by type)")
    args = parser.parse_args()
    if not MULTIHOP.exists():
        raise SystemExit(f"{MULTIHOP} not found: the benchmark reads the MultiHop-RAG corpus from ../shared")
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    path = sample(args.articles, folder)
    probe = Assistant(Settings(data_dir=folder / "probe"))
    texts = our_texts(probe, path)
    ours_wp, stock_wp = wordpieces(probe, texts), wordpieces(probe, stock_texts(path))
    vs_raw, vs_stock = [], []
    for run in range(args.repeat):
        bot = Assistant(Settings(data_dir=folder / f"ours{run}"))
        raw_s = raw_encoder(bot, texts)
        start = time.perf_counter()
        report = bot.ingest([path])
        ours_s = time.perf_counter() - start
        stock_s, stock_n = stock(path, folder / f"stock{run}", bot.embedder)
        n = report.articles_added
        load = os.getloadavg()[0]
        print(f"run {run + 1}: machine {os.cpu_count()} cores, load average {load:.1f}; {n} articles")
        print(
            f"  raw encoder : {len(texts)} texts in {raw_s:.1f} s = {len(texts) / raw_s:.1f} texts/s "
            f"({n / raw_s:.2f} articles/s)"
        )
        print(
            f"  ours        : {report.chunks_added} chunks in {ours_s:.1f} s = {report.chunks_added / ours_s:.1f} "
            f"chunks/s ({n / ours_s:.2f} articles/s)"
        )
        print(
            f"  stock       : {stock_n} chunks in {stock_s:.1f} s = {stock_n / stock_s:.1f} chunks/s "
            f"({n / stock_s:.2f} articles/s)"
        )
        print(f"  ours / raw encoder (same texts) : {raw_s / ours_s:.2f}x   (target >= 0.9)")
        print(f"  ours / stock (articles/s)       : {stock_s / ours_s:.2f}x   (target >= 2)")
        vs_raw.append(raw_s / ours_s)
        vs_stock.append(stock_s / ours_s)
    print(
        f"wordpieces read by the encoder: ours {ours_wp:,} ({len(texts)} texts), stock {stock_wp:,} "
        f"= {ours_wp / stock_wp:.1f}x stock's"
    )
    print(
        f"median over {args.repeat} run(s): ours / raw encoder {statistics.median(vs_raw):.2f}x, ours / stock "
        f"{statistics.median(vs_stock):.2f}x"
    )
    if args.retrieval:
        retrieval(args.retrieval, args.collection, args.queries, probe.embedder)


if __name__ == "__main__":
    main()
