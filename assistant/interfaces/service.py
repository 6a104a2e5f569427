"""Every answer the served app computes goes through one `AnswerService`: a concurrency limit shared by the
web chat and the HTTP API, a request id per answer, one structured log line per answer, and the metrics.

The log line is JSON (with `serve --log-json`) so that a log shipper can index it; it never holds the
question text (journalists' questions can be sensitive) — only its length and a short hash, the counts and
the latency — except at DEBUG level.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator

from assistant.errors import AssistantError
from assistant.interfaces.health import Metrics
from assistant.models import Answer

log = logging.getLogger("assistant.answers")
REQUEST_ID = contextvars.ContextVar("request_id", default="")
_GOOD_ID = re.compile(r"^[\w.:-]{1,64}$")


class BusyError(AssistantError):
    """Every answer slot stayed busy for the whole wait; the client should retry later."""


def new_request_id(given: str | None = None) -> str:
    """The caller's X-Request-Id when it is a short plain token, else a fresh one."""
    return given if given and _GOOD_ID.match(given) else uuid.uuid4().hex[:16]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request id and answer fields."""

    FIELDS = ("request_id", "channel", "event", "refused", "citations", "dropped", "latency_ms", "question_chars")

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get() or None,
        }
        out |= {k: getattr(record, k) for k in self.FIELDS[1:] if hasattr(record, k)}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(json_lines: bool, level: int = logging.INFO) -> None:
    """Root logging for `serve`: JSON lines or plain text, to stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


Stream = Callable[..., Iterable[str | Answer]]


class AnswerService:
    """The concurrency limit, request ids, logs and metrics around every answer of the served app."""

    def __init__(self, metrics: Metrics, limit: int, wait_s: float) -> None:
        self.metrics, self.wait_s = metrics, wait_s
        self._slots = threading.BoundedSemaphore(limit)

    def stream(
        self,
        source: Stream,
        question: str,
        filters: dict[str, str],
        channel: str,
        wait: bool = False,
        request_id: str | None = None,
    ) -> Iterator[str | Answer]:
        """`source(question, **filters)` (an ask_stream) inside a slot: its lines, then the Answer.

        The web chat waits for a slot (`wait=True`: Gradio's queue already bounds it); the API waits at most
        `wait_s` and then raises BusyError. The slot is freed when the stream ends or is closed."""
        request_id = request_id or REQUEST_ID.get() or new_request_id()
        if not self._slots.acquire(timeout=None if wait else self.wait_s):
            self.metrics.inc("assistant_busy_total", channel=channel)
            raise BusyError(f"the server is busy (all answer slots taken for {self.wait_s:g} s); retry shortly.")
        started = time.perf_counter()
        self.metrics.inc("assistant_answers_in_progress", 1)
        try:
            for item in source(question, **filters):
                if isinstance(item, Answer):
                    self._done(item, question, time.perf_counter() - started, channel, request_id)
                yield item
        except AssistantError:
            self.metrics.inc("assistant_answer_errors_total", channel=channel)
            raise
        except Exception:
            self.metrics.inc("assistant_answer_errors_total", channel=channel)
            log.exception("answer failed", extra={"request_id": request_id, "channel": channel})
            raise
        finally:
            self.metrics.inc("assistant_answers_in_progress", -1)
            self._slots.release()

    def ask(
        self, fn: Callable[..., Answer], question: str, filters: dict[str, str], channel: str, **options: object
    ) -> Answer:
        """`fn(question, **filters)` (an `ask`) inside a slot, logged and counted like `stream`."""
        for item in self.stream(lambda q, **f: [fn(q, **f)], question, filters, channel, **options):
            if isinstance(item, Answer):
                return item
        raise RuntimeError(f"{fn!r} returned no Answer")

    def _done(self, answer: Answer, question: str, seconds: float, channel: str, request_id: str) -> None:
        self.metrics.observe_answer(answer, seconds, channel)
        fields = {
            "request_id": request_id,
            "channel": channel,
            "event": "answer",
            "refused": answer.refused,
            "citations": len(answer.citations),
            "dropped": len(answer.dropped_sentences),
            "latency_ms": round(seconds * 1000, 1),
            "question_chars": len(question),
        }
        digest = hashlib.sha256(question.encode("utf-8")).hexdigest()[:10]
        log.info("answer %s q=%s refused=%s", request_id, digest, answer.refused, extra=fields)
        log.debug("answer %s question=%r", request_id, question, extra={"request_id": request_id})
