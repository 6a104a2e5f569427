"""The contrastive faithfulness suite: does a citation ever make its evidence say something it does not?

Gold (assistant/evals/gold/faithfulness_{tune,heldout}.jsonl, written by hand from the texts): each row is
one evidence span (article url + offsets, no article text) with a faithful paraphrase and a minimal-edit
falsehood of it, typed (negation, antonym, number, unit, date, entity_swap, who_did_what_to_whom,
direction, speaker_swap, misrepresented_quote, hedge_certainty, outlet_swap). Two runs:

- `direct`: each statement goes through the verifier with the evidence span offered as [1], once with the
  marker and once without (the verifier then aligns it);
- `end_to_end`: a scripted OpenAI-compatible HTTP server writes the statement as the model's answer to the
  row's question; the Assistant (engine llm, ASSISTANT_LLM_BASE_URL pointing at the server) retrieves,
  drafts and verifies as it would for a user.

Per type: *falsehoods shown* (the verifier let the false statement through — as written, or replaced by the
speaker's verbatim words; target 0) and *faithful kept* (the faithful statement shown as written or, for
a statement about what someone said, as that speaker's verbatim words; target ≥ 0.85).
The held-out half is scored only by name (`assistant eval faithfulness-heldout`), once, by the lead.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer.support import LAYERS
from assistant.answer.verify import Verifier
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.evals.data import gold_dir, multihop_dir, multihop_missing, seed_article
from assistant.models import Answer, Article, Evidence

TYPES = (
    "negation",
    "antonym",
    "number",
    "unit",
    "date",
    "entity_swap",
    "who_did_what_to_whom",
    "direction",
    "speaker_swap",
    "misrepresented_quote",
    "hedge_certainty",
    "outlet_swap",
)
SEED_KEY = "seed/2024-11-30-hts-aleppo.md"
HALVES = ("tune", "heldout", "fresh", "fresh2", "fresh3", "fresh4")
SHOWN = ("as written", "verbatim")  # outcomes where the user sees the statement (or its speaker's own words)


@dataclass(frozen=True)
class Pair:
    id: str
    article: str
    outlet: str | None
    published: str | None
    start: int
    end: int
    evidence_sha1: str
    question: str
    type: str
    faithful: str
    false: str
    speaker: str | None
    note: str | None = None


def load_pairs(half: str = "tune") -> list[Pair]:
    """The tuning half ('tune'), the held-out half ('heldout') or the fresh held-out set ('fresh': written after
    the held-out half had been read, from articles in neither half; scored once, at the end), or 'fresh2'
    to 'fresh4' (each written the same way after the one before had been read)."""
    if half not in HALVES:
        raise AssistantError(f"unknown faithfulness set {half!r}: use one of {', '.join(HALVES)}")
    path = gold_dir() / f"faithfulness_{half}.jsonl"
    return [Pair(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line.strip()]


def source_records(pairs: list[Pair], data: Path | None = None) -> dict[str, dict[str, Any]]:
    """article key → the MultiHop-RAG record (or the seed report as a record) the pairs point at."""
    wanted = {p.article for p in pairs}
    records: dict[str, dict[str, Any]] = {}
    if SEED_KEY in wanted:
        from assistant.ingest.loaders import split_front_matter

        meta, body = split_front_matter(seed_article().read_text("utf-8"))
        records[SEED_KEY] = {**meta, "body": body, "url": None, "outlet": None}
    if wanted - {SEED_KEY}:
        folder = multihop_dir(data)
        if multihop_missing(folder):
            raise AssistantError(multihop_missing(folder) or "")
        with open(folder / "corpus.jsonl", encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and (record := json.loads(line))["url"] in wanted:
                    records[record["url"]] = record
    return records


def articles_for(records: dict[str, dict[str, Any]]) -> dict[str, Article]:
    """article key → Article as ingestion builds it (text, metadata, attributed quotes), without a store."""
    from assistant.ingest.loaders import make_article, record_to_article
    from assistant.ingest.pipeline import with_quotes

    out = {}
    for key, r in records.items():
        if key == SEED_KEY:
            meta = {k: v for k, v in r.items() if k != "body"}
            out[key] = with_quotes(make_article(r["body"], source_path=str(seed_article()), **meta))
        else:
            out[key] = with_quotes(record_to_article(r, "corpus.jsonl"))
    return out


def drifted(pairs: list[Pair], articles: dict[str, Article]) -> list[str]:
    """Ids of pairs whose evidence no longer hashes as when the gold was written (the corpus changed)."""
    out = []
    for p in pairs:
        text = articles[p.article].text[p.start : p.end]
        if hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] != p.evidence_sha1:
            out.append(p.id)
    return out


# -- the direct run ----------------------------------------------------------------------------------
def judge_line(statement: str, line: str | None) -> str:
    """'dropped', 'as written' (the statement shown, markers and quote repair aside) or 'verbatim' (shown as
    the speaker's own words instead)."""
    if line is None:
        return "dropped"
    shown = re.sub(r"\s*\[\d+\]", "", line).strip()
    loose = lambda s: re.sub(r"\W+", " ", s).casefold().strip()  # noqa: E731
    return "as written" if loose(shown) == loose(statement) else "verbatim"


def e2e_outcome(statement: str, answer: Answer, *, model_asked: bool) -> str:
    """What became of a scripted statement end to end. When the model was never asked (the engine refused
    first, or answered without it — an entity question's vote), the statement was never offered: 'declined',
    whatever else is shown (that is the article's verbatim words, not the statement)."""
    if not model_asked:
        return "declined"
    return "dropped" if answer.refused else judge_line(statement, answer.answer.splitlines()[0])


def direct(
    pairs: list[Pair], articles: dict[str, Article], layers: Collection[str] = LAYERS
) -> Iterator[dict[str, Any]]:
    """Each statement through the verifier, the evidence span offered as [1], with and without the marker."""
    for p in pairs:
        article = articles[p.article]
        evidence = [Evidence(n=1, article_id=article.id, start=p.start, end=p.end)]
        for side in ("faithful", "false"):
            statement = p.faithful if side == "faithful" else p.false
            for marked in (True, False):
                verifier = Verifier(p.question, evidence, {article.id: article}, {article.id}, layers=layers)
                line = verifier.add(statement, [1] if marked else [])
                yield _row(p, side, "direct" + ("" if marked else "-unmarked"), judge_line(statement, line), line)


def _row(p: Pair, side: str, run: str, outcome: str, line: str | None) -> dict[str, Any]:
    return {"id": p.id, "type": p.type, "side": side, "run": run, "outcome": outcome, "line": line}


# -- scoring -------------------------------------------------------------------------------------------
def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float | int]]]:
    """run → type (and 'all') → falsehoods shown (count), faithful kept (share), counts. 'declined' (the
    engine refused before the model was asked: retrieval or its gate) counts as not kept."""
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    by_run: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_run[r["run"]].append(r)
    for run, items in by_run.items():
        table: dict[str, dict[str, float | int]] = {}
        for kind in [*TYPES, "all"]:
            chosen = [r for r in items if kind == "all" or r["type"] == kind]
            faithful = [r for r in chosen if r["side"] == "faithful"]
            false = [r for r in chosen if r["side"] == "false"]
            if not chosen:
                continue
            table[kind] = {
                "falsehoods_shown": sum(r["outcome"] in SHOWN for r in false),
                "false_total": len(false),
                "faithful_kept": sum(r["outcome"] in SHOWN for r in faithful) / len(faithful) if faithful else 0.0,
                "faithful_as_written": sum(r["outcome"] == "as written" for r in faithful),
                "faithful_total": len(faithful),
            }
        out[run] = table
    return out


