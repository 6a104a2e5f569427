"""Query latency, memory and cold start at 10k / 100k / 1M chunks, side by side with stock llama-index.

    python -m evals.benchmarks.scale [--sizes 10000,100000] [--queries 40] [--dir /tmp/bench-scale] [--cold]

Synthetic corpora are made from the real one: the chunks, article records and vectors of a store holding
the ingested MultiHop-RAG corpus (`--source`, a data dir: default /work/mh-store; `--source-collection`,
default news_multihop; it is copied, never written) are replicated until the size is reached. Replica r of an
article gets a new id, and its chunk vectors are the real ones plus Gaussian noise, re-normalised (cosine ≈ 0.9 to the
original), or random unit vectors with `--random-vectors`. Stores are written at Chroma's max batch size
and cached under --dir, so re-runs only measure.

Sentence vectors stored at ingest (the source store's sentence collection) are copied once: replicas
share their texts, so every evidence sentence finds its stored vector.

Per size, in a fresh process each (so peak RSS is that size's):
  * build   : seconds to write the synthetic store (first run only), and to build + persist the BM25
              index, then to load the persisted index in a new process;
  * ours    : `Assistant.retrieve` (top 6) and `Assistant.ask` (extractive engine: retrieval + drafting +
              citation checks), warm p50/p95 over MultiHop-RAG dev queries (they name outlets and dates,
              which adds filtered rankings); the question is embedded afresh in every timed call, and `ask`
              keeps nothing from the `retrieve` of the same question; beside each wall time, the CPU time of
              the process for the same calls (wall well above CPU = waiting for a core on a shared machine);
              `--answers DIR` writes every answer, to compare two versions (evals.benchmarks.same_answers);
  * stock   : llama-index `VectorStoreIndex.from_vector_store` over the same Chroma chunk collection +
              `CitationQueryEngine` with `MockLLM` (a scripted fake LLM), same queries, warm p50/p95;
  * cold    : (--cold) a fresh `assistant ask` process, start → exit; and the web app
              (`assistant serve`) start → first HTTP 200 → first answer through its /ask API.
Numbers vary with machine load (the machine is shared): compare columns of one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.evals.data import multihop_dir

MULTIHOP = multihop_dir()
SOURCE = Path("/work/mh-store")
SOURCE_COLLECTION = "news_multihop"
ROOT = Path(__file__).resolve().parents[2]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def queries(n: int) -> list[str]:
    rows = [json.loads(x) for x in (MULTIHOP / "queries-dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    by_type: dict[str, list[str]] = {}
    for row in rows:
        by_type.setdefault(row["question_type"], []).append(row["query"])
    rng, picked = random.Random(8), []
    for group in by_type.values():  # stratified by question type
        picked += rng.sample(group, max(1, round(n * len(group) / len(rows))))
    rng.shuffle(picked)
    return picked[:n]


# -- building the synthetic stores ------------------------------------------------------------------
def read_source(source: Path, work: Path, collection: str = SOURCE_COLLECTION) -> dict:
    """Chunks and articles (with vectors) of the real store, read from a private copy."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    copy = work / "source-copy"
    if not copy.exists():
        shutil.copytree(source, copy)
    client = chromadb.PersistentClient(path=str(copy / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    out = {}
    for kind in ("chunks", "articles"):
        got = client.get_collection(f"{collection}_{kind}").get(include=["documents", "metadatas", "embeddings"])
        out[kind] = got
    try:  # sentence vectors stored at ingest (pipeline v4+): keyed by sentence text, so replicas share them
        out["sentences"] = client.get_collection(f"{collection}_sentences").get(include=["embeddings"])
    except Exception:
        out["sentences"] = None
    return out


def replica_id(article_id: str, r: int) -> str:
    return article_id if r == 0 else f"{article_id[:11]}r{r:04x}"


def build_store(size: int, data_dir: Path, src: dict, random_vectors: bool) -> float:
    """Writes `size` chunks (and their article records) into data_dir's default collections; seconds taken."""
    import numpy as np

    from assistant import Settings
    from assistant.retrieval.store import Store

    store = Store(Settings(data_dir=data_dir))
    if store.chunks.count():
        raise SystemExit(f"{data_dir} holds a partial store; delete it and re-run")
    rng = np.random.default_rng(size)
    chunks, articles = src["chunks"], src["articles"]
    cvec = np.asarray(chunks["embeddings"], dtype=np.float32)
    avec = np.asarray(articles["embeddings"], dtype=np.float32)
    article_index = {a: i for i, a in enumerate(articles["ids"])}
    batch = store.max_batch
    started = time.perf_counter()
    written, r = 0, 0
    pending: dict[str, list] = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}

    def flush() -> None:
        if pending["ids"]:
            store.chunks.add(**pending)
            for key in pending:
                pending[key] = []

    while written < size:
        seen_articles: set[str] = set()
        for i, cid in enumerate(chunks["ids"]):
            if written >= size:
                break
            meta = dict(chunks["metadatas"][i])
            old = meta["article_id"]
            new = replica_id(old, r)
            meta["article_id"] = new
            if meta.get("quote_ids"):
                meta["quote_ids"] = meta["quote_ids"].replace(old, new)
            if random_vectors:
                vector = rng.standard_normal(384).astype(np.float32)
            else:
                vector = cvec[i] + (rng.standard_normal(384).astype(np.float32) * 0.025 if r else 0)
            vector /= np.linalg.norm(vector)
            pending["ids"].append(cid.replace(old, new))
            pending["documents"].append(chunks["documents"][i])
            pending["metadatas"].append(meta)
            pending["embeddings"].append(vector)
            written += 1
            seen_articles.add(old)
            if len(pending["ids"]) >= batch:
                flush()
        flush()
        ids, docs, metas, vecs = [], [], [], []
        for old in seen_articles:  # article records after their chunks, as the real ingest does
            j = article_index[old]
            new = replica_id(old, r)
            meta = dict(articles["metadatas"][j])
            meta["quotes"] = meta.get("quotes", "[]").replace(old, new)
            ids.append(new)
            docs.append(articles["documents"][j])
            metas.append(meta)
            vecs.append(avec[j])
        for k in range(0, len(ids), batch):
            store.articles.add(
                ids=ids[k : k + batch],
                documents=docs[k : k + batch],
                metadatas=metas[k : k + batch],
                embeddings=vecs[k : k + batch],
            )
        r += 1
        print(f"  wrote {written} chunks ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    if src.get("sentences") is not None:  # same texts in every replica: the sentence vectors are stored once
        sent = src["sentences"]
        for k in range(0, len(sent["ids"]), batch):
            store.sentences.add(ids=sent["ids"][k : k + batch], embeddings=sent["embeddings"][k : k + batch])
    store._touch()
    return time.perf_counter() - started


# -- one size, measured in a child process ------------------------------------------------------------
def fresh_question(bot) -> None:
    """Forget what the previous call cached for its own question: the question vectors, and the chunk records
    read back for its rankings (kept per index version since 2026-12-01; absent before)."""
    bot.embedder._single = None
    records = getattr(bot.retriever, "_records", None)
    if records is not None:
        records.clear()


def measure(data_dir: Path, n_queries: int, peer: bool) -> dict:
    """Runs inside a fresh process: BM25 build/load, our warm latency, stock latency, peak RSS."""
    from assistant import Assistant, Settings
    from assistant.retrieval.hybrid import HybridRetriever

    result: dict = {}
    bot = Assistant(Settings(data_dir=data_dir))
    bot.embedder.warm_up()
    result["chunks"] = bot.store.chunks.count()
    result["articles"] = bot.store.articles.count()
    shutil.rmtree(data_dir / "bm25", ignore_errors=True)
    start = time.perf_counter()
    bot.retriever._refresh()
    result["bm25_build_s"] = time.perf_counter() - start
    result["rss_after_build_mb"] = peak_rss_mb()
    start = time.perf_counter()
    fresh = HybridRetriever(bot.store, bot.embedder, bot.settings.dense_weight)
    fresh._refresh()
    result["bm25_load_s"] = time.perf_counter() - start
    bot.__dict__["retriever"] = fresh  # serve from the loaded (memory-mapped) index, as a new process would
    del fresh
    qs = queries(n_queries)
    bot.warm_up()  # the embedder, the indexes and spaCy, as a server does before its first question
    bot.ask(qs[0])
    ours, retrieval, ours_cpu, retrieval_cpu, answers = [], [], [], [], []
    result["load_before"] = os.getloadavg()[0]
    for q in qs:  # the question-vector cache is emptied before every timed call: each one embeds its question
        fresh_question(bot)
        start, cpu = time.perf_counter(), time.process_time()
        bot.retrieve(q)
        retrieval.append(time.perf_counter() - start)
        retrieval_cpu.append(time.process_time() - cpu)
        fresh_question(bot)  # and `ask` gets nothing from the `retrieve` of the same question just before it
        start, cpu = time.perf_counter(), time.process_time()
        answer = bot.ask(q)
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
        answers.append({"question": q, "answer": answer.model_dump(mode="json")})
    result["load_after"] = os.getloadavg()[0]
    result["ours"] = ours
    result["retrieve"] = retrieval
    # CPU seconds of this process (all its threads) per call: on a shared machine, wall time well above it is
    # time spent waiting for a core
    result["ours_cpu"] = ours_cpu
    result["retrieve_cpu"] = retrieval_cpu
    result["answers"] = answers
    if peer:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=bot.store.chunks), embed_model=bot.embedder
        )
        engine = CitationQueryEngine.from_args(index, llm=MockLLM(max_tokens=64), similarity_top_k=bot.settings.top_k)
        engine.query(qs[0])
        stock = []
        for q in qs:
            bot.embedder._single = None
            start = time.perf_counter()
            engine.query(q)
            stock.append(time.perf_counter() - start)
        result["stock"] = stock
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def child_rss(proc: subprocess.Popen) -> float:
    """Wait for a child; its peak RSS in MB."""
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024


