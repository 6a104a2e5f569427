"""PDF → Article, with the offset where each page starts, so a citation can name its page.

Text comes from pdfplumber's positioned lines, chosen over pypdf on measured extraction quality
(docs/ingest-sources.md, evals/studies/pdf_extraction.py): with the columns split at the gutter and the
paragraph gaps read from the layout, it matched pypdf on every sentence and quote and recovered far more
paragraphs (pdfplumber's plain extract_text reads two-column pages across both columns, so it is not used).
The page text is then tidied into prose the rest of the pipeline can attribute: running headers and
footers (lines repeated at the top or bottom of most pages) are dropped, runs of spaces from justified text
collapse, ligatures are spelled out, and wrapped lines are joined into paragraphs. A PDF without a text layer
(a scan) is refused with what to do, never stored empty; metadata the file does not state (outlet, date)
stays unknown.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.models import Article

PDF_SUFFIXES = {".pdf"}
MIN_CHARS_PER_PAGE = 25  # less than this on every page: a scan, not a text PDF
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)
_END = tuple(".!?:;”\"’')»")
_NOT_TITLE = re.compile(r"^(microsoft word|untitled|document\d*)\b|\.(docx?|odt|pdf|indd)$", re.I)


LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb06": "st"}
)


def read_pages(data: bytes, source: str) -> tuple[list[str], dict[str, str]]:
    """The text of each page (pdfplumber, columns split, a blank line between paragraphs) and the document's
    /Title and /Author."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page_text(page) for page in pdf.pages]
            info = pdf.metadata or {}
    except (PdfminerException, PDFPasswordIncorrect, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(
                f"{source}: the PDF is password-protected; save an unprotected copy, ingest that."
            ) from None
        raise IngestError(f"{source}: not a readable PDF ({cause}); re-export it or save it again as PDF.") from None
    meta = {k: str(info.get(k.title()) or "").strip() for k in ("title", "author")}
    return pages, meta


def gutter(page: Any, lines: list[dict]) -> float | None:
    """The x of the gap between two text columns, when the page has two: the middle of the widest vertical
    strip near the centre that only a few lines (titles, footers) cross, with text on both sides of it."""
    chars = [c for c in page.chars if c["text"].strip()]
    if len(lines) < 8:
        return None
    width = float(page.width)
    cover = [0] * int(width + 2)
    for c in chars:
        for x in range(max(int(c["x0"]), 0), min(int(c["x1"]) + 1, len(cover))):
            cover[x] += 1
    few = max(2, len(lines) // 10)
    best, run, start = (0, 0), 0, 0
    for x in range(int(width * 0.25), int(width * 0.75)):
        run, start = (run + 1, start) if cover[x] <= few else (0, x + 1)
        best = max(best, (run, start))
    if best[0] < 8:
        return None
    middle = best[1] + best[0] / 2
    left = sum(line["x1"] < middle for line in lines)
    right = sum(line["x0"] > middle for line in lines)
    return middle if min(left, right) >= 4 else None


def _lines(region: Any) -> list[dict]:
    return region.extract_text_lines(return_chars=True) if region is not None else []


def page_text(page: Any) -> str:
    """Lines in reading order (full-width lines above the columns, left column, right column, full-width lines
    below), with a blank line where the vertical gap or the font size says a new paragraph starts."""
    lines = _lines(page)
    x = gutter(page, lines)
    if x is not None:
        spans = [line for line in lines if line["x0"] < x - 2 and line["x1"] > x + 2 and _crosses(line, x)]
        columns = [line for line in lines if line not in spans]
        if columns:
            top, bottom = min(c["top"] for c in columns), max(c["bottom"] for c in columns)
            box = (0, top - 1, x, bottom + 1), (x, top - 1, float(page.width), bottom + 1)
            lines = (
                [s for s in spans if s["bottom"] <= top]
                + [line for b in box for line in _lines(page.within_bbox(b))]
                + [s for s in spans if s["top"] >= bottom]
            )
    return _with_breaks(lines).translate(LIGATURES)


def _crosses(line: dict, x: float) -> bool:
    """A line really spans the gutter (a title) rather than two column lines on one baseline."""
    return any(c["x0"] <= x <= c["x1"] or (c["x0"] > x and c["x0"] - x < 6) for c in line["chars"] if c["text"].strip())


def _size(line: dict) -> float:
    return statistics.median(c["size"] for c in line["chars"]) if line["chars"] else 0.0


def _with_breaks(lines: list[dict]) -> str:
    if not lines:
        return ""
    gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:]) if b["top"] > a["bottom"] - 1]
    usual = statistics.median(gaps) if gaps else 0.0
    out = [lines[0]["text"]]
    for prev, line in zip(lines, lines[1:]):
        gap = line["top"] - prev["bottom"]
        height = max(prev["bottom"] - prev["top"], 1.0)
        if gap > usual + 0.35 * height or gap < -height or abs(_size(line) - _size(prev)) > 1:
            out.append("")
        out.append(line["text"])
    return "\n".join(out)


