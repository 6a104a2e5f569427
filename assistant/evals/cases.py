"""Eval cases: one documented JSONL format, so a newsroom can write cases for its own corpus.

One JSON object per line:
  id              unique name                                  (required)
  question        the question, or use `turns` for a conversation
  turns           ["first question", "follow-up", ...]; the last turn is scored
  type            free label used to group scores (fact, who_said, temporal_query, ...)
  should_refuse   true when the corpus cannot answer             (default false)
  evidence        exact substrings of articles that support the answer (citation precision/recall)
  expected_facts  strings the answer must contain (case-insensitive), e.g. ["311"]
  expected_speakers / expected_outlets   names a correct answer cites
  filters         {"outlet": …, "speaker": …, "since": "YYYY-MM-DD", "until": …}
Unknown fields are kept in `extra` and ignored by the metrics.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.errors import AssistantError


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    question: str = ""
    turns: tuple[str, ...] = ()
    type: str = "question"
    should_refuse: bool = False
    evidence: tuple[str, ...] = ()
    expected_facts: tuple[str, ...] = ()
    expected_speakers: tuple[str, ...] = ()
    expected_outlets: tuple[str, ...] = ()
    filters: dict[str, str] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _has_question(self) -> Case:
        if not self.question and not self.turns:
            raise ValueError("a case needs `question` or `turns`")
        return self

    @property
    def final_question(self) -> str:
        return self.turns[-1] if self.turns else self.question


def load_cases(path: Path, limit: int | None = None) -> list[Case]:
    """Read a cases JSONL file; a bad line is an error naming its line number (cases must not vanish)."""
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(Case.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            raise AssistantError(
                f"{path}:{number}: not a valid eval case ({exc}); see `assistant.evals.cases`."
            ) from None
        if limit and len(cases) >= limit:
            break
    return cases


def from_seed_question(raw: dict[str, Any]) -> Case:
    """seed_questions.jsonl rows → Case (answer_contains → expected_facts, speaker → expected_speakers)."""
    return Case(
        id=raw["id"],
        question=raw.get("question", ""),
        turns=tuple(raw.get("turns", ())),
        type=raw.get("type", "question"),
        should_refuse=raw.get("should_refuse", False),
        evidence=tuple(raw.get("evidence", ())),
        expected_facts=tuple(raw.get("answer_contains", raw.get("expected_facts", ()))),
        expected_speakers=tuple([raw["speaker"]] if raw.get("speaker") else raw.get("expected_speakers", ())),
        filters=raw.get("filters", {}),
        extra={k: raw[k] for k in ("via", "note") if k in raw},
    )
