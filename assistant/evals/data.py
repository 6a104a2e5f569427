"""Where the evaluation data lives: gold sets and the seed report ship inside the package (so `assistant eval`
works from an installed wheel); MultiHop-RAG is never shipped and is looked up where the user says.

MultiHop-RAG (Tang & Yang, 2024; ODC-BY) comes from https://github.com/yixuantt/MultiHop-RAG (`dataset/`):
`corpus.json` converted to `corpus.jsonl` (one article per line) and the dev queries as `queries-dev.jsonl`.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

MULTIHOP_FILES = ("corpus.jsonl", "queries-dev.jsonl")
MULTIHOP_SOURCE = "https://github.com/yixuantt/MultiHop-RAG (dataset/), converted to corpus.jsonl + queries-dev.jsonl"


def gold_dir() -> Path:
    """The packaged gold data (a real folder: setuptools installs package data as files)."""
    return Path(str(resources.files("assistant.evals") / "gold"))


def seed_article() -> Path:
    """The founding report, as shipped in `corpus/` (a packaged copy, so installed wheels have it too)."""
    return gold_dir() / "seed" / "2024-11-30-hts-aleppo.md"


def multihop_dir(explicit: Path | None = None) -> Path:
    """The MultiHop-RAG folder: the one given, else ASSISTANT_MULTIHOP_DIR, else ../shared/data/multihop-rag
    next to the working directory or next to this source tree (a development checkout)."""
    if explicit is not None:
        return Path(explicit).expanduser()
    if os.environ.get("ASSISTANT_MULTIHOP_DIR"):
        return Path(os.environ["ASSISTANT_MULTIHOP_DIR"]).expanduser()
    candidates = [Path.cwd().parent / "shared" / "data" / "multihop-rag"]
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "data" / "multihop-rag")
    return next((c for c in candidates if (c / "corpus.jsonl").exists()), candidates[0])


def multihop_missing(folder: Path) -> str | None:
    """A message naming what is missing and where to get it, or None when the folder is complete."""
    absent = [name for name in MULTIHOP_FILES if not (folder / name).exists()]
    if not absent:
        return None
    return (
        f"MultiHop-RAG not found in {folder} (missing {', '.join(absent)}); get it from {MULTIHOP_SOURCE} "
        "and pass --data DIR or set ASSISTANT_MULTIHOP_DIR"
    )