def running_lines(pages: list[list[str]]) -> set[str]:
    """Headers and footers: lines (digits ignored) among the first or last two of at least half the pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        kept = [line.strip() for line in lines if line.strip()]
        edge = {_DIGITS.sub("#", line) for line in kept[:2] + kept[-2:]}
        seen.update(edge)
    return {line for line, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}


def _is_furniture(line: str, running: set[str]) -> bool:
    stripped = line.strip()
    return _DIGITS.sub("#", stripped) in running or bool(_PAGE_NUMBER.match(stripped))


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = f"{text}{line}" if text.endswith("-") or not text else f"{text} {line}"
    return text


def reflow(lines: list[str]) -> str:
    """Join wrapped lines into paragraphs. Blank lines (the layout's paragraph gaps) separate paragraphs;
    without any, a line that is short for the page and ends a sentence (or is a short heading) closes its
    paragraph. A line ending in a hyphen joins the next without a space."""
    lines = [_SPACES.sub(" ", line).strip() for line in lines]
    if "" in lines and any(lines):
        blocks: list[list[str]] = [[]]
        for line in lines:
            blocks[-1].append(line) if line else blocks.append([])
        return "\n\n".join(_join(block) for block in blocks if block)
    lines = [line for line in lines if line]
    if not lines:
        return ""
    full = statistics.quantiles([len(x) for x in lines], n=10)[-1] if len(lines) > 2 else max(map(len, lines))
    paragraphs, current = [], []
    for i, line in enumerate(lines):
        current.append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        short = len(line) < 0.8 * full
        heading = short and not line.endswith(_END) and len(line) < 60 and following[:1].isupper()
        if (short and line.endswith(_END)) or heading or not following:
            paragraphs.append(_join(current))
            current = []
    return "\n\n".join(paragraphs)


def assemble(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The article text and the offset where each page starts. A paragraph cut by a page break is rejoined
    with a space; the page still starts where its own text begins, mid-paragraph."""
    split = [page.splitlines() for page in pages]
    running = running_lines(split)
    text, starts = "", []
    for lines in split:
        body = reflow([line for line in lines if not _is_furniture(line, running)])
        if text and body:
            last = text[text.rfind("\n") + 1 :]
            joins = not last.endswith(_END) and (len(last) > 60 or body[:1].islower())  # not after a heading
            text += " " if joins else "\n\n"
        starts.append(len(text))
        text += body
    return text, tuple(starts)


def pdf_article(data: bytes, *, source: str, url: str | None = None, **meta: object) -> tuple[Article, list[str]]:
    """An Article from PDF bytes, and the problems met (pages without text). Raises IngestError for a scan."""
    from assistant.ingest.loaders import make_article

    pages, info = read_pages(data, source)
    blank = [i + 1 for i, page in enumerate(pages) if len(page.strip()) < MIN_CHARS_PER_PAGE]
    if len(blank) == len(pages):
        raise IngestError(
            f"{source}: this PDF has no text layer (a scanned image?); run OCR first, e.g. "
            "`ocrmypdf in.pdf out.pdf`, then ingest the OCR'd file."
        )
    text, starts = assemble(pages)
    stated = info["title"] if info["title"] and not _NOT_TITLE.search(info["title"]) else None
    title = meta.pop("title", None) or stated
    author = meta.pop("author", None) or info["author"] or None
    article = make_article(text, source_path=source, url=url, title=title, author=author, **meta)
    note = "has no text layer (scanned?); it was left out. OCR the file to add it."
    problems = [f"{source}: page {n} {note}" for n in blank]
    return article.model_copy(update={"page_starts": starts}), problems


def load_pdf(path: Path, max_bytes: int) -> tuple[Article, list[str]]:
    """Read a .pdf file (size-limited like every file)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit; split it or raise ASSISTANT_MAX_FILE_BYTES."
        )
    return pdf_article(path.read_bytes(), source=str(path))
