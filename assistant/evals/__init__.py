"""The evaluation suite: every promise as a number.

    from assistant import Settings
    from assistant.evals import run
    outcome = run(["seed", "attribution"], Settings(data_dir="/tmp/eval"), report_dir=Path("reports/latest"))

Suites: seed (hand-written cases over the shipped report), multihop (MultiHop-RAG dev queries; `half`
tune or heldout), attribution (quote extraction against hand-labelled gold A and B), identity (cross-article
speaker identity), faithfulness (contrastive faithful/false statement pairs through the verifier and end to
end), corroboration ("reported by N outlets" and conflicting figures), quick (a small slice of each, for CI),
or a path to your own cases JSONL (format in `assistant.evals.cases`). The held-out sets
(`attribution-heldout`, `identity-heldout`, `faithfulness-heldout`, `corroboration-heldout`, and the fresh
sets written after the earlier ones had been read: `identity-fresh`, `faithfulness-fresh`; then
`attribution-fresh` (gold D), `identity-fresh2`, `faithfulness-fresh2`; then `attribution-fresh2` (gold E),
`identity-fresh3`, `faithfulness-fresh3`; then `attribution-fresh3` (gold F), `identity-fresh4`,
`faithfulness-fresh4`, `corroboration-fresh`) run only when named: they are scored once, at the end of a
piece of work.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer.llm_client import build_llm, llm_configured
from assistant.config import Settings
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.evals.cases import Case, load_cases
from assistant.evals.corroboration import run_corroboration
from assistant.evals.data import multihop_dir, multihop_missing
from assistant.evals.judge import Judge
from assistant.evals.metrics import aggregate
from assistant.evals.report import HARD, compare, write_report
from assistant.evals.suites import (
    CORPUS,
    SuiteResult,
    run_attribution,
    run_case,
    run_identity_suite,
    run_multihop,
    run_seed,
)

__all__ = ["Case", "EvalOutcome", "SUITES", "load_cases", "run"]
SUITES = (
    "seed",
    "multihop",
    "attribution",
    "attribution-heldout",
    "attribution-fresh",
    "attribution-fresh2",
    "attribution-fresh3",
    "identity",
    "identity-heldout",
    "identity-fresh",
    "identity-fresh2",
    "identity-fresh3",
    "identity-fresh4",
    "faithfulness",
    "faithfulness-heldout",
    "faithfulness-fresh",
    "faithfulness-fresh2",
    "faithfulness-fresh3",
    "faithfulness-fresh4",
    "corroboration",
    "corroboration-heldout",
    "corroboration-fresh",
    "quick",
)
QUICK_LIMITS = {"seed": 20, "multihop": 12, "attribution": None, "faithfulness": 2, "corroboration": 20}


@dataclass
class EvalOutcome:
    summaries: dict[str, dict[str, Any]]
    rows: list[dict[str, Any]]
    attribution: dict[str, Any] | None
    identity: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    comparison: str | None = None
    corroboration: dict[str, dict[str, Any]] = field(default_factory=dict)
    faithfulness: list[dict[str, Any]] | None = None  # per set run: run → type → falsehoods shown / faithful kept

    @property
    def hard_failures(self) -> dict[str, int]:
        """Counts of broken guarantees: non-verbatim quotes, uncited sentences, citations to unretrieved documents."""
        return {k: sum(s.get(k) or 0 for s in self.summaries.values()) for k in HARD}


def _custom(
    bot: Assistant, path: Path, limit: int | None, progress: Callable[[str], None], judge: Judge | None
) -> SuiteResult:
    result = SuiteResult(path.stem)
    for case in load_cases(path, limit):
        result.rows.append(run_case(bot, case, path.stem, judge))
        progress(case.id)
    return result


def _run_suite(name: str, settings: Settings, options: dict[str, Any]) -> list[SuiteResult]:
    """One named suite (quick = a slice of seed, multihop and attribution) or a custom cases file."""
    limit, progress, judge, data = options["limit"], options["progress"], options["judge"], options["data"]
    if name not in SUITES:
        path = Path(name)
        if not path.exists():
            raise AssistantError(f"unknown suite {name!r}: use one of {list(SUITES)} or a cases .jsonl file")
        bot = Assistant(settings.model_copy(update={"collection": f"{settings.collection}_custom"}))
        bot.ingest(options["corpus"] or [CORPUS])
        return [_custom(bot, path, limit, progress, judge)]
    quick = name == "quick"
    if name == "multihop" and multihop_missing(multihop_dir(data)):
        raise AssistantError(multihop_missing(multihop_dir(data)) or "")
    results = []
    for part in ["seed", "multihop"] if quick else [name] if name in {"seed", "multihop"} else []:
        bot = Assistant(settings.model_copy(update={"collection": f"{settings.collection}_{part}"}))
        part_limit = QUICK_LIMITS[part] if quick else limit
        if part == "seed":
            results.append(run_seed(bot, part_limit, progress, judge))
        else:
            full = (not quick and not limit) if options["full_multihop"] is None else options["full_multihop"]
            half = None if quick else options.get("half")
            results.append(run_multihop(bot, part_limit, progress, full, judge, data, half))
    if quick or name == "attribution":
        results.append(run_attribution(QUICK_LIMITS["attribution"] if quick else limit, progress, data))
    # gold C: scored once, at the end of the work (assistant/evals/gold/attribution_c.meta.json)
    if name == "attribution-heldout":
        results.append(run_attribution(limit, progress, data, sets=("c",)))
    # drawn after C (then D, then E) had been read
    fresh_gold = {"attribution-fresh": "d", "attribution-fresh2": "e", "attribution-fresh3": "f"}
    if name in fresh_gold:  # by name only
        results.append(run_attribution(limit, progress, data, sets=(fresh_gold[name],)))
    if quick or name == "identity":
        results.append(run_identity_suite("tune", progress, data))
    if name.startswith("identity-") and name in SUITES:  # held-out and fresh sets: by name only
        results.append(run_identity_suite(name.removeprefix("identity-"), progress, data))
    if quick or name.startswith("faithfulness") and name in SUITES:
        results.append(_faithfulness(name, settings, QUICK_LIMITS["faithfulness"] if quick else None, options))
    if quick or name.startswith("corroboration") and name in SUITES:  # held-out, fresh: by name, once, at the end
        half = name.removeprefix("corroboration-") if "-" in name else "tune"
        results.append(_corroboration(settings, options, half, quick))
    return results


def _merged(tables: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One table set for several runs of a suite (`attribution attribution-heldout`, `identity identity-fresh`):
    their columns side by side, lists (misses, wrong merges) joined; the first run keeps the 'all' column."""
    if not tables:
        return None
    out: dict[str, Any] = {}
    for table in tables:
        for key, value in table.items():
            if isinstance(value, list):
                out[key] = out.get(key, []) + value
            elif isinstance(value, dict) and isinstance(out.get(key), dict) and key != "all":
                out[key] = {**out[key], **value}
            else:
                out.setdefault(key, value)
    return out


