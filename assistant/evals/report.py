"""Eval output: summary table, report.md, report.html (inline SVG plots, no plotting dependency),
results.jsonl (one line per case) and a comparison of two runs.

Everything in the HTML that came from a question, an answer or an article is escaped.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

SUMMARY_KEYS = [
    "cases",
    "answer_accuracy",
    "refusal_precision",
    "refusal_recall",
    "verbatim_rate",
    "cited_sentence_rate",
    "citation_precision",
    "citation_recall",
    "faithfulness",
    "speaker_accuracy",
    "outlet_correct",
    "hits@4",
    "hits@10",
    "mrr@10",
    "map@10",
    "nonverbatim",
    "uncited_sentences",
    "unretrieved_citations",
    "wrong_speaker_citations",
    "latency_p50_ms",
    "latency_p95_ms",
]
ATTRIBUTION_KEYS = [
    "gold_quotes",
    "predicted_quotes",
    "exact_f1",
    "overlap_precision",
    "overlap_recall",
    "overlap_f1",
    "speaker_accuracy",
    "role_accuracy",
    "via_accuracy",
]
HARD = ("nonverbatim", "uncited_sentences", "unretrieved_citations")
COUNTS = {
    "cases",
    "gold_quotes",
    "predicted_quotes",
    "overlap_matches",
    "nonverbatim",
    "uncited_sentences",
    "unretrieved_citations",
    "wrong_speaker_citations",
    "dropped_sentences",
}
SCORES = {"mrr@10", "map@10"}  # averages of a 0..1 score, not shares of cases: shown as decimals
_NOT_COLUMNS = ("misses", "confusion")
# the per-case metric behind a summary rate (its n = the cases where that metric applies)
_CASE_METRIC = {"answer_accuracy": "answer_correct", "refusal_precision": "refused", "refusal_recall": "should_refuse"}
# the count a rate of the attribution table is taken over
_ATTRIBUTION_N = {"precision": "predicted_quotes", "recall": "gold_quotes", "f1": "gold_quotes"}


def fmt(key: str, value: Any, n: int | None = None) -> str:
    """Counts as integers, latencies in ms, rates as percentages with their n, scores as decimals."""
    if value is None:
        return "—"
    if key in COUNTS:
        return f"{round(value):,}"
    if key.endswith("_ms"):
        return f"{value:,.0f} ms"
    shown = f"{value:.3f}" if key in SCORES else f"{100 * value:.1f} %"
    return f"{shown} (n={n})" if n is not None else shown


def summary_n(rows: list[dict[str, Any]], suite: str, key: str) -> int | None:
    """How many cases a summary rate is over; None for counts and latencies."""
    if key in COUNTS or key.endswith("_ms"):
        return None
    metrics = [r["metrics"] for r in rows if r.get("suite") == suite]
    if not metrics:
        return None
    if key == "refusal_precision":
        return sum(bool(m.get("refused")) for m in metrics)
    if key == "refusal_recall":
        return sum(bool(m.get("should_refuse")) for m in metrics)
    return sum(m.get(_CASE_METRIC.get(key, key)) is not None for m in metrics)


def attribution_n(table: dict[str, Any], key: str) -> int | None:
    if key in COUNTS:
        return None
    return table.get(_ATTRIBUTION_N.get(key.rsplit("_", 1)[-1], "overlap_matches"))


def summary_rows(summaries: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> list[list[str]]:
    """[metric, value per suite…] for every metric some suite has."""
    return [
        [key] + [fmt(key, summaries[n].get(key), summary_n(rows, n, key)) for n in summaries]
        for key in SUMMARY_KEYS
        if any(summaries[n].get(key) is not None for n in summaries)
    ]


def attribution_rows(tables: dict[str, Any]) -> list[list[str]]:
    names = [n for n in tables if n not in _NOT_COLUMNS]
    return [
        [key] + [fmt(key, tables[n].get(key), attribution_n(tables[n], key)) for n in names] for key in ATTRIBUTION_KEYS
    ]


def _md_table(head: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---|" * (len(head) - 1)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def summary_table(summaries: dict[str, dict[str, Any]], rows: list[dict[str, Any]] | None = None) -> str:
    """A markdown table: one column per suite, one row per metric that any suite has."""
    return _md_table(["metric", *summaries], summary_rows(summaries, rows or []))


def attribution_table(tables: dict[str, dict[str, Any]]) -> str:
    return _md_table(["metric", *[n for n in tables if n not in _NOT_COLUMNS]], attribution_rows(tables))


def confusion_list(tables: dict[str, Any], examples: int = 3) -> str:
    """The misses grouped by cause for each gold set, with counts and a few examples each (markdown)."""
    lines = []
    for name, counts in tables.get("confusion", {}).items():
        lines.append(f"**{name}**: " + (", ".join(f"{cause} {n}" for cause, n in counts.items()) or "no misses"))
        for cause in counts:
            shown = [m for m in tables.get("misses", []) if m.get("cause") == cause and _in_set(m, name)][:examples]
            for m in shown:
                lines.append(f"  - {cause}: “{m['quote']}” — gold {m['gold']!s}, got {m['got']!s}")
    return "\n".join(lines)


def _in_set(miss: dict[str, Any], name: str) -> bool:
    return miss.get("set", name) == name


def by_type(rows: list[dict[str, Any]], metric: str = "answer_correct") -> dict[str, tuple[float, int]]:
    """suite:type → (share of its cases where `metric` holds, number of cases it applies to)."""
    groups: dict[str, list[float]] = {}
    for row in rows:
        value = row["metrics"].get(metric)
        if value is not None:
            groups.setdefault(f"{row['suite']}:{row['type']}", []).append(float(value))
    return {k: (sum(v) / len(v), len(v)) for k, v in sorted(groups.items())}


def _fmt(value: Any, pattern: str = "{:.3f}") -> str:
    return "—" if value is None else pattern.format(value)


def corroboration_table(summary: dict[str, Any]) -> str:
    """The corroboration suite's scores (markdown)."""
    lines = ["| metric | value |", "|---|---|"]
    for key, value in summary.items():
        lines.append(f"| {key} | {_fmt(value, '{:.0f}' if isinstance(value, int) else '{:.3f}')} |")
    return "\n".join(lines)


