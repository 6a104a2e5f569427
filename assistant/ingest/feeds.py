"""RSS/Atom feeds → the URLs of their new items, and a watch loop that keeps ingesting them.

A feed item is new when neither its link nor that link without tracking parameters is the canonical URL of
a stored article: a second run over the same feed fetches nothing. A page reached through a link that
differs from its canonical URL is fetched again, and then skipped by the pipeline because its id (outlet,
canonical URL, text) is already stored. The feed's own date, title and author fill in only what the page
does not state.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.errors import IngestError
from assistant.ingest.web import Fetcher, clean_url, is_url
from assistant.models import IngestReport
from assistant.retrieval.store import Store

FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8,*/*;q=0.1"
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class FeedItem:
    link: str
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None

    def hints(self) -> dict[str, object]:
        return {k: v for k, v in (("title", self.title), ("published", self.published), ("author", self.author)) if v}


@dataclass
class FeedRun:
    """What one pass over one feed did."""

    feed: str
    items: int = 0
    new: int = 0
    report: IngestReport | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.error:
            return f"{self.feed}: failed: {self.error}"
        added = self.report.articles_added if self.report else 0
        skipped = self.report.articles_skipped if self.report else 0
        failed = len(self.report.errors) if self.report else 0
        return (
            f"{self.feed}: {self.items} items, {self.items - self.new} already stored, {self.new} fetched: "
            f"{added} added, {skipped} unchanged, {failed} failed"
        )


def read_feed(url: str, fetcher: Fetcher) -> tuple[list[FeedItem], list[str]]:
    """The items of an RSS or Atom feed (links made absolute), and the items that had to be skipped."""
    import feedparser

    fetched = fetcher.get(url, accept=FEED_ACCEPT)
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "no items")()
        raise IngestError(f"{url}: not an RSS or Atom feed ({reason}); give the feed's URL, not the site's.")
    items, problems = [], []
    for number, entry in enumerate(parsed.entries, 1):
        link = urllib.parse.urljoin(fetched.url, entry.get("link") or "")
        if not is_url(link):
            problems.append(f"{url}: item {number} ({entry.get('title', 'untitled')!r}) has no http(s) link; skipped")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(*stamp[:3]) if stamp else None
        items.append(FeedItem(link, entry.get("title") or None, published, entry.get("author") or None))
    return items, problems


def new_items(items: Iterable[FeedItem], stored_urls: Callable[[list[str]], set[str]]) -> list[FeedItem]:
    """Items whose link (as given, or without tracking parameters) is not already a stored canonical URL."""
    items = list({clean_url(i.link): i for i in items}.values())
    known = stored_urls(sorted({u for i in items for u in (i.link, clean_url(i.link))}))
    return [i for i in items if i.link not in known and clean_url(i.link) not in known]


def stored_urls(store: Store, urls: list[str]) -> set[str]:
    """Which of `urls` are the URL of an article in the store (one metadata query per 100 URLs)."""
    found: set[str] = set()
    for i in range(0, len(urls), 100):
        got = store.articles.get(where={"url": {"$in": urls[i : i + 100]}}, include=["metadatas"])
        found.update((m or {}).get("url", "") for m in got["metadatas"])
    return found


def parse_every(text: str) -> float:
    """'15m' → 900.0 seconds ('30s', '2h', '1d'; a bare number is minutes). At least 10 seconds."""
    match = _EVERY.match(text or "")
    if not match:
        raise IngestError(f"--every {text!r}: give a number and a unit, e.g. 15m, 30s, 2h.")
    seconds = float(match.group(1)) * _UNIT[match.group(2).lower()]
    if seconds < 10:
        raise IngestError(f"--every {text!r}: at least 10s between rounds, to be polite to the sites.")
    return seconds


def watch(
    run_once: Callable[[], list[FeedRun]],
    every: float,
    *,
    rounds: int | None = None,
    report: Callable[[FeedRun], None] = lambda _run: None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run `run_once` every `every` seconds (a failing feed never stops the loop); returns the rounds run."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        for run in run_once():
            report(run)
        done += 1
        if rounds is None or done < rounds:
            sleep(max(0.0, every - (time.monotonic() - started)))
    return done
