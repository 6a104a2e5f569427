"""LLM construction: a llama-index LLM for the `llm` engine, chosen by settings.

- `llm_base_url` (+ `llm_model`, `llm_api_key`): any OpenAI-compatible server — Ollama
  (http://127.0.0.1:11434/v1), vLLM, llama.cpp's llama-server, or a hosted API. The key comes from
  ASSISTANT_LLM_API_KEY (a SecretStr), or from OPENAI_API_KEY when the base URL is https://api.openai.com
  (never sent anywhere else); local servers accept any key.
- `llm_model_path`: a GGUF file run in-process by xllamacpp (prebuilt llama.cpp from PyPI), which serves
  an OpenAI-compatible endpoint on 127.0.0.1 only. `scripts/install_llm.sh` (`make llm`) installs both.
  One server per model file per process, shared by every Assistant; one slot, so the prompt prefix
  cached by llama.cpp (system prompt, earlier evidence) is reused from one question to the next.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import ConfigError

log = logging.getLogger(__name__)

MAX_TOKENS = 200
CONTEXT_TOKENS = 4096
TIMEOUT_S = 600.0
_servers: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


def llm_configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url or settings.llm_model_path)


def local_server(model_path: Path, context: int = CONTEXT_TOKENS, threads: int | None = None) -> str:
    """Start (once per process) an xllamacpp server for a GGUF file; returns its http://127.0.0.1:port."""
    path = Path(model_path).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"ASSISTANT_LLM_MODEL_PATH={path} does not exist; run `make llm` (scripts/install_llm.sh) "
            "and set the path it prints."
        )
    key = (str(path.resolve()), context)
    with _lock:
        if key not in _servers:
            try:
                import xllamacpp
            except ImportError:
                raise ConfigError(
                    "the embedded model needs xllamacpp: run `make llm` (or `pip install xllamacpp`)."
                ) from None
            params = xllamacpp.CommonParams()
            params.model.path = str(path)
            params.n_ctx = context
            params.n_parallel = 1  # one slot: its KV cache keeps the shared prompt prefix between turns
            params.cache_prompt = True
            params.hostnames = ["127.0.0.1"]
            params.port = 0  # any free port, loopback only
            threads = threads or max(1, min(os.cpu_count() or 1, 4))
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.verbosity = -1
            try:
                _servers[key] = xllamacpp.Server(params)
            except Exception as exc:
                raise ConfigError(f"could not load the model {path}: {exc}") from None
            log.info("local LLM %s served at %s", path.name, _servers[key].listening_address)
        return str(_servers[key].listening_address)


def _close_servers() -> None:
    with _lock:
        _servers.clear()  # the Server's destructor stops its loop


atexit.register(_close_servers)


OPENAI_HOST = "api.openai.com"


def api_key(settings: Settings) -> str:
    """ASSISTANT_LLM_API_KEY; OPENAI_API_KEY only when the base URL is OpenAI's own API (it must never be sent to
    another host); otherwise a placeholder, which local servers accept."""
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    host = (urlparse(settings.llm_base_url or "").hostname or "").lower()
    if host == OPENAI_HOST and os.environ.get("OPENAI_API_KEY"):
        return os.environ["OPENAI_API_KEY"]
    return "not-needed"


def build_llm(settings: Settings, max_tokens: int = MAX_TOKENS) -> Any:
    """The llama-index LLM for the settings (OpenAILike over a server, or the embedded model's server)."""
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise ConfigError("ASSISTANT_ENGINE=llm needs llama-index-llms-openai-like: run `make llm`.") from None
    if settings.llm_base_url:
        base = settings.llm_base_url.rstrip("/")
        model = settings.llm_model or "default"
        key = api_key(settings)
    elif settings.llm_model_path:
        base = local_server(settings.llm_model_path, threads=settings.llm_threads) + "/v1"
        model = settings.llm_model or Path(settings.llm_model_path).stem
        key = "local"
    else:
        raise ConfigError(
            "ASSISTANT_ENGINE=llm needs a model: set ASSISTANT_LLM_BASE_URL (+ ASSISTANT_LLM_MODEL, "
            "ASSISTANT_LLM_API_KEY) for an OpenAI-compatible server, or ASSISTANT_LLM_MODEL_PATH for a local "
            "GGUF (install one with `make llm`)."
        )
    return OpenAILike(
        api_base=base,
        model=model,
        api_key=key,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=CONTEXT_TOKENS,
        max_tokens=max_tokens,
        temperature=0.0,
        timeout=TIMEOUT_S,
        max_retries=1,
    )