def _corroboration(settings: Settings, options: dict[str, Any], half: str, quick: bool) -> SuiteResult:
    """The full corpus shares the multihop suite's collection (ingested once); quick uses a small subset."""
    collection = f"{settings.collection}_{'corroboration' if quick else 'multihop'}"
    bot = Assistant(settings.model_copy(update={"collection": collection}))
    limit = QUICK_LIMITS["corroboration"] if quick else options["limit"]
    out = run_corroboration(bot, limit, options["progress"], options["data"], half, full=not quick)
    name = "corroboration" if half == "tune" else f"corroboration-{half}"
    return SuiteResult(name, notes=out["notes"], tables={"summary": out["summary"], "rows": out["rows"]})


def _faithfulness(name: str, settings: Settings, per_type: int | None, options: dict[str, Any]) -> SuiteResult:
    """The contrastive faithfulness suite (evals/faithfulness.py); its table goes to `tables`, not to rows."""
    from assistant.evals import faithfulness

    half = name.removeprefix("faithfulness-") if "-" in name else "tune"
    rows, notes = faithfulness.run(
        half, settings, data=options["data"], e2e_per_type=per_type, progress=options["progress"]
    )
    result = SuiteResult("faithfulness", notes=notes)
    result.tables = {"summary": faithfulness.summarise(rows), "rows": rows, "half": half}
    return result


