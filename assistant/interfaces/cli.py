"""Command line: a thin adapter over Assistant. Errors become one-line messages, never tracebacks."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from assistant.config import Settings
from assistant.errors import AssistantError


def _settings(ctx: click.Context, **extra: Any) -> Settings:
    overrides = {k: v for k, v in (ctx.find_root().params | extra).items() if v is not None}
    try:
        return Settings(**overrides)
    except Exception as exc:  # pydantic ValidationError: show which setting is wrong
        raise click.ClickException(f"invalid settings: {exc}") from None


def _bot(ctx: click.Context) -> Any:
    from assistant.core import Assistant

    return Assistant(_settings(ctx))


class _Group(click.Group):
    """Turns AssistantError into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Store folder (ASSISTANT_DATA_DIR).")
@click.option("--chroma-url", default=None, help="Use a `chroma run` server, e.g. http://127.0.0.1:8000.")
@click.option("--engine", type=click.Choice(["extractive", "llm"]), default=None, help="Answer engine.")
@click.option("--top-k", type=int, default=None, help="Chunks given to the engine.")
@click.option("-v", "--verbose", is_flag=True, default=None, help="Log what happens (to stderr).")
@click.pass_context
def main(ctx: click.Context, verbose: bool | None, **_: Any) -> None:
    """Ask questions about news articles; every answer cites outlet and speaker."""
    ctx.find_root().params.pop("verbose", None)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--feed", "feeds", multiple=True, help="An RSS/Atom feed URL: ingest its new items (repeatable).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], feeds: tuple[str, ...]) -> None:
    """Store articles from files, folders or http(s) URLs (.txt/.md/.json/.jsonl/.html/.pdf, web pages), and
    the new items of --feed feeds. Unchanged articles are skipped."""
    if not paths and not feeds:
        raise click.UsageError("give files, folders or URLs to ingest, or --feed URL.")
    bot = _bot(ctx)
    if paths:
        with _progress() as progress:
            report = bot.ingest(list(paths), progress=progress)
        _print_report(report)
    if feeds:
        with _progress() as progress:
            runs = bot.ingest_feeds(list(feeds), progress=progress)
        _print_runs(runs)
        if all(run.error for run in runs):
            raise click.ClickException("no feed could be read.")
    if paths and report.articles_failed:  # the good files are stored; the exit code tells scripts some were not
        ctx.exit(1)


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Time between rounds: 30s, 15m, 2h, 1d.")
@click.option("--rounds", type=int, default=None, help="Stop after this many rounds (default: until Ctrl-C).")
@click.pass_context
def watch(ctx: click.Context, feeds: tuple[str, ...], every: str, rounds: int | None) -> None:
    """Keep ingesting the new items of RSS/Atom FEEDS, one round every --every. A failing feed is reported
    and retried next round; articles already stored are never fetched again."""
    from assistant.ingest.feeds import parse_every
    from assistant.ingest.feeds import watch as watch_loop

    seconds, bot = parse_every(every), _bot(ctx)
    click.echo(f"watching {len(feeds)} feed(s) every {every}; Ctrl-C stops", err=True)
    try:
        watch_loop(lambda: bot.ingest_feeds(list(feeds)), seconds, rounds=rounds, report=_print_runs_one)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _progress() -> Any:
    """A progress bar on stderr; the context manager yields the callback the ingest calls."""
    from contextlib import contextmanager

    @contextmanager
    def bar_progress() -> Any:
        with click.progressbar(length=1, label="embedding", file=sys.stderr) as bar:

            def progress(done: int, total: int, _title: str) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            yield progress

    return bar_progress()


def _print_report(report: Any) -> None:
    for error in report.errors:
        click.echo(f"skipped: {error}", err=True)
    click.echo(ingest_summary(report))


def ingest_summary(report: Any) -> str:
    """One line: what an ingest stored, left unchanged and could not read."""
    return (
        f"articles added: {report.articles_added}, unchanged/skipped: {report.articles_skipped}, "
        f"failed: {report.articles_failed}, chunks: {report.chunks_added}, quotes: {report.quotes_added}, "
        f"speakers: {report.speakers_added}, time: {report.seconds:.1f}s"
    )


def _print_runs(runs: list[Any]) -> None:
    for run in runs:
        _print_runs_one(run)


def _print_runs_one(run: Any) -> None:
    import datetime as dt

    for problem in [*run.problems, *(run.report.errors if run.report else ())]:
        click.echo(f"skipped: {problem}", err=True)
    click.echo(f"{dt.datetime.now().isoformat(timespec='seconds')}  feed {run.line()}")


