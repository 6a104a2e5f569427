"""Fetching and extracting articles and feeds from a local news site (loopback http.server, no internet)."""

import datetime as dt

import pytest
from newsroom_site import Site, serve

from assistant.errors import IngestError
from assistant.ingest.feeds import FeedItem, new_items, parse_every, read_feed, watch
from assistant.ingest.web import Fetcher, FetchOptions, WebSource, clean_url, is_url, load_url

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def site():
    site = Site(slow_seconds=2.0, huge_bytes=400_000)
    server, _base = serve(site)
    yield site
    server.shutdown()


@pytest.fixture
def fetcher():
    return Fetcher(FetchOptions(timeout=0.5, retries=2, backoff=0.05, max_bytes=200_000))


def fetch(site, fetcher, path, **hints):
    return load_url(WebSource(site.base + path, fetcher, hints))


@pytest.mark.parametrize("kind", range(5))
def test_each_markup_gives_title_outlet_author_date_and_canonical_url(site, fetcher, kind):
    story = site.stories[kind]  # story i is served in markup i % 5
    link = f"{site.base}{story.path}?utm_source=rss"
    [article], problems = load_url(WebSource(link, fetcher))
    assert problems == []
    assert article.title == story.headline
    assert article.outlet == story.outlet  # markup 4 states no site name: None, never the domain
    assert article.author == story.author
    assert article.published == story.published
    assert article.url == site.base + story.path  # the canonical link, without the tracking parameters
    assert story.paragraphs[1] in article.text and "Most read" not in article.text and "parking" not in article.text


def test_robots_txt_is_respected(site, fetcher):
    before = site.hits.get("/private/leak", 0)
    with pytest.raises(IngestError, match="robots.txt"):
        fetch(site, fetcher, "/private/leak")
    assert site.hits.get("/private/leak", 0) == before  # never requested


def test_slow_page_times_out_after_the_retries(site, fetcher):
    with pytest.raises(IngestError, match=r"no answer within 0.5 s.*after 3 tries"):
        fetch(site, fetcher, "/slow")


def test_huge_page_is_refused_at_the_size_limit(site, fetcher):
    with pytest.raises(IngestError, match="over the 200,000-byte limit; raise ASSISTANT_MAX_FILE_BYTES"):
        fetch(site, fetcher, "/huge")


def test_server_error_recovers_on_retry(site, fetcher):
    site.hits.pop("/flaky", None)
    [article], _ = fetch(site, fetcher, "/flaky")
    assert article.title == site.stories[1].headline and site.hits["/flaky"] == 3  # two 500s, then the page
    site.hits.pop("/flaky", None)
    with pytest.raises(IngestError, match=r"HTTP 500 \(after 2 tries\)"):
        load_url(WebSource(site.base + "/flaky", Fetcher(FetchOptions(timeout=1, retries=1, backoff=0.01))))


def test_clear_errors_for_missing_pages_feeds_and_empty_pages(site, fetcher):
    with pytest.raises(IngestError, match="HTTP 404"):
        fetch(site, fetcher, "/gone")
    with pytest.raises(IngestError, match="this is a feed, not an article; ingest it with `--feed"):
        fetch(site, fetcher, "/feed.rss")
    with pytest.raises(IngestError, match="words of text on this page"):
        fetch(site, fetcher, "/empty")
    with pytest.raises(IngestError, match="cannot reach|no answer"):
        load_url(WebSource("http://127.0.0.1:9/article", Fetcher(FetchOptions(timeout=0.5, retries=0))))


def test_feed_hints_fill_only_what_the_page_does_not_state(site, fetcher):
    story = site.stories[4]  # markup 4: byline but no date in the markup
    [article], _ = fetch(site, fetcher, story.path, published=dt.date(2020, 1, 1), title="Feed title")
    assert article.title == story.headline  # the page's own title wins
    assert article.published in (story.published, dt.date(2020, 1, 1))


def test_rss_and_atom_feeds_list_their_items(site, fetcher):
    rss, problems = read_feed(site.base + "/feed.rss", fetcher)
    assert len(rss) == 22 and problems == []
    assert rss[1].link.endswith("?utm_source=rss&utm_medium=feed") and rss[1].published == site.stories[1].published
    atom, _ = read_feed(site.base + "/feed.atom", fetcher)
    assert len(atom) == 20 and atom[0].link == site.base + site.stories[0].path  # relative link made absolute
    assert atom[0].author == site.stories[0].author
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        read_feed(site.base + site.stories[0].path, fetcher)


def test_new_items_skip_stored_urls_with_or_without_tracking():
    items = [FeedItem("https://a.example/x?utm_source=rss"), FeedItem("https://a.example/y"), FeedItem("https://b/z")]
    stored = {"https://a.example/x", "https://b/z"}
    assert [i.link for i in new_items(items, lambda urls: stored & set(urls))] == ["https://a.example/y"]


def test_an_already_stored_url_is_not_fetched(site, fetcher):
    story = site.stories[2]
    before = site.hits.get(story.path, 0)
    source = WebSource(site.base + story.path, fetcher, stored=lambda urls: set(urls))
    articles, problems = load_url(source)
    assert articles == [] and "already stored" in problems[0] and site.hits.get(story.path, 0) == before


def test_urls_and_intervals():
    assert is_url("https://x.example/a") and is_url(" HTTP://x") and not is_url("corpus/a.md")
    assert clean_url("https://x.example/a?id=3&utm_source=rss&fbclid=9#top") == "https://x.example/a?id=3"
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("2h") == 7200
    assert parse_every("5") == 300
    for bad in ("soon", "1s", ""):
        with pytest.raises(IngestError, match="--every"):
            parse_every(bad)


def test_watch_runs_rounds_and_survives_a_failing_round():
    slept, seen = [], []
    calls = iter([[1], [2], [3]])
    assert watch(lambda: next(calls), 60, rounds=3, report=seen.append, sleep=slept.append) == 3
    assert seen == [1, 2, 3] and len(slept) == 2 and all(0 <= s <= 60 for s in slept)
