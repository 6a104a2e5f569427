"""Scoring cross-article speaker identity against hand-labelled mentions (evals/gold/identity_*.jsonl).

Each gold row is a span of one MultiHop-RAG article that names the source of some words (`mention`), with
the entity it denotes (`org:OpenAI`, `person:Sam Altman`, `body:OpenAI board`). The articles are attributed
as ingestion would, the registry of attribution/identity.py groups their speakers, and each mention is mapped
to the canonical speaker of the quote it names: the nearest attributed quote whose attribution can come from
that mention (its own sentence first, then the nearest within a window; speaker spelled like the mention
when one is). Scored pairwise
over mentions of different articles: a pair is predicted same when both map to one canonical speaker, gold
same when they denote one entity. A wrong merge is worse than a missed one, so precision is the target and
recall is reported; unmapped mentions count as missed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.attribution.identity import SpeakerRegistry
from assistant.ingest.loaders import record_to_article
from assistant.ingest.pipeline import with_quotes
from assistant.lexicon import fold_name
from assistant.models import Article, Quote
from assistant.text.spans import sentences

WINDOW = 400  # characters between a mention and the quote it introduces or closes


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _articles(urls: set[str], corpus: Path) -> dict[str, Article]:
    found = {}
    for line in corpus.read_text("utf-8").splitlines():
        record = json.loads(line)
        if record["url"] in urls:
            found[record["url"]] = with_quotes(record_to_article(record, str(corpus)))
    return found


def _spelled_alike(mention: str, speaker: str) -> bool:
    words = set(fold_name(mention).split())
    return bool(words & set(fold_name(speaker).split()))


def quote_for(row: dict[str, Any], article: Article) -> Quote | None:
    """The attributed quote the gold mention names: nearest by characters within WINDOW, preferring one whose
    speaker shares a word with a named mention; None when nothing attributed is near."""
    start, end = row["start"], row["end"]

    def distance(q: Quote) -> int:
        return 0 if q.start <= start < q.end else min(abs(q.start - end), abs(start - q.end))

    near = [q for q in article.quotes if q.speaker and distance(q) <= WINDOW]
    if not near:
        return None
    # A mention introduces words of its own sentence ("The company also said …" right after the CEO's quote
    # closes): quotes overlapping that sentence come first, the nearest otherwise.
    sentence = next(((a, b) for a, b in sentences(article.text) if a <= start < b), (start, end))
    own = [q for q in near if q.start < sentence[1] and q.end > sentence[0]]
    near = own or near
    named = row["mention"][:1].isupper() and not re.match(r"(?i)(?:the|a|an|he|she|it|they)\b", row["mention"])
    if not named:
        return min(near, key=distance)
    alike = [q for q in near if _spelled_alike(row["mention"], q.speaker or "")]
    return min(alike, key=distance) if alike else None  # another speaker's quote says nothing of this name


@dataclass
class IdentityScore:
    mentions: int = 0
    mapped: int = 0
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    wrong_merges: list[dict[str, Any]] = field(default_factory=list)

    def table(self) -> dict[str, Any]:
        precision = self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0
        recall = self.correct_pairs / self.true_pairs if self.true_pairs else 0.0
        return {
            "mentions": self.mentions,
            "mapped_mentions": self.mapped,
            "gold_same_pairs": self.true_pairs,
            "predicted_same_pairs": self.predicted_pairs,
            "pair_precision": precision,
            "pair_recall": recall,
            "wrong_merges": len(self.wrong_merges),
        }


def score(rows: list[dict[str, Any]], articles: dict[str, Article]) -> IdentityScore:
    """Map each mention to a canonical speaker, then count cross-article pairs."""
    registry = SpeakerRegistry.from_articles(articles.values())
    result = IdentityScore(mentions=len(rows))
    mapped: list[tuple[dict[str, Any], str | None]] = []
    for row in rows:
        article = articles.get(row["url"])
        quote = quote_for(row, article) if article else None
        speaker = registry.of_quote(quote, article.id) if quote and article else None
        mapped.append((row, speaker.id if speaker else None))
        result.mapped += speaker is not None
    for i, (a, sa) in enumerate(mapped):
        for b, sb in mapped[i + 1 :]:
            if a["url"] == b["url"]:
                continue
            gold_same, predicted_same = a["entity"] == b["entity"], sa is not None and sa == sb
            result.true_pairs += gold_same
            result.predicted_pairs += predicted_same
            result.correct_pairs += gold_same and predicted_same
            if predicted_same and not gold_same and len(result.wrong_merges) < 50:
                result.wrong_merges.append({"speaker": sa, "a": a["entity"], "b": b["entity"]})
    return result


def run_identity(
    gold: Path, corpus: Path, progress: Callable[[str], None] = lambda _: None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(metrics table, wrong merges) for one gold half."""
    rows = load_gold(gold)
    articles = _articles({r["url"] for r in rows}, corpus)
    progress(f"{len(articles)} articles attributed")
    result = score(rows, articles)
    return result.table(), result.wrong_merges