def _print_answer(answer: Any, text: bool = True) -> None:
    if text:
        click.echo(answer.answer)
    for c in answer.citations:
        who = (
            f" — {c.speaker}" + (f", {c.speaker_role}" if c.speaker_role else "") + (f" (via {c.via})" if c.via else "")
            if c.speaker
            else ""
        )
        page = f"p. {c.page}" if c.page else None
        parts = (c.outlet or "outlet not stated", str(c.published or "undated"), c.title, page)
        meta = ", ".join(x for x in parts if x)
        shown = (
            f"(reported speech) {c.quote}" if c.quote_kind == "indirect" else f"“{c.quote}”"
        )  # paraphrase, not their words
        click.echo(f"  [{c.id}] {meta}{who}\n      {shown}")
        if len(c.independent_outlets) > 1:
            click.echo(f"      reported by {len(c.independent_outlets)} outlets: {', '.join(c.independent_outlets)}")
    _print_checks(answer)


def _print_checks(answer: Any) -> None:
    """How each clause of a question across reports was decided, and the figures that disagree."""
    marks = {"supported": "✓", "contradicted": "✗", "unknown": "?"}
    if answer.undecided:
        click.echo(f"no verdict: {answer.undecided}")
    if answer.clauses:
        click.echo("clauses:")
    for clause in answer.clauses:
        cite = f" [{clause.citation}]" if clause.citation else ""
        click.echo(f"  {marks.get(clause.status, '?')} {clause.text}{cite} — {clause.reason}")
    for conflict in answer.conflicts:
        values = "; ".join(
            f"{v.text} — {v.outlet or 'outlet not stated'}, {v.published or 'undated'}"
            + (f" [{v.citation}]" if v.citation else "")
            for v in conflict.values
        )
        click.echo(f"⚠ figures disagree ({conflict.quantity}): {values}")


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer JSON contract.")
@click.option("--outlet", default=None)
@click.option("--speaker", default=None)
@click.option("--since", default=None, help="YYYY-MM-DD")
@click.option("--until", default=None, help="YYYY-MM-DD")
@click.option("--no-stream", is_flag=True, help="Print the answer at once instead of statement by statement.")
@click.pass_context
def ask(ctx: click.Context, question: str, as_json: bool, no_stream: bool, **filters: Any) -> None:
    """Answer QUESTION from the stored articles, with citations (or refuse)."""
    bot, filters = _bot(ctx), {k: v for k, v in filters.items() if v}
    if as_json or no_stream:
        answer = bot.ask(question, **filters)
        click.echo(answer.model_dump_json(indent=2)) if as_json else _print_answer(answer)
        return
    answer = None
    for item in bot.ask_stream(question, **filters):  # only verified statements are ever yielded
        if isinstance(item, str):
            click.echo(item)
        else:
            answer = item
    if answer is not None:
        if answer.refused:
            click.echo(answer.answer)
        _print_answer(answer, text=False)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--json", "as_json", is_flag=True)
@click.option("--speaker", default=None, help="Only this speaker (substring, any case).")
@click.option("--outlet", default=None)
@click.option("--about", default=None, help="A topic: quotes from the passages about it, best first.")
@click.pass_context
def quotes(
    ctx: click.Context,
    paths: tuple[str, ...],
    as_json: bool,
    speaker: str | None,
    outlet: str | None,
    about: str | None,
) -> None:
    """Attributed quotes of the given files (nothing stored), or of the store when no file is given, grouped
    by canonical speaker (role, outlets, dates); --speaker selects identities across articles."""
    bot = _bot(ctx)
    found = bot.quotes(list(paths) if paths else None, speaker=speaker, outlet=outlet, about=about)
    rows = [_quote_row(article, q) for article, q in found]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["speaker"], []).append(row)
    for name, items in groups.items():
        roles = list(dict.fromkeys(r["speaker_role"] for r in items if r["speaker_role"]))
        outlets = list(dict.fromkeys(r["outlet"] for r in items if r["outlet"]))
        dates = sorted(r["published"] for r in items if r["published"])
        span = f"  {dates[0]} … {dates[-1]}" if dates else ""
        role = f" — {roles[0]}" if roles else ""
        click.echo(f"{name}{role}  [{', '.join(outlets) or 'outlet not stated'}]{span}  ({len(items)} quotes)")
        for row in items:
            via = f" [{row['via']}]" if row["via"] else ""
            words = f"“{row['quote']}”" if row["kind"] == "direct" else f"(reported speech) {row['quote']}"
            where = ", ".join(x for x in (row["outlet"], row["published"]) if x)
            click.echo(f"  {words}{via}" + (f"  ({where})" if where else ""))


