"""Files → Article. Reads .txt/.md (optional front matter), .json/.jsonl records, saved .html pages and .pdf
files (assistant.ingest.pdf); http(s) URLs are fetched (assistant.ingest.web).

Unknown metadata stays None: an outlet or date is never guessed. Bad files raise IngestError with a
message naming the file and the fix; a JSONL file skips bad lines and reports their numbers.

`iter_file` is what ingestion reads: it never raises for bad content. Every file and every JSONL line is its
own unit; any exception while reading one (a lone surrogate, a 5,000-digit number, JSON nested too deeply,
bytes that are not UTF-8) becomes one problem line naming the file, the line and the reason, and the rest is
read. JSONL files are streamed line by line (never held whole in memory).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.pdf import PDF_SUFFIXES, load_pdf
from assistant.ingest.web import WebSource, is_url, load_url
from assistant.models import Article
from assistant.text.dates import UNKNOWN, parse_date

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
FRONT_MATTER_KEYS = {"title", "outlet", "published", "url", "language", "author"}
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass
class LoadResult:
    """Articles read from one file, plus the problems met (e.g. skipped JSONL lines)."""

    path: Path | WebSource
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def article_id(outlet: str | None, url: str | None, title: str | None, text: str) -> str:
    """Stable id: the same report from the same outlet always hashes the same."""
    key = "\x1f".join([outlet or "", url or title or "", text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _encodable(text: str, what: str) -> str:
    """Refuses text that cannot be stored as UTF-8 (a lone surrogate from a JSON escape such as "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(
            f"the {what} holds an invalid character (U+{ord(text[exc.start]):04X} at position {exc.start}); "
            "re-save the record as valid UTF-8"
        ) from None
    if "\x00" in text:
        raise IngestError(f"the {what} holds a NUL character; remove it")
    return text


def _clean(value: object, key: str = "value") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise IngestError(f"'{key}' is a {type(value).__name__}; give it as text")
    text = _encodable(str(value), f"'{key}' field").strip()
    return None if text.lower() in UNKNOWN else text


def make_article(text: str, *, source_path: str | None = None, **meta: object) -> Article:
    """Build an Article from text and loose metadata; refuses empty text and text that cannot be stored."""
    if not text.strip():
        raise IngestError(f"{source_path or 'record'}: the article text is empty; add the body text.")
    _encodable(text, "article text")
    outlet, url, title = (_clean(meta.get(k), k) for k in ("outlet", "url", "title"))
    return Article(
        id=article_id(outlet, url, title, text),
        title=title,
        outlet=outlet,
        published=parse_date(meta.get("published")),
        url=url,
        language=_clean(meta.get("language"), "language"),
        author=_clean(meta.get("author"), "author"),
        text=text,
        source_path=source_path,
    )


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """`---` key: value block → (metadata, body). Without front matter the whole text is the body."""
    match = _FRONT.match(raw)
    if not match:
        return {}, raw
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise IngestError(f"front matter line {line!r} is not `key: value`; fix or remove it.")
        meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, raw[match.end() :]