def _notes(results: list[SuiteResult], settings: Settings, judge: Judge | None) -> list[str]:
    notes = [f"{r.name}: {n}" for r in results for n in r.notes]
    if judge is None:
        notes.append(
            "faithfulness judge: no LLM configured, so only the code checks apply "
            "(verbatim quotes, citations, speakers)"
        )
    else:
        notes.append(
            f"faithfulness judge: {judge.name} (share of cited statements it finds supported by their passages)"
        )
    notes.append(f"engine: {settings.engine}; top_k={settings.top_k}; refusal_threshold={settings.refusal_threshold}")
    return notes


def run(
    suites: list[str],
    settings: Settings | None = None,
    *,
    limit: int | None = None,
    report_dir: Path | None = None,
    compare_with: Path | None = None,
    corpus: list[Path] | None = None,
    full_multihop: bool | None = None,
    progress: Callable[[str], None] = lambda _: None,
    judge: Judge | None = None,
    data: Path | None = None,
    half: str | None = None,
) -> EvalOutcome:
    """Run suites against a store in settings.data_dir (a fresh temporary one when settings is None).
    `data` is the MultiHop-RAG folder (see `assistant.evals.data.multihop_dir`); `half` ("tune" | "heldout")
    keeps one fixed half of its dev queries (`assistant.evals.suites.multihop_half`). The faithfulness judge
    defaults to the configured LLM, if any."""
    settings = settings or Settings(data_dir=Path(tempfile.mkdtemp(prefix="eval-")))
    if judge is None and llm_configured(settings):
        name = settings.llm_model or str(settings.llm_model_path or settings.llm_base_url)
        judge = Judge(build_llm(settings, max_tokens=8), name=name)
    wanted = list(suites or ["quick"])
    options = dict(
        limit=limit, progress=progress, judge=judge, data=data, corpus=corpus, full_multihop=full_multihop, half=half
    )
    results = [result for name in wanted for result in _run_suite(name, settings, options)]
    rows = [row for r in results for row in r.rows if r.name not in {"attribution", "identity"}]
    summaries = {r.name: aggregate(r.rows) for r in results if r.rows and r.name not in {"attribution", "identity"}}
    attribution = _merged([r.tables for r in results if r.name == "attribution" and r.tables])
    identity = _merged([r.tables for r in results if r.name == "identity" and r.tables])
    faithful = [r.tables for r in results if r.name == "faithfulness" and r.tables] or None  # tune, heldout, fresh
    notes = _notes(results, settings, judge)
    for name, table in (identity or {}).items():
        if name != "wrong_merges":
            notes.append(
                f"{name}: pair precision {table['pair_precision']:.3f}, recall {table['pair_recall']:.3f} "
                f"({table['mapped_mentions']}/{table['mentions']} mentions mapped to a quote)"
            )
    outcome = EvalOutcome(summaries, rows, attribution, identity, notes, faithfulness=faithful)
    outcome.corroboration = {r.name: r.tables for r in results if r.name.startswith("corroboration") and r.tables}
    if report_dir:
        when = dt.datetime.now().isoformat(timespec="seconds")
        header = f"{when} · suites: {', '.join(wanted)} · engine {settings.engine}"
        outcome.paths = write_report(
            report_dir, rows, summaries, attribution, outcome.notes, header, faithfulness=faithful
        )
    if compare_with:
        outcome.comparison = compare(compare_with, rows)
    return outcome
