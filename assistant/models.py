"""The data model every stage after ingestion speaks (frozen pydantic models).

`Answer.model_dump_json()` is a public contract (README.md, "The answer contract"): fields may be added, never
renamed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REFUSAL = "I cannot answer that from the articles I have."


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quote(_Frozen):
    """A quoted passage with its attribution; `text == article.text[start:end]`."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None = Field(None, description="Who said it; None when unattributed (scare quotes, names).")
    speaker_role: str | None = Field(None, description="Role or affiliation as the article states it.")
    cue: str | None = Field(None, description="The reporting verb or phrase: 'said', 'according to', ...")
    via: str | None = Field(None, description="Medium the speaker spoke through: 'X', 'AFP', 'press release'.")
    kind: Literal["direct", "indirect"] = Field(
        "direct",
        description="'direct': words inside quotation marks, verbatim from the speaker; 'indirect': reported speech "
        "(`X said that …`, `according to X, …`) — the span is verbatim article text but the reporter's paraphrase, "
        "so it must never be shown in quotation marks as the speaker's own words.",
    )


class Article(_Frozen):
    """One news report. Unknown metadata stays None: nothing is invented."""

    id: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str | None = None
    author: str | None = None
    text: str
    source_path: str | None = None
    quotes: tuple[Quote, ...] = ()
    page_starts: tuple[int, ...] = Field(
        (), description="Offsets in `text` where each page begins (page 1 first), for paged sources such as PDFs."
    )

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding text[offset], or None when the source has no pages."""
        if not self.page_starts:
            return None
        return max(bisect.bisect_right(self.page_starts, offset), 1)


class Chunk(_Frozen):
    """A retrievable span of an article, with the article's metadata and the speakers quoted inside it."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    speakers: tuple[str, ...] = ()
    quote_ids: tuple[str, ...] = ()
    score: float = 0.0


class Report(_Frozen):
    """Another stored report of the same claim as a citation: `quote == article.text[start:end]`."""

    article_id: str
    outlet: str | None
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    quote: str
    start: int
    end: int


class FigureValue(_Frozen):
    """One report's value of a disputed figure: `text == article.text[start:end]`."""

    text: str
    normalized: float | str | None = Field(None, description="The value as a number (or ISO date) when it parses.")
    unit: str | None = None
    article_id: str
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    start: int
    end: int
    citation: int | None = Field(None, description="Id of the answer's citation holding this value, if any.")


class Conflict(_Frozen):
    """Reports that give incompatible values for the same quantity (a toll, an amount, a date)."""

    quantity: str = Field(description="What the values measure, in the reports' words ('dead', 'price', 'score').")
    values: tuple[FigureValue, ...]


class ClauseCheck(_Frozen):
    """How one clause of a question across reports was decided."""

    text: str
    outlets: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    status: Literal["supported", "contradicted", "unknown"] = "unknown"
    reason: str = ""
    citation: int | None = Field(None, description="Id of the citation holding the clause's evidence.")


class Citation(_Frozen):
    """A verified piece of evidence: `quote == article.text[start:end]` always."""

    id: int
    article_id: str
    outlet: str | None
    title: str | None
    published: dt.date | None
    url: str | None
    quote: str
    start: int
    end: int
    speaker: str | None = None
    speaker_role: str | None = None
    via: str | None = None
    quote_kind: Literal["direct", "indirect"] | None = Field(
        None, description="Kind of the speaker's quote the citation falls in (see Quote.kind); None for narration."
    )
    page: int | None = Field(None, description="1-based page of the source (a PDF) where the quote begins.")
    independent_outlets: tuple[str, ...] = Field(
        (),
        description="Independent outlets whose stored reports state the same claim, this one's first (sections of "
        "one publisher and syndicated copies count once); empty when corroboration was not checked.",
    )
    also_reported_by: tuple[Report, ...] = Field((), description="The other reports of the same claim.")


class Answer(_Frozen):
    """What the user gets. A refusal has `refused=True`, the fixed REFUSAL text and no citations."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    standalone_question: str | None = Field(None, description="The follow-up rewritten to stand alone.")
    dropped_sentences: tuple[str, ...] = Field((), description="Draft sentences removed by verification.")
    filters: dict[str, str] = Field(default_factory=dict, description="Retrieval filters that were applied.")
    retrieved: tuple[str, ...] = Field((), description="Ids of the articles retrieved for this question.")
    verdict: str | None = Field(None, description="'Yes'/'No' (or the chosen word) decided in code, clause by clause.")
    clauses: tuple[ClauseCheck, ...] = Field((), description="The question's clauses and how each was decided.")
    conflicts: tuple[Conflict, ...] = Field((), description="Figures that disagree across the cited reports.")
    undecided: str | None = Field(
        None,
        description="Why a Yes/No question across reports was refused: the clause that could not be decided, or "
        "the presumption a verdict would have rested on.",
    )

    @classmethod
    def refusal(cls, question: str, **extra: object) -> Answer:
        return cls(question=question, answer=REFUSAL, refused=True, citations=(), **extra)


class IngestReport(_Frozen):
    """What an ingest run did, per file and in total."""

    articles_added: int = 0
    articles_skipped: int = Field(0, description="Records read that were already stored (or repeated).")
    articles_failed: int = Field(0, description="Files and records that could not be read or stored.")
    chunks_added: int = 0
    quotes_added: int = 0
    speakers_added: int = Field(0, description="Distinct speakers quoted in the articles added.")
    errors: tuple[str, ...] = Field((), description="One line per problem: file, line or record, reason.")
    article_ids: tuple[str, ...] = ()
    seconds: float = 0.0


class Evidence(_Frozen):
    """A span an engine wants to cite as [n]. `cite` re-checks it against the stored article."""

    n: int
    article_id: str
    start: int
    end: int


class Draft(_Frozen):
    """An engine's unverified answer: prose with [n] markers and the evidence they point at."""

    text: str
    evidence: tuple[Evidence, ...] = ()
    reason: str | None = Field(None, description="Why the engine declined, when text is empty (for logs/evals).")
    lead: str | None = Field(
        None,
        description="A name the answer opens with ('Which company …?' → 'Google'), shown only when a verified "
        "citation's words contain it.",
    )