def type_table(rows: list[dict[str, Any]]) -> str:
    """Per suite and question type: cases, answer accuracy, the always-Yes baseline (for types with Yes/No
    golds) and the share refused."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["metrics"].get("answer_correct") is not None:
            groups.setdefault(f"{row['suite']}:{row['type']}", []).append(row["metrics"])
    lines = ["| type | cases | accuracy | always-Yes | refused |", "|---|---|---|---|---|"]
    for name, ms in sorted(groups.items()):
        acc = sum(bool(m["answer_correct"]) for m in ms) / len(ms)
        yes_no = any(m.get("always_yes_correct") for m in ms)
        base = sum(bool(m.get("always_yes_correct")) for m in ms) / len(ms) if yes_no else None
        refused = sum(bool(m.get("refused")) for m in ms) / len(ms)
        lines.append(f"| {name} | {len(ms)} | {acc:.3f} | {_fmt(base)} | {refused:.3f} |")
    return "\n".join(lines)


def worst_cases(rows: list[dict[str, Any]], n: int = 12) -> list[dict[str, Any]]:
    def badness(row: dict[str, Any]) -> tuple:
        m = row["metrics"]
        hard = sum(m.get(k) or 0 for k in HARD)
        return (hard, m.get("answer_correct") is False, not m.get("refusal_correct", True), row.get("latency_ms", 0))

    return sorted((r for r in rows if r["metrics"]), key=badness, reverse=True)[:n]


def _axes(width: int, height: int, left: int, bottom: int, x_label: str, y_label: str) -> str:
    e = html.escape
    return (
        f'<line x1="{left}" y1="30" x2="{left}" y2="{height - bottom}" stroke="#555"/>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" stroke="#555"/>'
        f'<text class="axis-label" x="{(left + width) / 2:.0f}" y="{height - 4}" text-anchor="middle" '
        f'font-size="12">{e(x_label)}</text>'
        f'<text class="axis-label" x="12" y="{(height - bottom + 30) / 2:.0f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 12 {(height - bottom + 30) / 2:.0f})">{e(y_label)}</text>'
    )


def svg_bars(
    values: dict[str, tuple[float, int]], title: str, x_label: str, y_label: str, n: int | None = None, width: int = 760
) -> str:
    """Horizontal bars of shares (0–100 %), each labelled with its n; axis labels and ticks. `n` for the title
    when the bars overlap (e.g. an "all" bar); else the sum of the bars' n."""
    if not values:
        return ""
    e, bar_h, left, bottom = html.escape, 22, 250, 42
    height = 40 + bar_h * len(values) + bottom
    span, n = width - left - 80, n if n is not None else sum(c for _, c in values.values())
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{e(title)}">',
             f'<text x="0" y="16" font-weight="bold">{e(title)} (n = {n})</text>',
             _axes(width, height, left, bottom, x_label, y_label)]  # fmt: skip
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + tick * span
        parts.append(
            f'<text x="{x:.0f}" y="{height - bottom + 14}" font-size="11" text-anchor="middle">{tick:.0%}</text>'
        )
    for i, (label, (value, count)) in enumerate(values.items()):
        y, w = 36 + i * bar_h, max(0.0, min(1.0, value)) * span
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">{e(label)} (n={count})</text>'
        )
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="#4a78a8"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="12">{value:.0%}</text>')
    return "".join(parts) + "</svg>"


