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
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Store articles from files or folders (.txt/.md/.json/.jsonl/.html). Unchanged articles are skipped."""
    bot = _bot(ctx)
    with click.progressbar(length=1, label="embedding", file=sys.stderr) as bar:

        def progress(done: int, total: int, _title: str) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = bot.ingest(list(paths), progress=progress)
    for error in report.errors:
        click.echo(f"skipped: {error}", err=True)
    speakers = {q.speaker for a in bot.store.get_articles(list(report.article_ids)).values() for q in a.quotes}
    click.echo(
        f"articles added: {report.articles_added}, unchanged/skipped: {report.articles_skipped}, "
        f"chunks: {report.chunks_added}, quotes: {report.quotes_added}, speakers: {len(speakers)}, "
        f"time: {report.seconds:.1f}s"
    )


def _print_answer(answer: Any, text: bool = True) -> None:
    if text:
        click.echo(answer.answer)
    for c in answer.citations:
        who = (
            f" — {c.speaker}" + (f", {c.speaker_role}" if c.speaker_role else "") + (f" (via {c.via})" if c.via else "")
            if c.speaker
            else ""
        )
        meta = ", ".join(x for x in (c.outlet or "outlet not stated", str(c.published or "undated"), c.title) if x)
        shown = (
            f"(reported speech) {c.quote}" if c.quote_kind == "indirect" else f"“{c.quote}”"
        )  # paraphrase, not their words
        click.echo(f"  [{c.id}] {meta}{who}\n      {shown}")


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
    """Attributed quotes of the given files (nothing stored), or of the store when no file is given."""
    bot = _bot(ctx)
    found = bot.quotes(list(paths) if paths else None, speaker=speaker, outlet=outlet, about=about)
    rows = [
        {
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
        }
        for article, q in found
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        role = f", {row['speaker_role']}" if row["speaker_role"] else ""
        via = f" [{row['via']}]" if row["via"] else ""
        words = f"“{row['quote']}”" if row["kind"] == "direct" else f"(reported speech) {row['quote']}"
        click.echo(f"{row['speaker']}{role}{via}: {words}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_context
def speakers(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Canonical speakers across the store: quotes, roles seen, outlets that quoted them."""
    rows = [
        {
            "speaker": s.name,
            "quotes": s.quotes,
            "variants": sorted(s.variants),
            "roles": [r for r, _ in s.roles.most_common(3)],
            "outlets": [o for o, _ in s.outlets.most_common(5)],
        }
        for s in _bot(ctx).speakers()[:limit]
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        roles = f" — {r['roles'][0]}" if r["roles"] else ""
        click.echo(f"{r['quotes']:4d}  {r['speaker']}{roles}  [{', '.join(r['outlets']) or 'outlet not stated'}]")


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
    fail_on_violation: bool,
) -> None:
    """Run eval suites (seed, multihop, attribution, quick, or a cases .jsonl) and write a report."""
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
    )
    _print_outcome(outcome, fail_on_violation)


def _print_outcome(outcome: Any, fail_on_violation: bool) -> None:
    from assistant.evals.report import attribution_table, confusion_list, summary_table

    if outcome.summaries:
        click.echo(summary_table(outcome.summaries, outcome.rows))
    if outcome.attribution:
        click.echo("\nattribution\n" + attribution_table(outcome.attribution))
        click.echo("\nattribution misses by cause\n" + confusion_list(outcome.attribution, 0))
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
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=7860, show_default=True)
@click.option("--ingest", "ingest_paths", multiple=True, help="Ingest these paths first (e.g. corpus/).")
@click.option("--root-path", default=None, help="URL prefix behind a reverse proxy, e.g. /news (ASSISTANT_ROOT_PATH).")
@click.option("--concurrency", type=int, default=None, help="Answers computed at once (ASSISTANT_CONCURRENCY).")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line (with a request id per answer).")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    ingest_paths: tuple[str, ...],
    root_path: str | None,
    concurrency: int | None,
    log_json: bool,
) -> None:
    """Start the web chat and its HTTP API (/v1: OpenAI-compatible chat, ingest, articles; /healthz; /metrics)."""
    from assistant.core import Assistant
    from assistant.interfaces.service import configure_logging
    from assistant.interfaces.web.app import launch

    configure_logging(log_json)
    bot = Assistant(_settings(ctx, root_path=root_path, concurrency=concurrency))
    if ingest_paths:
        report = bot.ingest(list(ingest_paths))
        click.echo(f"ingested: {report.articles_added} new article(s), {report.articles_skipped} unchanged")
    launch(bot, host=host, port=port)


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
