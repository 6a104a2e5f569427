"""The Corpus tab: the store as a table (articles with outlet, date, quotes and chunks), uploads with a
progress bar and a result per file, deletion. All from one `CorpusView` snapshot (which the Quotes tab,
quotes.py, also reads) that is recomputed only when the store changes.
(No `from __future__ import annotations` here: Gradio reads handler annotations at run time.)
"""

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.ingest.loaders import SUPPORTED
from assistant.interfaces.web.html import esc, outlet_text
from assistant.models import Article, Quote

log = logging.getLogger(__name__)
ARTICLE_HEADERS = ["Outlet", "Date", "Title", "Quotes", "Chunks", "ID"]
UPLOAD_HEADERS = ["File", "Result", "Added", "Unchanged", "Chunks", "Quotes", "Details"]
UPLOAD_TYPES = sorted(SUPPORTED)
MAX_UPLOAD_FILES = 20  # per request
MAX_UPLOAD_RECORDS = 5000  # articles read per request, over all its files (a JSONL file holds many)


@dataclass(frozen=True)
class Snapshot:
    """What the Corpus and Quotes tabs show, computed from the store."""

    articles: list[Article]
    chunks: Counter
    quotes: dict[str, tuple[Article, Quote]]

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.articles if a.outlet}, key=str.casefold)

    @property
    def speakers(self) -> list[str]:
        return sorted({q.speaker for a in self.articles for q in a.quotes if q.speaker}, key=str.casefold)

    def article_rows(self) -> list[list[Any]]:
        return [
            [outlet_text(a.outlet), _date(a), a.title or _untitled(a), len(a.quotes), self.chunks[a.id], a.id]
            for a in self.articles
        ]

    def quote_rows(self, search: str = "") -> list[list[str]]:
        needle = (search or "").strip().casefold()
        rows = []
        for quote_id, (a, q) in self.quotes.items():
            words = q.text if q.kind == "direct" else f"(reported speech) {q.text}"  # not the speaker's own words
            row = [
                q.speaker or "",
                words,
                q.speaker_role or "",
                q.via or "",
                outlet_text(a.outlet),
                _date(a),
                a.title or _untitled(a),
                quote_id,
            ]
            if not needle or any(needle in cell.casefold() for cell in row[:-1]):
                rows.append(row)
        return rows

    def summary(self) -> str:
        chunks = sum(self.chunks.values())
        return f"{len(self.articles)} article(s), {chunks} chunk(s), {len(self.quotes)} attributed quote(s)."

    def article_choices(self) -> list[tuple[str, str]]:
        return [(f"{a.title or _untitled(a)} — {outlet_text(a.outlet)} — {_date(a)}", a.id) for a in self.articles]


def _untitled(article: Article) -> str:
    return f"(untitled: {Path(article.source_path).name})" if article.source_path else "(untitled)"


def _date(article: Article) -> str:
    return str(article.published or "undated")


def chunk_counts(bot: Assistant, page: int = 5000) -> Counter:
    """Chunks per article, from chunk metadata only (no documents, no vectors)."""
    counts: Counter = Counter()
    offset = 0
    while True:
        got = bot.store.chunks.get(limit=page, offset=offset, include=["metadatas"])
        if not got["ids"]:
            return counts
        counts.update(m["article_id"] for m in got["metadatas"])
        offset += len(got["ids"])


class CorpusView:
    """The store as tables; recomputed only when the store's article/chunk counts change."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._snapshot: Snapshot | None = None

    def snapshot(self, force: bool = False) -> Snapshot:
        with self._lock:
            key = self.bot.store.counts()
            if force or self._snapshot is None or key != self._key:
                articles = self.bot.articles()
                quotes = {q.id: (a, q) for a in articles for q in a.quotes if q.speaker}
                self._snapshot = Snapshot(articles, chunk_counts(self.bot), quotes)
                self._key = key
            return self._snapshot


def ingest_uploads(
    bot: Assistant,
    paths: list[str],
    progress: Callable[[float, str], None] | None = None,
    max_files: int = MAX_UPLOAD_FILES,
    max_records: int = MAX_UPLOAD_RECORDS,
) -> list[list[Any]]:
    """Ingest each uploaded file on its own, so every file gets its own result row; at most `max_files` files
    and `max_records` records per request. Every uploaded file is removed afterwards, read or not."""
    rows: list[list[Any]] = []
    budget = max_records
    try:
        for number, raw in enumerate(paths):
            path = Path(raw)
            if number >= max_files:
                rows.append(_error_row(path, f"not read: at most {max_files} files per upload; add it in another."))
                continue
            if budget <= 0:
                rows.append(_error_row(path, f"not read: this upload reached {max_records:,} records; add it again."))
                continue
            if progress:
                progress(number / len(paths), f"reading {path.name}")
            row, read = _ingest_upload(bot, path, number, len(paths), budget, progress)
            rows.append(row)
            budget -= read
    finally:
        for raw in paths:
            discard_upload(Path(raw))
    if progress:
        progress(1.0, "done")
    return rows


def _ingest_upload(
    bot: Assistant, path: Path, number: int, files: int, budget: int, progress: Callable[[float, str], None] | None
) -> tuple[list[Any], int]:
    """One file's result row, and how many of its records were read."""

    def tell(done: int, total: int, _title: str) -> None:
        if progress:
            progress((number + done / max(total, 1)) / files, f"{path.name}: {done}/{total} article(s) embedded")

    if path.suffix.lower() not in SUPPORTED:
        return _error_row(path, f"unsupported type {path.suffix or '(none)'}; use one of {UPLOAD_TYPES}."), 0
    try:
        report = bot.ingest([path], progress=tell, max_records=budget)
    except AssistantError as exc:
        return _error_row(path, _short(str(exc), path)), 0
    except Exception:
        log.exception("ingesting upload %s failed", path)
        return _error_row(path, "ingest failed; the server log has the details."), 0
    details = "; ".join(_short(e, path) for e in report.errors)
    if report.articles_added:
        result = "added, with problems" if report.errors else "added"
    elif report.articles_skipped:
        result = "already stored, with problems" if report.errors else "already stored"
    else:
        result = "error"
    counts = [report.articles_added, report.articles_skipped, report.chunks_added, report.quotes_added]
    return [path.name, result, *counts, details], report.articles_added + report.articles_skipped