def cold_cli(data_dir: Path, question: str) -> tuple[float, float]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ask", "--json", question],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rss = child_rss(proc)
    return time.perf_counter() - start, rss


def cold_web(data_dir: Path, question: str) -> tuple[float, float, float]:
    """`assistant serve` start → first HTTP 200 on / → first answer from its /ask API. Seconds; peak RSS MB."""
    import socket
    import urllib.request

    from gradio_client import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status == 200:
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - start > 900:
                    raise SystemExit("the web app did not start") from None
                time.sleep(0.2)
        http = time.perf_counter() - start
        Client(f"http://127.0.0.1:{port}/", verbose=False).predict(question, "", "", "", "", api_name="/ask")
        answer = time.perf_counter() - start
    finally:
        proc.terminate()
    rss = child_rss(proc)
    return http, answer, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000", help="comma-separated chunk counts, e.g. 10000,100000,1000000"
    )
    parser.add_argument("--queries", type=int, default=40, help="MultiHop-RAG dev queries (stratified by type)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench-scale",
        help="where synthetic stores are cached",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help="a store with the ingested MultiHop-RAG corpus: a data dir with chroma/ (copied, never written)",
    )
    parser.add_argument(
        "--source-collection",
        default=SOURCE_COLLECTION,
        help="the collection prefix in --source (e.g. news_multihop: news_multihop_chunks, _articles, _sentences)",
    )
    parser.add_argument(
        "--random-vectors", action="store_true", help="random unit vectors instead of perturbed real ones"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the stock llama-index CitationQueryEngine")
    parser.add_argument("--cold", action="store_true", help="also measure cold CLI ask and web app start")
    parser.add_argument(
        "--answers", type=Path, help="write each size's answers (and timings) to ANSWERS/n<size>.json, to compare runs"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one size, in its own process
        print(json.dumps(measure(args.child, args.queries, not args.no_peer)))
        return
    if not (MULTIHOP / "queries-dev.jsonl").exists() or not (args.source / "chroma").exists():
        raise SystemExit(f"needs {MULTIHOP}/queries-dev.jsonl and an ingested store at {args.source} (see --source)")
    args.dir.mkdir(parents=True, exist_ok=True)
    src = None
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        data_dir = args.dir / f"n{size}{'-random' if args.random_vectors else ''}"
        marker = data_dir / "synthetic.json"
        if not marker.exists():
            shutil.rmtree(data_dir, ignore_errors=True)
            src = src or read_source(args.source, args.dir, args.source_collection)
            print(f"building {size} chunks in {data_dir} …", file=sys.stderr, flush=True)
            seconds = build_store(size, data_dir, src, args.random_vectors)
            marker.write_text(json.dumps({"size": size, "build_s": seconds}))
        build_s = json.loads(marker.read_text())["build_s"]
        print(f"measuring {size} …", file=sys.stderr, flush=True)
        cmd = [sys.executable, "-m", "evals.benchmarks.scale", "--child", str(data_dir), "--queries", str(args.queries)]
        out = subprocess.run(cmd + (["--no-peer"] if args.no_peer else []), cwd=ROOT, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(out.stderr[-3000:])
        row = json.loads(out.stdout.strip().splitlines()[-1]) | {"size": size, "store_build_s": build_s}
        if args.answers:
            args.answers.mkdir(parents=True, exist_ok=True)
            (args.answers / f"n{size}.json").write_text(json.dumps(row, indent=1), encoding="utf-8")
        if args.cold:
            q = queries(1)[0]
            row["cold_cli_s"], row["cold_cli_rss_mb"] = cold_cli(data_dir, q)
            row["web_http_s"], row["web_answer_s"], row["web_rss_mb"] = cold_web(data_dir, q)
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if not isinstance(v, list)}), file=sys.stderr, flush=True)
    load = os.getloadavg()
    print(
        f"\nmachine: {os.cpu_count()} cores; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1/5/15 min); "
        f"{args.queries} MultiHop-RAG dev queries; {'random' if args.random_vectors else 'perturbed real'} vectors"
    )
    ms = lambda xs, q: f"{percentile(xs, q) * 1000:.0f}"  # noqa: E731
    head = (
        "| chunks | articles | store build s | BM25 build s | BM25 load s | ours ask p50/p95 ms (CPU ms) | ours "
        "retrieve p50/p95 ms (CPU ms) | stock CitationQueryEngine p50/p95 ms | peak RSS MB | load 1 min before/after |"
    )
    print(head + (" cold CLI ask s (RSS MB) | web: first 200 s / first answer s (RSS MB) |" if args.cold else ""))
    print("|" + "---|" * (head.count("|") - 1 + (2 if args.cold else 0)))
    for r in rows:
        stock = f"{ms(r['stock'], 0.5)} / {ms(r['stock'], 0.95)}" if r.get("stock") else "–"
        line = (
            f"| {r['size']:,} | {r['articles']:,} | {r['store_build_s']:.0f} | {r['bm25_build_s']:.1f} | "
            f"{r['bm25_load_s']:.2f} | "
            f"{ms(r['ours'], 0.5)} / {ms(r['ours'], 0.95)} ({ms(r['ours_cpu'], 0.5)} / {ms(r['ours_cpu'], 0.95)}) | "
            f"{ms(r['retrieve'], 0.5)} / {ms(r['retrieve'], 0.95)} "
            f"({ms(r['retrieve_cpu'], 0.5)} / {ms(r['retrieve_cpu'], 0.95)}) | "
            f"{stock} | {r['peak_rss_mb']:.0f} | {r['load_before']:.1f} / {r['load_after']:.1f} |"
        )
        if args.cold:
            line += (
                f" {r['cold_cli_s']:.1f} ({r['cold_cli_rss_mb']:.0f}) | "
                f"{r['web_http_s']:.1f} / {r['web_answer_s']:.1f} ({r['web_rss_mb']:.0f}) |"
            )
        print(line)


if __name__ == "__main__":
    main()
