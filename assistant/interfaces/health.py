"""What whoever runs the app needs to watch it: `/healthz` (store reachable, models loaded, article count) and
`/metrics` counters in the Prometheus text format (questions, refusals, dropped statements, latency).

Counters live in this process (one `Metrics` per served app): behind several workers, scrape each one.
Nothing here loads a model or touches the store's contents beyond counting them, so a health probe stays
cheap (one count request to the store).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from assistant.core import Assistant
from assistant.models import Answer

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)  # seconds
_HELP = {
    "assistant_questions_total": ("counter", "Questions answered or refused, by channel (web, api)."),
    "assistant_refusals_total": ("counter", "Answers that were the fixed refusal."),
    "assistant_dropped_statements_total": ("counter", "Draft statements removed by the citation verifier."),
    "assistant_citations_total": ("counter", "Citations returned in answers."),
    "assistant_answer_errors_total": ("counter", "Questions that failed with an error (bad input or internal)."),
    "assistant_busy_total": ("counter", "API requests turned away because every answer slot stayed busy."),
    "assistant_ingested_articles_total": ("counter", "Articles added through the HTTP API."),
    "assistant_feedback_total": ("counter", "Ratings given to answers, by rating (up, down, cleared)."),
    "assistant_answers_in_progress": ("gauge", "Answers being computed now."),
    "assistant_answer_latency_seconds": ("histogram", "Time from the question to the complete Answer."),
}


class Metrics:
    """Thread-safe counters and one latency histogram, rendered in the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._buckets = [0] * (len(LATENCY_BUCKETS) + 1)
        self._latency_sum = 0.0
        self.started = time.time()

    def inc(self, name: str, amount: float = 1, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            self._values[key] = self._values.get(key, 0) + amount

    def value(self, name: str, **labels: str) -> float:
        with self._lock:
            return self._values.get((name, tuple(sorted(labels.items()))), 0)

    def total(self, name: str) -> float:
        """Sum of a counter over all its labels."""
        with self._lock:
            return sum(v for (n, _), v in self._values.items() if n == name)

    def observe_answer(self, answer: Answer, seconds: float, channel: str) -> None:
        self.inc("assistant_questions_total", channel=channel)
        self.inc("assistant_refusals_total", int(answer.refused), channel=channel)
        self.inc("assistant_dropped_statements_total", len(answer.dropped_sentences), channel=channel)
        self.inc("assistant_citations_total", len(answer.citations), channel=channel)
        index = next((i for i, b in enumerate(LATENCY_BUCKETS) if seconds <= b), len(LATENCY_BUCKETS))
        with self._lock:
            self._buckets[index] += 1
            self._latency_sum += seconds

    def render(self) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        with self._lock:
            values, buckets, latency_sum = dict(self._values), list(self._buckets), self._latency_sum
        lines = []
        for name, (kind, text) in _HELP.items():
            lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
            if kind == "histogram":
                lines += _histogram(name, buckets, latency_sum)
                continue
            samples = [(labels, v) for (n, labels), v in sorted(values.items()) if n == name] or [((), 0)]
            lines += [f"{name}{_labels(labels)} {_number(v)}" for labels, v in samples]
        lines.append(f"assistant_uptime_seconds {time.time() - self.started:.1f}")
        return "\n".join(lines) + "\n"


def _labels(labels: Iterable[tuple[str, str]]) -> str:
    pairs = [f'{k}="{_label_value(v)}"' for k, v in labels]
    return "{" + ",".join(pairs) + "}" if pairs else ""


def _label_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _histogram(name: str, buckets: list[int], total_seconds: float) -> list[str]:
    lines, running = [], 0
    for bound, count in zip((*LATENCY_BUCKETS, float("inf")), buckets):
        running += count
        le = "+Inf" if bound == float("inf") else f"{bound:g}"
        lines.append(f'{name}_bucket{{le="{le}"}} {running}')
    return lines + [f"{name}_sum {total_seconds:.6f}", f"{name}_count {running}"]


def models_loaded(bot: Assistant) -> dict[str, bool]:
    """Which models are in memory now (never loads one): the embedder, spaCy, and the answer engine."""
    from assistant.text.nlp import pipeline

    embedder = bot.__dict__.get("embedder")  # a cached_property that was never used is not loaded
    return {
        "embedder": bool(embedder is not None and embedder.loaded),
        "spacy": pipeline.cache_info().currsize > 0,
        "engine": "engine" in bot.__dict__,
    }


def health(bot: Assistant, metrics: Metrics | None = None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 200 when the store answers and the embedder is loaded, else 503 with the reason."""
    body: dict[str, Any] = {"store": {"kind": "server" if bot.settings.chroma_url else "embedded"}}
    try:
        articles, chunks = bot.store.counts()
        body["store"] |= {"reachable": True}
        body |= {"articles": articles, "chunks": chunks}
    except Exception as exc:  # any client error means "not reachable"; the reason goes in the body
        body["store"] |= {"reachable": False, "error": str(exc)[:300]}
        body |= {"articles": None, "chunks": None}
    body["models"] = models_loaded(bot)
    body["engine"] = bot.settings.engine
    problems = [] if body["store"]["reachable"] else ["store unreachable"]
    problems += [] if body["models"]["embedder"] else ["embedding model not loaded"]
    body["status"] = "ok" if not problems else "unavailable: " + ", ".join(problems)
    if metrics is not None:
        body["uptime_s"] = round(time.time() - metrics.started, 1)
        body["questions"] = int(metrics.total("assistant_questions_total"))
    return (200 if not problems else 503), body
