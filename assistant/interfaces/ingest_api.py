"""`POST /v1/ingest`: what `assistant ingest` reads, over HTTP — uploaded files, article records as JSON, and
http(s) URLs (fetched by `Assistant.ingest` when it reads URLs). Never a path on the server: a client must
not make the server read its own files.

Limits: MAX_FILES files or MAX_RECORDS records or MAX_URLS URLs per request, each file at most
`max_file_bytes`, only the file types the loaders read. Each file, record batch and URL gets its own result;
uploads are written to a private temporary folder that is removed after the ingest.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from assistant.errors import AssistantError
from assistant.ingest.loaders import SUPPORTED
from assistant.interfaces.context import Served

MAX_FILES = 20
MAX_RECORDS = 1000
MAX_URLS = 50
_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.I)


class IngestRequestError(AssistantError):
    """The request itself is unusable (nothing was stored)."""


def _safe_name(name: str, index: int) -> str:
    base = re.sub(r"[^\w.-]+", "_", Path(name or f"upload-{index}").name)[:100].lstrip(".") or f"upload-{index}"
    return f"{index:02d}-{base}"


def _result(served: Served, label: str, target: str | Path) -> dict[str, Any]:
    """Ingest one item; a failure is this item's error, never the request's."""
    try:
        report = served.bot.ingest([target], max_records=MAX_RECORDS)
    except AssistantError as exc:
        return {"item": label, "result": "error", "errors": [str(exc).replace(str(target), label)]}
    served.metrics.inc("assistant_ingested_articles_total", report.articles_added)
    result = "added" if report.articles_added else "already stored" if report.articles_skipped else "error"
    return {
        "item": label,
        "result": result,
        "articles_added": report.articles_added,
        "articles_skipped": report.articles_skipped,
        "chunks_added": report.chunks_added,
        "quotes_added": report.quotes_added,
        "article_ids": list(report.article_ids),
        "errors": [e.replace(str(target), label) for e in report.errors],
    }


async def _save_uploads(files: list[UploadFile], folder: Path, max_bytes: int) -> list[tuple[str, Path | str]]:
    """Each upload into `folder` (checked for type and size); an unusable one becomes an error string."""
    saved: list[tuple[str, Path | str]] = []
    for index, upload in enumerate(files):
        label = Path(upload.filename or f"upload-{index}").name
        if Path(label).suffix.lower() not in SUPPORTED:
            saved.append((label, f"unsupported type; use one of {sorted(SUPPORTED)}"))
            continue
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            saved.append((label, f"larger than the {max_bytes}-byte limit (ASSISTANT_MAX_FILE_BYTES)"))
            continue
        path = folder / _safe_name(label, index)
        path.write_bytes(data)
        saved.append((label, path))
    return saved


def _json_items(body: Any, folder: Path) -> list[tuple[str, Path | str]]:
    if not isinstance(body, dict) or not set(body) <= {"articles", "urls"} or not body:
        raise IngestRequestError('send {"articles": [records], "urls": ["https://…"]} or multipart `files`.')
    records, urls = body.get("articles") or [], body.get("urls") or []
    if not isinstance(records, list) or not isinstance(urls, list):
        raise IngestRequestError("`articles` and `urls` are lists.")
    if len(records) > MAX_RECORDS or len(urls) > MAX_URLS:
        raise IngestRequestError(f"at most {MAX_RECORDS} articles and {MAX_URLS} URLs per request; split it.")
    items: list[tuple[str, Path | str]] = []
    if records:
        path = folder / "articles.jsonl"  # the loader then names a bad record "articles.jsonl:N" (N = 1-based)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        items.append(("articles.jsonl", path))
    for url in urls:
        ok = isinstance(url, str) and _URL.match(url.strip())
        items.append((str(url)[:300], url.strip() if ok else "not an http(s) URL"))
    return items


async def ingest_request(served: Served, request: Request) -> dict[str, Any]:
    """Ingest what the request carries; returns one result per item and the totals."""
    kind = request.headers.get("content-type", "")
    with tempfile.TemporaryDirectory(prefix="api-ingest-") as tmp:
        folder = Path(tmp)
        if kind.startswith("multipart/form-data"):
            form = await request.form(max_files=MAX_FILES, max_fields=10)
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                raise IngestRequestError(f"attach 1-{MAX_FILES} files as the form field `files`.")
            items = await _save_uploads(uploads, folder, served.bot.settings.max_file_bytes)
        elif kind.startswith("application/json"):
            try:
                body = json.loads(await request.body())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise IngestRequestError(f"the body is not valid JSON ({exc}).") from None
            items = _json_items(body, folder)
        else:
            raise IngestRequestError("send multipart/form-data (`files`) or application/json.")
        results = []
        for label, target in items:
            if isinstance(target, str) and not _URL.match(target):
                results.append({"item": label, "result": "error", "errors": [f"{label}: {target}"]})
            else:
                results.append(await run_in_threadpool(_result, served, label, target))
    added = sum(r.get("articles_added", 0) for r in results)
    return {"articles_added": added, "items": results, "articles_stored": served.bot.store.counts()[0]}