def svg_histogram(latencies: list[float], title: str, bins: int = 20, width: int = 760, height: int = 220) -> str:
    """Questions per latency bin, with axis labels, ticks and n."""
    if not latencies:
        return ""
    e, left, bottom = html.escape, 60, 42
    top = max(latencies) or 1.0
    counts = [0] * bins
    for v in latencies:
        counts[min(bins - 1, int(v / top * bins))] += 1
    peak, bar_w, plot_h = max(counts), (width - left - 20) / bins, height - bottom - 30
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{e(title)}">',
             f'<text x="0" y="16" font-weight="bold">{e(title)} (n = {len(latencies)})</text>',
             _axes(width, height, left, bottom, "latency per question (ms)", "questions"),
             f'<text x="{left - 6}" y="36" font-size="11" text-anchor="end">{peak}</text>'
             f'<text x="{left - 6}" y="{height - bottom}" font-size="11" text-anchor="end">0</text>']  # fmt: skip
    for i, c in enumerate(counts):
        h = c / peak * plot_h
        parts.append(
            f'<rect x="{left + i * bar_w:.1f}" y="{height - bottom - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="#a8744a"><title>{c}</title></rect>'
        )
    for frac in (0, 0.5, 1):
        x = left + frac * (width - left - 20)
        parts.append(
            f'<text x="{x:.0f}" y="{height - bottom + 14}" font-size="11" text-anchor="middle">{top * frac:,.0f}</text>'
        )
    return "".join(parts) + "</svg>"