def _quote_row(article: Any, q: Any) -> dict[str, Any]:
    """One quote as `assistant quotes --json` prints it (historic keys first, then the added ones)."""
    return {
        "file": article.source_path,
        "article_id": article.id,
        "outlet": article.outlet,
        "quote": q.text,
        "start": q.start,
        "end": q.end,
        "speaker": q.speaker,
        "speaker_role": q.speaker_role,
        "cue": q.cue,
        "via": q.via,
        "kind": q.kind,
        "published": article.published.isoformat() if article.published else None,
        "title": article.title,
        "url": article.url,
    }


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--name", default=None, help="Only the identities this name means (any spelling).")
@click.pass_context
def speakers(ctx: click.Context, as_json: bool, limit: int, name: str | None) -> None:
    """Canonical speakers across the store: quotes, roles, outlets that quoted them, first and last dates."""
    rows = [{"speaker": s.name} | s.as_dict() for s in _bot(ctx).speakers(name)[:limit]]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        role = f" — {r['role']}" if r["role"] else ""
        dates = f"  {r['first']} … {r['last']}" if r["first"] else ""
        outlets = ", ".join(r["outlets"][:5]) or "outlet not stated"
        click.echo(f"{r['quotes']:4d}  {r['speaker']}{role}  [{outlets}]{dates}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def articles(ctx: click.Context, as_json: bool) -> None:
    """List stored articles."""
    items = _bot(ctx).articles()
    if as_json:
        data = [a.model_dump(mode="json", exclude={"text", "quotes"}) | {"quotes": len(a.quotes)} for a in items]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for a in items:
        click.echo(
            f"{a.id}  {str(a.published or 'undated'):10}  {a.outlet or 'outlet not stated':20}  "
            f"{a.title or '(untitled)'}  ({len(a.quotes)} quotes)"
        )
    click.echo(f"{len(items)} article(s)")


@main.command()
@click.argument("article_id")
@click.pass_context
def delete(ctx: click.Context, article_id: str) -> None:
    """Remove one article (and its chunks) from the store."""
    if not _bot(ctx).delete_article(article_id):
        raise click.ClickException(f"no article {article_id}; list them with `assistant articles`.")
    click.echo(f"deleted {article_id}")


@main.command("eval")
@click.argument("suites", nargs=-1)
@click.option("--limit", type=int, default=None, help="Cases per suite (a stratified sample).")
@click.option(
    "--report", "report_dir", type=click.Path(path_type=Path), default=Path("reports/latest"), show_default=True
)
@click.option(
    "--compare",
    "compare_with",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="An earlier results.jsonl.",
)
@click.option(
    "--corpus", multiple=True, type=click.Path(exists=True, path_type=Path), help="Articles for a custom cases file."
)
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="The MultiHop-RAG folder (corpus.jsonl, queries-dev.jsonl); default: ASSISTANT_MULTIHOP_DIR or "
    "../shared/data/multihop-rag.",
)
@click.option(
    "--half",
    type=click.Choice(["tune", "heldout"]),
    default=None,
    help="MultiHop-RAG: only one fixed half of the dev queries (tune on `tune`; score `heldout` once, at the end).",
)
@click.option("--fail-on-violation", is_flag=True, help="Exit 1 if any hard guarantee is broken (for CI).")
@click.pass_context
def eval_command(
    ctx: click.Context,
    suites: tuple[str, ...],
    limit: int | None,
    report_dir: Path,
    compare_with: Path | None,
    corpus: tuple[Path, ...],
    data: Path | None,
    half: str | None,
    fail_on_violation: bool,
) -> None:
    """Run eval suites and write a report. Suites: seed, multihop, attribution, identity, faithfulness,
    corroboration, quick, or a cases .jsonl; the held-out sets (attribution-heldout, attribution-fresh,
    attribution-fresh2, attribution-fresh3, identity-heldout, identity-fresh … identity-fresh4,
    faithfulness-heldout, faithfulness-fresh … faithfulness-fresh4, corroboration-heldout, corroboration-fresh,
    multihop --half heldout) are scored once, at the end."""
    from assistant.evals import run

    settings = _settings(ctx)
    if ctx.find_root().params.get("data_dir") is None:  # never evaluate inside the user's own store
        import tempfile

        settings = settings.model_copy(update={"data_dir": Path(tempfile.mkdtemp(prefix="eval-"))})
    count = {"n": 0}

    def progress(_case: str) -> None:
        count["n"] += 1
        if count["n"] % 10 == 0:
            click.echo(f"  … {count['n']} cases", err=True)

    outcome = run(
        list(suites) or ["quick"],
        settings,
        limit=limit,
        report_dir=report_dir,
        compare_with=compare_with,
        corpus=list(corpus) or None,
        progress=progress,
        data=data,
        half=half,
    )
    _print_outcome(outcome, fail_on_violation)