def markdown(summary: dict[str, dict[str, dict[str, float | int]]]) -> str:
    """One table per run: type → falsehoods shown / faithful kept."""
    lines = []
    for run, table in summary.items():
        lines += [f"### faithfulness · {run}", "", "| type | falsehoods shown | faithful kept | (as written) |"]
        lines.append("|---|---|---|---|")
        for kind, t in table.items():
            lines.append(
                f"| {kind} | {t['falsehoods_shown']}/{t['false_total']} | {t['faithful_kept']:.3f} "
                f"({t['faithful_total']}) | {t['faithful_as_written']} |"
            )
        lines.append("")
    return "\n".join(lines)


ProgressFn = Callable[[str], None]


# -- the end-to-end run --------------------------------------------------------------------------------
_YES_NO_START = re.compile(r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.I)
_PASSAGE = re.compile(r"^\[(\d+)\] [^\n]*\n([^\n]*)", re.M)


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).casefold().strip()


def markers_for(prompt: str, evidence: str) -> str:
    """' [n]…' for the offered passages that are part of the evidence span (what a model that cites right
    writes); '' when none is, and the verifier must align the statement itself."""
    wanted = _squash(evidence)
    found = [n for n, text in _PASSAGE.findall(prompt) if _squash(text) and _squash(text) in wanted]
    return "".join(f" [{n}]" for n in found)