def _read_text(path: Path, max_bytes: int) -> str:
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path}: the file is empty; nothing to ingest.")
    if size > max_bytes:
        raise IngestError(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit; split it or raise ASSISTANT_MAX_FILE_BYTES."
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise IngestError(f"{path}: looks like a binary file; only text, Markdown, JSON(L), HTML and PDF are read.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8.") from None


def _load_text_file(path: Path, raw: str) -> list[Article]:
    meta, body = split_front_matter(raw)
    unknown = set(meta) - FRONT_MATTER_KEYS
    if unknown:
        raise IngestError(f"{path}: unknown front-matter keys {sorted(unknown)}; use {sorted(FRONT_MATTER_KEYS)}.")
    return [make_article(body, source_path=str(path), **meta)]


def record_to_article(record: dict, source_path: str) -> Article:
    """A JSON record shaped like MultiHop-RAG's corpus (title, author, source, published_at, url, body)."""
    if not isinstance(record, dict):
        raise IngestError("record is not a JSON object")
    body = record.get("body", record.get("text"))
    if not isinstance(body, str):
        raise IngestError("record has no 'body' (or 'text') string")
    return make_article(
        body,
        source_path=source_path,
        title=record.get("title"),
        outlet=record.get("source", record.get("outlet")),
        published=record.get("published_at", record.get("published")),
        url=record.get("url"),
        author=record.get("author"),
        language=record.get("language"),
    )


def describe(exc: BaseException) -> str:
    """A one-line reason for an exception met while reading one file or record."""
    if isinstance(exc, IngestError):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON ({exc.msg})"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read; flatten the record"
    if isinstance(exc, UnicodeError):
        return f"not valid UTF-8 text ({exc.reason}); re-save it as UTF-8"
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return "holds a number too long to read (over 4,300 digits); give it as a string"
    return f"unreadable ({type(exc).__name__}: {str(exc)[:200]})"


def _record(path: Path, where: str, record: object) -> Article:
    try:
        return record_to_article(record, f"{path}:{where}")  # type: ignore[arg-type]
    except IngestError as exc:
        raise IngestError(f"{path}:{where}: skipped, {exc}") from None
    except (ValueError, RecursionError, UnicodeError, TypeError) as exc:
        raise IngestError(f"{path}:{where}: skipped, {describe(exc)}") from None


def iter_jsonl(path: Path, max_bytes: int) -> Iterator[Article | str]:
    """Articles of a JSONL file, read line by line; a bad line yields its problem ("file:line: reason")."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if len(raw) > max_bytes:
                yield f"{path}:{number}: skipped, the line is over the {max_bytes:,}-byte limit; split the record."
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                if not line.strip():
                    continue
                yield _record(path, str(number), json.loads(line))
            except IngestError as exc:
                yield str(exc)
            except Exception as exc:  # any failure of one line is that line's problem, never the file's
                yield f"{path}:{number}: skipped, {describe(exc)}"


def _load_records(path: Path, raw: str) -> LoadResult:
    """A .json file: one record or a list of records (the whole file is one JSON document)."""
    result = LoadResult(path)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}; fix the file.") from None
    except (ValueError, RecursionError) as exc:
        raise IngestError(f"{path}: {describe(exc)}") from None
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, 1):
        try:
            result.articles.append(_record(path, f"record {number}" if len(records) > 1 else "1", record))
        except IngestError as exc:
            result.problems.append(str(exc))
    if not result.articles:
        raise IngestError(f"{path}: no usable records; each needs a 'body' string. " + "; ".join(result.problems[:3]))
    return result


def _load_html(path: Path, raw: str) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, as_dict=True)
    text = (doc or {}).get("text") if isinstance(doc, dict) else getattr(doc, "text", None)
    if not text:
        raise IngestError(f"{path}: no article text found in this HTML page; save the article page itself.")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    return [
        make_article(
            text,
            source_path=str(path),
            title=get("title"),
            outlet=get("sitename"),
            published=get("date"),
            url=get("url"),
            author=get("author"),
            language=get("language"),
        )
    ]


def _check_type(path: Path) -> None:
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(f"{path}: unsupported type {path.suffix or '(none)'}; use one of {sorted(SUPPORTED)}.")


def load_file(path: Path | WebSource, max_bytes: int) -> LoadResult:
    """Read one file (or fetch one URL) into articles. Raises IngestError when nothing usable is in it."""
    if isinstance(path, WebSource):
        return LoadResult(path, *load_url(path))
    _check_type(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        article, problems = load_pdf(path, max_bytes)
        return LoadResult(path, [article], problems)
    if suffix in {".jsonl", ".ndjson"}:
        result = LoadResult(path)
        if path.stat().st_size == 0:
            raise IngestError(f"{path}: the file is empty; nothing to ingest.")
        for item in iter_jsonl(path, max_bytes):
            (result.problems if isinstance(item, str) else result.articles).append(item)  # type: ignore[arg-type]
        if not result.articles:
            raise IngestError(f"{path}: no usable records; each line needs a 'body' string. {result.problems[:3]}")
        return result
    raw = _read_text(path, max_bytes)
    if suffix in RECORD_SUFFIXES:
        return _load_records(path, raw)
    articles = _load_html(path, raw) if suffix in HTML_SUFFIXES else _load_text_file(path, raw)
    return LoadResult(path, articles)


def iter_file(path: Path | WebSource, max_bytes: int) -> Iterator[Article | str]:
    """What ingestion reads: the file's articles and, as strings, its problems. Never raises for bad content:
    a JSONL file is streamed line by line, any other file (or URL) is read whole (under max_bytes) as one unit."""
    try:
        if isinstance(path, Path):
            _check_type(path)
            if path.suffix.lower() in {".jsonl", ".ndjson"}:
                if path.stat().st_size == 0:
                    raise IngestError(f"{path}: the file is empty; nothing to ingest.")
                yield from iter_jsonl(path, max_bytes)
                return
        result = load_file(path, max_bytes)
    except IngestError as exc:
        yield str(exc)
        return
    except Exception as exc:  # whatever one file does, the others are still read
        yield f"{path}: skipped, {describe(exc)}"
        return
    yield from result.articles
    yield from result.problems


def expand_paths(paths: Iterable[str | Path | WebSource]) -> Iterator[Path | WebSource]:
    """Files as given, folders walked recursively (supported types only, sorted for stable order); URLs are
    passed on as WebSource."""
    for raw in paths:
        if isinstance(raw, WebSource) or is_url(raw):
            yield raw if isinstance(raw, WebSource) else WebSource(str(raw).strip())
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        elif path.is_file():
            yield path
        else:
            raise IngestError(f"{path}: no such file or folder; check the path.")