def _num(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _print_outcome(outcome: Any, fail_on_violation: bool) -> None:
    from assistant.evals.report import (
        attribution_table,
        confusion_list,
        corroboration_table,
        summary_table,
        type_table,
    )

    if outcome.summaries:
        click.echo(summary_table(outcome.summaries, outcome.rows))
        click.echo("\n" + type_table(outcome.rows))
    for name, tables in outcome.corroboration.items():
        click.echo(f"\n{name}\n" + corroboration_table(tables["summary"]))
    if outcome.attribution:
        click.echo("\nattribution\n" + attribution_table(outcome.attribution))
        click.echo("\nattribution misses by cause\n" + confusion_list(outcome.attribution, 0))
    if outcome.identity:
        for name, table in outcome.identity.items():
            if name != "wrong_merges":
                click.echo(f"\n{name}\n" + "\n".join(f"| {k} | {_num(v)} |" for k, v in table.items()))
        for merge in outcome.identity.get("wrong_merges", [])[:10]:
            click.echo(f"  wrong merge: {merge['speaker']} holds {merge['a']} and {merge['b']}")
    if outcome.faithfulness:
        from assistant.evals.report import faithfulness_markdown

        for tables in outcome.faithfulness:
            click.echo(f"\nfaithfulness ({tables.get('half', 'tune')})\n" + faithfulness_markdown(tables))
    for note in outcome.notes:
        click.echo(f"note: {note}")
    if outcome.comparison:
        click.echo(outcome.comparison)
    click.echo(f"report: {outcome.paths.get('md')}  {outcome.paths.get('html')}  {outcome.paths.get('results')}")
    broken = {k: v for k, v in outcome.hard_failures.items() if v}
    if broken:
        message = "hard guarantees broken: " + ", ".join(f"{k}={v}" for k, v in broken.items())
        if fail_on_violation:
            raise click.ClickException(message)
        click.echo(message, err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Beyond loopback, a login is required.")
@click.option("--port", type=int, default=7860, show_default=True)
@click.option("--ingest", "ingest_paths", multiple=True, help="Ingest these paths first (e.g. corpus/).")
@click.option("--root-path", default=None, help="URL prefix behind a reverse proxy, e.g. /news (ASSISTANT_ROOT_PATH).")
@click.option("--concurrency", type=int, default=None, help="Answers computed at once (ASSISTANT_CONCURRENCY).")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line (with a request id per answer).")
@click.option(
    "--insecure", is_flag=True, help="Serve beyond loopback without a login (only behind your own access control)."
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    ingest_paths: tuple[str, ...],
    root_path: str | None,
    concurrency: int | None,
    log_json: bool,
    insecure: bool,
) -> None:
    """Start the web chat and its HTTP API (/v1: OpenAI-compatible chat, ingest, articles; /healthz; /metrics)."""
    from assistant.core import Assistant
    from assistant.interfaces.service import configure_logging
    from assistant.interfaces.web.app import auth_from_env, check_exposure, launch

    check_exposure(host, auth_from_env(), insecure)  # before any model is loaded
    configure_logging(log_json)
    bot = Assistant(_settings(ctx, root_path=root_path, concurrency=concurrency))
    if ingest_paths:
        report = bot.ingest(list(ingest_paths))
        for error in report.errors:
            click.echo(f"skipped: {error}", err=True)
        click.echo(ingest_summary(report))
    launch(bot, host=host, port=port, insecure=insecure)


@main.group()
def feedback() -> None:
    """Ratings users gave to answers in the web chat and the API (stored under the data folder)."""


@feedback.command("export")
@click.option("--cases", "cases_path", type=click.Path(path_type=Path), required=True, help="Cases .jsonl to write.")
@click.option("--include-disputed", is_flag=True, help="Also 👎 answers, for a reviewer to complete (see docs).")
@click.pass_context
def feedback_export(ctx: click.Context, cases_path: Path, include_disputed: bool) -> None:
    """Turn ratings into eval cases for `assistant eval FILE.jsonl` (format: assistant.evals.cases)."""
    from assistant.interfaces.feedback import FILE_NAME, FeedbackStore, export_cases

    settings = _settings(ctx)
    if not (settings.data_dir / FILE_NAME).exists():
        raise click.ClickException(f"no feedback stored under {settings.data_dir}; is --data-dir the served one?")
    counts = export_cases(FeedbackStore(settings.data_dir), cases_path, include_disputed)
    click.echo(
        f"cases written: {counts['exported']} to {cases_path} (ratings cleared: {counts['cleared']}, "
        f"👎 answers left out: {counts['disputed_left_out']}; add --include-disputed to review them)"
    )
    click.echo(f"evaluate: assistant eval {cases_path} --corpus <the folders you ingested>")


if __name__ == "__main__":
    main()
