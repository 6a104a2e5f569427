"""Where newsrooms live: web pages, RSS/Atom feeds and PDFs into a real store, through the CLI and the
Python API, against a local news site (loopback http.server; no internet)."""

import json
import re

import pytest
from click.testing import CliRunner
from newsroom_site import Site, serve
from pdf_samples import REVIEW, build, fonts_available

from assistant import Assistant, Settings
from assistant.interfaces.cli import main
from assistant.interfaces.web.html import source_html

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pdf = build(REVIEW, tmp_path_factory.mktemp("pdf")).path.read_bytes() if fonts_available() else None
    site = Site(pdf=pdf, slow_seconds=2.0, huge_bytes=400_000)
    server, _base = serve(site)
    yield site
    server.shutdown()


def article_hits(site) -> int:
    return sum(n for path, n in site.hits.items() if path in {s.path for s in site.stories})


def test_feed_ingested_twice_adds_nothing_the_second_time(site, tmp_path):
    runner, data = CliRunner(), str(tmp_path / "store")
    first = runner.invoke(main, ["--data-dir", data, "ingest", "--feed", site.base + "/feed.rss"])
    assert first.exit_code == 0, first.output
    assert "22 items, 0 already stored, 22 fetched: 22 added, 0 unchanged, 0 failed" in first.output
    fetched = article_hits(site)
    again = runner.invoke(
        main, ["--data-dir", data, "ingest", "--feed", site.base + "/feed.rss", "--feed", site.base + "/feed.atom"]
    )
    assert again.exit_code == 0, again.output
    assert "22 items, 22 already stored, 0 fetched: 0 added" in again.output
    assert "20 items, 20 already stored, 0 fetched: 0 added" in again.output
    assert article_hits(site) == fetched  # nothing was fetched again
    rows = json.loads(runner.invoke(main, ["--data-dir", data, "articles", "--json"]).output)
    assert len(rows) == 22 and len({r["url"] for r in rows}) == 22
    assert all("utm_" not in r["url"] for r in rows)  # canonical URLs are kept for the citation
    by_url = {r["url"]: r for r in rows}
    for story in site.stories[:5]:
        row = by_url[site.base + story.path]
        assert (row["title"], row["outlet"], row["author"]) == (story.headline, story.outlet, story.author)
        assert row["published"] == str(story.published)
    watched = runner.invoke(
        main, ["--data-dir", data, "watch", site.base + "/feed.rss", "--every", "10s", "--rounds", "1"]
    )
    assert watched.exit_code == 0 and "22 already stored, 0 fetched" in watched.output


def test_python_api_ingests_urls_with_a_clear_error_per_failed_item(site, tmp_path):
    bot = Assistant(Settings(data_dir=tmp_path, fetch_timeout=0.5, fetch_retries=1, max_file_bytes=200_000))
    story = site.stories[3]
    urls = [site.base + story.path, *(site.base + p for p in ("/private/leak", "/gone", "/slow", "/huge"))]
    report = bot.ingest(urls)
    assert report.articles_added == 1 and len(report.errors) == 4
    for path, why in [
        ("/private/leak", "robots.txt"),
        ("/gone", "HTTP 404"),
        ("/slow", "no answer"),
        ("/huge", "limit"),
    ]:
        assert any(e.startswith(site.base + path) and why in e for e in report.errors), (path, report.errors)
    answer = bot.ask(f"What did {story.paragraphs[1].split(' said ')[1].split(',')[0]} say?")
    assert not answer.refused and answer.citations[0].url == site.base + story.path
    assert answer.citations[0].outlet == story.outlet and answer.citations[0].page is None
    assert bot.ingest([site.base + story.path]).articles_added == 0  # stored: skipped by its URL


@pytest.mark.skipif(not fonts_available(), reason="Debian's DejaVu/Liberation fonts are needed to build PDFs")
def test_pdf_answer_cites_its_page(site, tmp_path):
    data = str(tmp_path / "store")
    runner = CliRunner()
    added = runner.invoke(main, ["--data-dir", data, "ingest", site.base + "/release.pdf"])
    assert added.exit_code == 0 and "articles added: 1" in added.output, added.output
    out = runner.invoke(
        main, ["--data-dir", data, "ask", "--json", "What did Patrick Weir say about the recommendations?"]
    )
    answer = json.loads(out.output)
    cite = answer["citations"][0]
    assert (cite["speaker"], cite["page"], cite["url"]) == ("Patrick Weir", 2, site.base + "/release.pdf")
    assert cite["title"] == REVIEW.title
    plain = runner.invoke(main, ["--data-dir", data, "ask", "--no-stream", "What did Helen Okonjo say?"]).output
    assert re.search(r"\[1\] outlet not stated, undated, Rail Safety Review 2024.*, p\. 2 — Helen Okonjo", plain), plain
    bot = Assistant(Settings(data_dir=data))
    article = bot.store.get_articles([cite["article_id"]])[cite["article_id"]]
    assert article.page_at(cite["start"]) == 2 and len(article.page_starts) == 2  # stored and read back
    panel = source_html(bot.ask("What did Patrick Weir say about the recommendations?").citations[0], 1, article)
    assert "<span class='page'>p. 2</span>" in panel
