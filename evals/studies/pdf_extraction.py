"""pypdf or pdfplumber? Score both on PDFs whose source text is known.

Builds the sample press releases and reports of tests/pdf_samples.py (fpdf2, and the two-column and paged
ones again printed by headless Chromium when it is installed), extracts each page with both libraries (plain
`extract_text`, ligatures expanded) and with what the product stores (pdfplumber lines, columns split at the
gutter, paragraph gaps kept: assistant.ingest.pdf.read_pages), runs the same tidying
(assistant.ingest.pdf.assemble) and compares the result with the source text:

- chars: similarity of the whitespace-normalised texts (difflib ratio, 1.0 = identical);
- sentences: share of source sentences found verbatim (whitespace-normalised) in the extraction;
- quotes: share of the source's “quoted passages” found verbatim;
- speakers: share of the speakers attributed in the source text that are attributed in the extraction;
- paragraphs: share of source paragraphs that come out as exactly one paragraph;
- pages: share of single-page paragraphs whose first words map to the right page (`Article.page_at`).

Run: python -m evals.studies.pdf_extraction [--out DIR]   (needs pypdf too: pip install -e '.[studies]')
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from pdf_samples import SAMPLES, Built, build, build_with_chromium, chromium  # noqa: E402

from assistant.attribution.quotes import attributed, extract_quotes  # noqa: E402
from assistant.ingest.pdf import LIGATURES, assemble, read_pages  # noqa: E402
from assistant.models import Article  # noqa: E402

_WS = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?”])\s+(?=[“A-Z0-9])")
_QUOTED = re.compile(r"“[^”]+”")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [(page.extract_text() or "").translate(LIGATURES) for page in PdfReader(io.BytesIO(data)).pages]


def pdfplumber_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "").translate(LIGATURES) for page in pdf.pages]


def layout_pages(data: bytes) -> list[str]:
    """What the product stores: pdfplumber with the columns split and paragraph gaps kept."""
    return read_pages(data, "study")[0]


LIBRARIES: dict[str, Callable[[bytes], list[str]]] = {
    "pypdf": pypdf_pages,
    "pdfplumber": pdfplumber_pages,
    "pdfplumber+layout": layout_pages,
}


def speakers(text: str) -> set[str]:
    return {q.speaker for q in attributed(extract_quotes(text, "x")) if q.speaker}


def score(built: Built, text: str, starts: tuple[int, ...]) -> dict[str, float]:
    """The six measures of one extraction against its source."""
    got, want = norm(text), norm(built.text)
    sentences = [s for block in built.blocks for s in _SENTENCE.split(norm(block))]
    quotes = _QUOTED.findall(want)
    paragraphs = {norm(p) for p in text.split("\n\n")}
    source_speakers = speakers(built.text)
    article = Article(id="x", text=text, page_starts=starts)
    placed = [(b, p) for b, p in zip(built.blocks, built.pages) if p is not None]
    on_page = [article.page_at(text.find(b[:40])) == p for b, p in placed if text.find(b[:40]) >= 0]
    return {
        "chars": difflib.SequenceMatcher(None, got, want, autojunk=False).ratio(),
        "sentences": sum(s in got for s in sentences) / len(sentences),
        "quotes": sum(q in got for q in quotes) / len(quotes) if quotes else 1.0,
        "speakers": len(source_speakers & speakers(text)) / len(source_speakers) if source_speakers else 1.0,
        "paragraphs": sum(norm(b) in paragraphs for b in built.blocks) / len(built.blocks),
        "pages": sum(on_page) / len(placed) if placed else float("nan"),
    }


def samples(folder: Path) -> list[Built]:
    built = [build(sample, folder) for sample in SAMPLES]
    if chromium():
        built += [build_with_chromium(sample, folder) for sample in SAMPLES if sample.columns > 1 or sample.header]
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="Keep the PDFs here (default: a temp dir).")
    folder = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="pdf-study-"))
    built = samples(folder)
    measures = ["chars", "sentences", "quotes", "speakers", "paragraphs", "pages"]
    print(f"| file | pages | library | {' | '.join(measures)} | ms |")
    print("|" + " --- |" * (len(measures) + 4))
    totals: dict[str, list[dict[str, float]]] = {name: [] for name in LIBRARIES}
    for b in built:
        data = b.path.read_bytes()
        for name, extract in LIBRARIES.items():
            started = time.perf_counter()
            text, starts = assemble(extract(data))
            ms = (time.perf_counter() - started) * 1000
            row = score(b, text, starts)
            totals[name].append(row)
            cells = " | ".join("–" if v != v else f"{v:.3f}" for v in row.values())
            print(f"| {b.path.name} | {b.n_pages} | {name} | {cells} | {ms:.0f} |")
    for name, rows in totals.items():
        means = [sum(r[m] for r in rows if r[m] == r[m]) / max(1, sum(r[m] == r[m] for r in rows)) for m in measures]
        print(f"| **mean ({len(rows)} files)** | | {name} | {' | '.join(f'{v:.3f}' for v in means)} | |")


if __name__ == "__main__":
    main()
