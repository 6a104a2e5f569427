"""Feedback on answers: 👍/👎 (or a named problem) and an optional comment, stored with the full Answer JSON in
SQLite under the data folder (`feedback.sqlite3`, WAL mode: several server threads and processes may write
at once; every write is one transaction, so a crash never leaves half a record).

`export_cases` turns the ratings into eval cases in the documented format of `assistant.evals.cases`, so
that what users liked stays right and what they disliked gets looked at:

- 👍 an answer   → a regression case: the cited passages as `evidence`, the cited speakers and outlets as
  `expected_speakers` / `expected_outlets`, `should_refuse: false`;
- 👍 a refusal   → `should_refuse: true`;
- 👎 a refusal   → `should_refuse: false` (the user expected an answer; nothing more is known);
- 👎 an answer   → what the right answer is, nobody has said yet: exported only with `include_disputed`, as a
  case of type `feedback-disputed` with the rejected answer and the comment under `extra`, for a reviewer
  to complete (add `expected_facts` or set `should_refuse`).
The conversation's earlier questions become `turns`, so a follow-up is replayed as it was asked.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.models import Answer

FILE_NAME = "feedback.sqlite3"
MAX_COMMENT = 2000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id TEXT PRIMARY KEY,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  session TEXT NOT NULL,
  turn INTEGER NOT NULL,
  rating INTEGER NOT NULL,          -- 1 up, -1 down, 0 cleared
  label TEXT,                       -- the named problem, when one was picked ("Wrong speaker", ...)
  comment TEXT,
  question TEXT NOT NULL,
  history TEXT NOT NULL,            -- JSON list of the conversation's earlier questions
  answer TEXT NOT NULL,             -- the full Answer JSON contract
  channel TEXT NOT NULL,
  UNIQUE (session, turn)
)"""


@dataclass(frozen=True)
class Feedback:
    id: str
    created: str
    updated: str
    session: str
    turn: int
    rating: int
    label: str | None
    comment: str | None
    question: str
    history: tuple[str, ...]
    answer: Answer
    channel: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """One SQLite file; a connection per operation, so any thread may call any method."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            with db:  # one transaction: committed on success, rolled back on error
                yield db

    def rate(
        self,
        session: str,
        turn: int,
        answer: Answer,
        rating: int,
        *,
        label: str | None = None,
        history: Sequence[str] = (),
        channel: str = "web",
    ) -> str:
        """Record (or change) the rating of one answer of a session; returns the feedback id."""
        if rating not in (-1, 0, 1):
            raise AssistantError("a rating is 1 (helpful), -1 (not helpful) or 0 (cleared).")
        now, new_id = _now(), uuid.uuid4().hex
        with self._connect() as db:
            db.execute(
                "INSERT INTO feedback (id, created, updated, session, turn, rating, label, comment, question, "
                "history, answer, channel) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) "
                "ON CONFLICT (session, turn) DO UPDATE SET rating = excluded.rating, label = excluded.label, "
                "updated = excluded.updated, answer = excluded.answer",
                (new_id, now, now, session, turn, rating, label, answer.question, json.dumps(list(history)),
                 answer.model_dump_json(), channel),
            )  # fmt: skip
            row = db.execute("SELECT id FROM feedback WHERE session = ? AND turn = ?", (session, turn)).fetchone()
        return row[0]

    def comment(self, feedback_id: str, text: str) -> bool:
        """Attach a comment to a rating; False when there is no such rating."""
        text = (text or "").strip()
        if len(text) > MAX_COMMENT:
            raise AssistantError(f"the comment is {len(text)} characters; keep it under {MAX_COMMENT}.")
        with self._connect() as db:
            done = db.execute(
                "UPDATE feedback SET comment = ?, updated = ? WHERE id = ?", (text or None, _now(), feedback_id)
            )
            return done.rowcount == 1

    def all(self) -> list[Feedback]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, created, updated, session, turn, rating, label, comment, question, history, answer, "
                "channel FROM feedback ORDER BY created, turn"
            ).fetchall()
        return [_record(row) for row in rows]


def _record(row: tuple[Any, ...]) -> Feedback:
    *head, history, answer, channel = row
    return Feedback(*head, tuple(json.loads(history)), Answer.model_validate_json(answer), channel)


def to_case(item: Feedback, include_disputed: bool = False) -> dict[str, Any] | None:
    """One feedback record as an eval case (the JSONL format of `assistant.evals.cases`), or None."""
    answer = item.answer
    case: dict[str, Any] = {"id": f"feedback-{item.id[:12]}"}
    case |= {"turns": [*item.history, item.question]} if item.history else {"question": item.question}
    if answer.filters:
        case["filters"] = dict(answer.filters)
    note = {"rating": item.rating, "label": item.label, "comment": item.comment, "rated": item.updated}
    if item.rating == 0:
        return None
    if answer.refused:
        kind = "feedback-refusal-ok" if item.rating > 0 else "feedback-should-answer"
        return case | {"type": kind, "should_refuse": item.rating > 0, "extra": {"feedback": note}}
    if item.rating > 0:
        return case | {
            "type": "feedback-answer-ok",
            "should_refuse": False,
            "evidence": list(dict.fromkeys(c.quote for c in answer.citations)),
            "expected_speakers": list(dict.fromkeys(c.speaker for c in answer.citations if c.speaker)),
            "expected_outlets": list(dict.fromkeys(c.outlet for c in answer.citations if c.outlet)),
            "extra": {"feedback": note},
        }
    if not include_disputed:
        return None
    rejected = answer.model_dump(mode="json")
    return case | {"type": "feedback-disputed", "extra": {"feedback": note, "rejected_answer": rejected}}


def export_cases(store: FeedbackStore, path: Path, include_disputed: bool = False) -> dict[str, int]:
    """Write the cases to `path` (JSONL, replaced atomically); returns counts by what happened to each rating."""
    counts = {"exported": 0, "cleared": 0, "disputed_left_out": 0}
    lines = []
    for item in store.all():
        case = to_case(item, include_disputed)
        if case is None:
            counts["cleared" if item.rating == 0 else "disputed_left_out"] += 1
            continue
        lines.append(json.dumps(case, ensure_ascii=False))
        counts["exported"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    tmp.replace(path)
    return counts