def _error_row(path: Path, message: str) -> list[Any]:
    return [path.name, "error", 0, 0, 0, 0, message]


def discard_upload(path: Path) -> None:
    """Remove an uploaded file, and the folder Gradio made for it when that is now empty. Only files inside
    Gradio's upload folder are touched (never a file the caller named from elsewhere)."""
    import gradio.utils

    cache = Path(gradio.utils.get_upload_folder()).resolve()
    try:
        folder = path.resolve().parent
        if not folder.is_relative_to(cache):
            return
        path.unlink(missing_ok=True)
        if folder != cache:
            folder.rmdir()
    except OSError:  # not empty, or already gone
        pass


def _short(message: str, path: Path) -> str:
    """Error messages name the upload by its file name, not by Gradio's temporary path."""
    return message.replace(str(path), path.name)


@dataclass
class CorpusTab:
    summary: Any
    articles: Any
    files: Any
    add: Any
    to_delete: Any
    remove: Any
    deleted: Any
    results: Any


def build_corpus_tab() -> CorpusTab:
    import gradio as gr

    summary = gr.Markdown(elem_id="corpus-summary")
    articles = gr.Dataframe(
        headers=ARTICLE_HEADERS,
        interactive=False,
        wrap=True,
        max_height=420,
        column_widths=["14%", "10%", "46%", "7%", "7%", "16%"],
        elem_id="articles",
        show_search="search",
    )
    with gr.Row():
        with gr.Column():
            files = gr.File(
                label=f"Add articles (.txt, .md, .html, .json, .jsonl, .pdf; up to {MAX_UPLOAD_FILES} files)",
                file_count="multiple",
                file_types=UPLOAD_TYPES,
                elem_id="upload",
            )
            add = gr.Button("Add to corpus", variant="primary", elem_id="add")
        with gr.Column():
            to_delete = gr.Dropdown([], label="Article (or click its row above)", elem_id="delete-pick")
            remove = gr.Button("Delete article", variant="stop", elem_id="delete")
            deleted = gr.HTML(elem_id="delete-status")  # article titles: escaped HTML, never Markdown
    results = gr.Dataframe(
        headers=UPLOAD_HEADERS,
        interactive=False,
        wrap=True,
        label="Upload results",
        column_widths=["18%", "12%", "7%", "9%", "7%", "7%", "40%"],
        elem_id="upload-results",
    )
    return CorpusTab(summary, articles, files, add, to_delete, remove, deleted, results)


def wire_corpus(bot: Assistant, corpus: CorpusView, tab: CorpusTab, quotes: Any, filters: list[Any]) -> Any:
    """Corpus events. `filters` = the chat's outlet and speaker dropdowns, refreshed with the store; `quotes` =
    the Quotes tab (quotes.py; it renders itself from the same snapshot when shown). Returns the refresh
    handler and its outputs, for the page's load event."""
    import gradio as gr

    def refresh(search: str, force: bool = False):
        snap = corpus.snapshot(force)
        return (
            snap.summary(),
            snap.article_rows(),
            gr.update(choices=snap.article_choices(), value=None),
            gr.update(choices=[("any outlet", "")] + snap.outlets),
            gr.update(choices=[("any speaker", "")] + snap.speakers),
        )

    def upload(files: list[str] | None, search: str, progress=gr.Progress()):
        if not files:
            return ([["", "error", 0, 0, 0, 0, "choose one or more files first."]], *refresh(search))
        rows = ingest_uploads(bot, list(files), lambda f, desc: progress(f, desc=desc))
        return (rows, *refresh(search, force=True))

    def delete(article_id: str | None, search: str):
        if not article_id:
            return ("<p>Pick an article to delete first.</p>", *refresh(search))
        title = next((a.title for a in corpus.snapshot().articles if a.id == article_id), None) or article_id
        removed = bot.delete_article(article_id)
        gone = f"<p>No article {esc(article_id)} (already deleted?).</p>"
        return (f"<p>Deleted “{esc(title)}”.</p>" if removed else gone, *refresh(search, force=True))

    def pick_article(evt: gr.SelectData):
        row = evt.row_value or []
        return row[-1] if row else None

    private = {"api_visibility": "private"}
    refreshed = [tab.summary, tab.articles, tab.to_delete, *filters]
    added = tab.add.click(upload, [tab.files, quotes.search], [tab.results, *refreshed], **private)
    added.then(lambda: None, None, tab.files, **private)
    tab.remove.click(delete, [tab.to_delete, quotes.search], [tab.deleted, *refreshed], **private)
    tab.articles.select(pick_article, None, tab.to_delete, **private)
    return refresh, refreshed
