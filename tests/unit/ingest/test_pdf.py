"""PDF press releases and reports: text, paragraphs and page numbers against the text they were built from."""

import re

import pytest
from pdf_samples import BULLETIN, REVIEW, SAMPLES, build, build_scanned, fonts_available

from assistant.errors import IngestError
from assistant.ingest.loaders import load_file
from assistant.ingest.pdf import assemble, reflow, running_lines
from assistant.models import Article

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(not fonts_available(), reason="Debian's DejaVu/Liberation fonts are needed to build PDFs"),
]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    return {sample.name: build(sample, folder) for sample in SAMPLES}


@pytest.mark.parametrize("name", [s.name for s in SAMPLES])
def test_every_paragraph_comes_out_whole_and_on_its_page(built, name):
    doc = built[name]
    [article] = load_file(doc.path, 10_000_000).articles
    paragraphs = [norm(p) for p in article.text.split("\n\n")]
    for block, page in zip(doc.blocks, doc.pages):
        assert norm(block) in norm(article.text), block[:60]  # verbatim, in reading order across columns
        if page is not None:
            assert article.page_at(article.text.find(block[:40])) == page, block[:60]
    whole = sum(norm(b) in paragraphs for b in doc.blocks) / len(doc.blocks)
    assert whole >= 0.75, f"only {whole:.0%} of the paragraphs came out as paragraphs"
    assert len(article.page_starts) == doc.n_pages


def test_running_headers_and_footers_are_dropped(built):
    [article] = load_file(built[REVIEW.name].path, 10_000_000).articles
    assert "Ministry of Transport — Rail Safety Review 2024" not in article.text
    assert "Page 1 of" not in article.text and "Page 2 of" not in article.text
    assert article.title == REVIEW.title  # the PDF's /Title
    assert article.outlet is None and article.published is None  # not stated in the file: never guessed


def test_two_columns_are_read_column_by_column(built):
    [article] = load_file(built[BULLETIN.name].path, 10_000_000).articles
    first, last = BULLETIN.paragraphs[0], BULLETIN.paragraphs[-1]
    assert norm(article.text).find(norm(first)) < norm(article.text).find(norm(last))
    for quote in re.findall(r"“[^”]+”", " ".join(BULLETIN.paragraphs)):  # no quote cut by the other column
        assert quote in norm(article.text), quote


def test_scanned_pdf_gets_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(IngestError, match=r"no text layer.*run OCR first.*ocrmypdf"):
        load_file(build_scanned(tmp_path), 10_000_000)


def test_broken_and_oversized_pdfs(tmp_path, built):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(IngestError, match="not a readable PDF"):
        load_file(bad, 10_000_000)
    with pytest.raises(IngestError, match="over the 1,000-byte limit"):
        load_file(built[REVIEW.name].path, 1_000)


def test_reflow_and_page_offsets():
    assert reflow(["A wrapped line that goes on", "and ends here.", "", "Next paragraph."]) == (
        "A wrapped line that goes on and ends here.\n\nNext paragraph."
    )
    assert reflow(["the ten-", "year plan."]) == "the ten-year plan."
    text, starts = assemble(
        ["Page one text ends in the middle of a sentence that is long enough to join", "and goes on."]
    )
    assert text.endswith("to join and goes on.") and starts == (0, text.index("and goes on."))
    article = Article(id="x", text=text, page_starts=starts)
    assert article.page_at(0) == 1 and article.page_at(starts[1]) == 2 and Article(id="y", text="t").page_at(0) is None
    assert running_lines([["Report 2024", "body a", "Page 1"], ["Report 2024", "body b", "Page 2"]]) >= {
        "Report #",
        "Page #",
    }
