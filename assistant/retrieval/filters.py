"""Retrieval filters (outlet, speaker, date range): parsed from user input with errors that say what to do,
turned into Chroma / llama-index filters, and re-checked on every result so none ever violates one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assistant.errors import QuestionError
from assistant.lexicon import fold_name
from assistant.models import Chunk
from assistant.text.dates import date_int, parse_date

FILTER_NAMES = ("outlet", "speaker", "since", "until")


def same_speaker(wanted: str, name: str) -> bool:
    """A speaker filter matches any spelling: 'Assad', 'al-Assad' and 'Bashar al-Assad' are one person."""
    w, n = fold_name(wanted), fold_name(name)
    return bool(w) and (w == n or w == n.split()[-1] or (" " in w and w in n))


@dataclass(frozen=True)
class Filters:
    """Retrieval filters; empty means no restriction."""

    outlet: str | None = None
    speaker: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, **raw: Any) -> Filters:
        unknown = set(raw) - set(FILTER_NAMES)
        if unknown:
            raise QuestionError(f"unknown filter(s) {sorted(unknown)}; use {list(FILTER_NAMES)}.")
        values: dict[str, Any] = {}
        for name in ("since", "until"):
            if raw.get(name):
                date = parse_date(raw[name])
                if date is None:
                    raise QuestionError(f"{name}={raw[name]!r} is not a date; use YYYY-MM-DD.")
                values[name] = date
        if values.get("since") and values.get("until") and values["since"] > values["until"]:
            raise QuestionError("since is after until; swap the dates.")
        for name in ("outlet", "speaker"):
            if raw.get(name):
                values[name] = str(raw[name]).strip()
        return cls(**values)

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}

    def __bool__(self) -> bool:
        return any(self.__dict__.values())

    def accepts(self, chunk: Chunk) -> bool:
        if self.outlet and (chunk.outlet or "").casefold() != self.outlet.casefold():
            return False
        if self.speaker and not any(same_speaker(self.speaker, s) for s in chunk.speakers):
            return False
        if (self.since or self.until) and chunk.published is None:
            return False
        if self.since and chunk.published < self.since:
            return False
        return not (self.until and chunk.published > self.until)

    def chroma_where(self) -> dict[str, Any] | None:
        """The part Chroma can apply itself (exact outlet, date range), as a Chroma `where`."""
        parts: list[dict[str, Any]] = []
        if self.outlet:
            parts.append({"outlet": self.outlet})
        if self.since:
            parts.append({"published_int": {"$gte": date_int(self.since)}})
        if self.until:
            parts.append({"published_int": {"$lte": date_int(self.until)}})
        return None if not parts else parts[0] if len(parts) == 1 else {"$and": parts}

    def metadata_filters(self) -> Any:
        """The part Chroma can apply itself (exact outlet, date range)."""
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        parts = []
        if self.outlet:
            parts.append(MetadataFilter(key="outlet", value=self.outlet, operator=FilterOperator.EQ))
        if self.since:
            parts.append(MetadataFilter(key="published_int", value=date_int(self.since), operator=FilterOperator.GTE))
        if self.until:
            parts.append(MetadataFilter(key="published_int", value=date_int(self.until), operator=FilterOperator.LTE))
        return MetadataFilters(filters=parts) if parts else None