def ask_form(question: str) -> str:
    """Yes/no questions get the engine's verdict path (the model writes one word); ask them as open questions
    so that the scripted statement is what the model answers."""
    return f"What do the reports say on this: {question}" if _YES_NO_START.match(question) else question


def write_sources(records: dict[str, dict[str, Any]], folder: Path) -> list[Path]:
    """The pairs' articles as files the Assistant can ingest (MultiHop records as JSONL, the seed report as is)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [seed_article()] if SEED_KEY in records else []
    rows = [r for key, r in records.items() if key != SEED_KEY]
    if rows:
        path = folder / "faithfulness-sources.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def end_to_end(
    pairs: list[Pair],
    articles: dict[str, Article],
    records: dict[str, dict[str, Any]],
    settings: Settings,
    progress: ProgressFn = lambda _: None,
) -> Iterator[dict[str, Any]]:
    """Each statement as the answer of a scripted OpenAI-compatible server to the row's question, through the
    Assistant (engine llm): retrieval, the engine's gate and prompt, the verifier, as for a user."""
    from assistant.core import Assistant
    from assistant.evals.scripted import ScriptedServer

    with ScriptedServer() as server:
        update = {"engine": "llm", "llm_base_url": server.url, "llm_model": "scripted", "llm_model_path": None}
        bot = Assistant(settings.model_copy(update={**update, "collection": f"{settings.collection}_faith"}))
        bot.ingest(write_sources(records, Path(settings.data_dir) / "faithfulness"))
        for p in pairs:
            evidence = articles[p.article].text[p.start : p.end]
            for side in ("faithful", "false"):
                statement = p.faithful if side == "faithful" else p.false
                server.reply = lambda prompt, s=statement, e=evidence: s + markers_for(prompt, e)
                asked = len(server.prompts)
                answer = bot.ask(ask_form(p.question))
                outcome = e2e_outcome(statement, answer, model_asked=len(server.prompts) > asked)
                yield _row(p, side, "end-to-end", outcome, None if answer.refused else answer.answer)
            progress(p.id)


def stratified(pairs: list[Pair], per_type: int) -> list[Pair]:
    """The first `per_type` pairs of each type (a slice for the quick suite)."""
    out: list[Pair] = []
    for kind in TYPES:
        out += [p for p in pairs if p.type == kind][:per_type]
    return out


def run(
    half: str,
    settings: Settings,
    *,
    data: Path | None = None,
    e2e_per_type: int | None = None,
    progress: ProgressFn = lambda _: None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Both runs on one half: (rows, notes). Without MultiHop-RAG only the seed report's pairs run."""
    pairs, notes = load_pairs(half), []
    folder = multihop_dir(data)
    if multihop_missing(folder):
        pairs = [p for p in pairs if p.article == SEED_KEY]
        notes.append(f"faithfulness: MultiHop-RAG not found in {folder}; only the seed report's {len(pairs)} pairs ran")
    records = source_records(pairs, data)
    articles = articles_for(records)
    moved = drifted(pairs, articles)
    if moved:
        raise AssistantError(f"faithfulness gold no longer matches its articles (evidence changed): {moved[:5]}")
    rows = list(direct(pairs, articles))
    chosen = stratified(pairs, e2e_per_type) if e2e_per_type else pairs
    rows += list(end_to_end(chosen, articles, records, settings, progress))
    notes.append(f"faithfulness ({half}): {len(pairs)} pairs direct, {len(chosen)} end to end")
    return rows, notes