def write_report(
    out_dir: Path,
    rows: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    attribution: dict[str, Any] | None,
    notes: list[str],
    header: str,
    *,
    faithfulness: list[dict[str, Any]] | None = None,
) -> dict[str, Path]:
    """Write results.jsonl, report.md and report.html into out_dir; returns their paths. `faithfulness`: the
    faithfulness suite's tables (evals/faithfulness.py), one per set run (tune, heldout, fresh), shown per run
    and type."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"results": out_dir / "results.jsonl", "md": out_dir / "report.md", "html": out_dir / "report.html"}
    with paths["results"].open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    md = [f"# Evaluation report\n\n{header}\n"]
    if summaries:
        md += ["## Summary\n", summary_table(summaries, rows), ""]
    if attribution:
        md += [
            "## Attribution\n",
            attribution_table(attribution),
            "",
            "### Misses by cause\n",
            confusion_list(attribution, 5),
            "",
        ]
    for tables in faithfulness or []:
        md += [f"## Faithfulness ({tables.get('half', 'tune')} set)\n", faithfulness_markdown(tables), ""]
    md += ["## Notes\n"] + [f"- {n}" for n in notes] + ["", "## Answer accuracy by question type\n"]
    md += [type_table(rows)]
    md += ["", "## Worst cases\n"]
    for row in worst_cases(rows):
        md.append(
            f"- **{row['id']}** ({row['type']}): {row.get('question', '')!s}\n"
            f"  - answer: {str(row.get('answer', ''))[:300]}"
        )
    paths["md"].write_text("\n".join(md) + "\n", encoding="utf-8")
    page = _html(rows, summaries, attribution, notes, header)
    if faithfulness:
        tables_html = "".join(faithfulness_html(tables) for tables in faithfulness)
        page = page.replace("<h2>Notes</h2>", tables_html + "<h2>Notes</h2>", 1)
    paths["html"].write_text(page, encoding="utf-8")
    return paths


def faithfulness_markdown(tables: dict[str, Any]) -> str:
    from assistant.evals.faithfulness import markdown

    return markdown(tables["summary"])


def faithfulness_html(tables: dict[str, Any]) -> str:
    """Per run (direct, direct-unmarked, end-to-end): type → falsehoods shown, faithful kept (escaped)."""
    e = html.escape
    out = f"<h2>Faithfulness ({e(str(tables.get('half', 'tune')))} set)</h2>"
    for run, table in tables["summary"].items():
        out += f"<h3>{e(run)}</h3><table><tr><th>type</th><th>falsehoods shown</th><th>faithful kept</th></tr>"
        for kind, t in table.items():
            out += (
                f"<tr><td>{e(kind)}</td><td>{t['falsehoods_shown']}/{t['false_total']}</td>"
                f"<td>{t['faithful_kept']:.3f} ({t['faithful_total']})</td></tr>"
            )
        out += "</table>"
    shown = [r for r in tables.get("rows", []) if r["side"] == "false" and r["outcome"] in ("as written", "verbatim")]
    if shown:
        out += "<h3>Falsehoods shown</h3><ul>"
        out += "".join(f"<li>{e(r['run'])} · {e(r['id'])} ({e(r['type'])}): {e(str(r['line']))}</li>" for r in shown)
        out += "</ul>"
    return out


# -- report.html ------------------------------------------------------------------------------------------
CSS = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:auto;padding:0 16px;line-height:1.4}"
    "table{border-collapse:collapse;margin:8px 0 16px;max-width:100%}"
    "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:13px;overflow-wrap:anywhere}"
    "th{background:#f3f4f6;text-align:left}td.num{text-align:right;white-space:nowrap}"
    "table.misses td{max-width:360px}svg{max-width:100%;height:auto;display:block;margin:8px 0 16px}"
    "p.empty{opacity:.7;font-style:italic}table.worst td:nth-child(1){min-width:140px}"
    "table.worst td:nth-child(2){min-width:200px}"
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def md_inline(text: str) -> str:
    """Escaped text with the Markdown a note may carry (**bold**, `code`) rendered."""
    return _CODE.sub(r"<code>\1</code>", _BOLD.sub(r"<strong>\1</strong>", html.escape(str(text))))


def html_table(head: list[str], body: list[list[Any]], css: str = "", numeric_from: int = 1) -> str:
    """Every cell escaped; columns from `numeric_from` on are right-aligned."""
    e = html.escape
    top = "".join(f"<th>{e(str(h))}</th>" for h in head)
    rows = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i >= numeric_from else ''}>{e(str(c))}</td>" for i, c in enumerate(r))
        for r in body
    )
    return f"<table class='{css}'><tr>{top}</tr>{rows}</table>"


def _attribution_html(tables: dict[str, Any]) -> str:
    cols = [n for n in tables if n not in _NOT_COLUMNS]
    out = "<h2>Attribution</h2>" + html_table(["metric", *cols], attribution_rows(tables))
    out += "<h3>Misses by cause</h3>"
    for name, counts in tables.get("confusion", {}).items():
        total = sum(counts.values())
        body = [[cause, n, f"{n / total:.0%}"] for cause, n in counts.items()]
        out += f"<h4>{html.escape(name)} — {total} misses</h4>"
        out += html_table(["cause", "misses", "share"], body) if body else "<p class='empty'>no misses</p>"
    misses = sorted(tables.get("misses", []), key=lambda m: (m.get("set", ""), m.get("cause", "")))
    out += f"<h3>Misses ({min(len(misses), 400)} of {len(misses)} shown)</h3>"
    body = [[str(m.get(k) or "") for k in ("set", "cause", "quote", "gold", "got")] for m in misses[:400]]
    return out + html_table(["set", "cause", "quote", "gold", "got"], body, "misses", numeric_from=9)


def _plots_html(rows: list[dict[str, Any]], attribution: dict[str, Any] | None) -> str:
    latencies = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None and r["suite"] != "attribution"]
    plots = [
        svg_bars(by_type(rows), "Answer correct by question type", "share of cases answered correctly", "type"),
        svg_bars(by_type(rows, "refusal_correct"), "Refusal correct by question type", "share refused rightly", "type"),
        svg_histogram(latencies, "Latency per question"),
    ]
    if attribution:
        sets = {n: t for n, t in attribution.items() if n not in _NOT_COLUMNS}
        speaker = {n: (t["speaker_accuracy"], t.get("overlap_matches") or 0) for n, t in sets.items()}
        total = speaker.get("all", (0, None))[1]
        plots.append(svg_bars(speaker, "Speaker accuracy by gold set", "share of matched quotes", "gold set", total))
    return "".join(p for p in plots if p) or "<p class='empty'>No plots: no answered cases.</p>"


def _worst_html(rows: list[dict[str, Any]]) -> str:
    body = []
    for row in worst_cases(rows):
        cited = " · ".join(
            f"[{c['id']}] {c.get('speaker') or 'narration'}: “{c['quote'][:200]}”" for c in row.get("citations", [])
        )
        body.append(
            [f"{row['id']} ({row['type']})", str(row.get("question", "")), str(row.get("answer", ""))[:400], cited]
        )
    return html_table(["case", "question", "answer", "cited quotes"], body, "worst", numeric_from=9) if body else ""


def _html(
    rows: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    attribution: dict[str, Any] | None,
    notes: list[str],
    header: str,
) -> str:
    """The page people read: only sections that have something to show, numbers formatted by `fmt`."""
    parts = [
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Evaluation report</title><style>{CSS}</style>",
        f"<h1>Evaluation report</h1><p>{md_inline(header)}</p>",
    ]
    if summaries:
        parts.append("<h2>Summary</h2>" + html_table(["metric", *summaries], summary_rows(summaries, rows)))
    if attribution:
        parts.append(_attribution_html(attribution))
    parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{md_inline(n)}</li>" for n in notes) + "</ul>")
    parts.append("<h2>Plots</h2>" + _plots_html(rows, attribution))
    worst = _worst_html(rows)
    if worst:
        parts.append("<h2>Worst cases</h2>" + worst)
    return "".join(parts) + "</html>"


def compare(old_path: Path, rows: list[dict[str, Any]]) -> str:
    """What got better and worse, per case and per metric, against an earlier results.jsonl."""
    old = {(r["suite"], r["id"]): r for r in map(json.loads, old_path.read_text("utf-8").splitlines()) if r}
    better, worse = [], []
    for row in rows:
        before = old.get((row["suite"], row["id"]))
        if before is None:
            continue
        for key in ("answer_correct", "refusal_correct"):
            a, b = before["metrics"].get(key), row["metrics"].get(key)
            if a is not None and b is not None and a != b:
                (better if b else worse).append(f"{row['suite']}/{row['id']}: {key} {a} → {b}")
        for key in HARD:
            a, b = before["metrics"].get(key) or 0, row["metrics"].get(key) or 0
            if a != b:
                (better if b < a else worse).append(f"{row['suite']}/{row['id']}: {key} {a} → {b}")
    lines = [f"compared with {old_path}: {len(better)} better, {len(worse)} worse"]
    lines += [f"  + {x}" for x in better] + [f"  - {x}" for x in worse]
    return "\n".join(lines)
