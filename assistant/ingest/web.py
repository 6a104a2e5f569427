"""URLs → Article: a polite fetcher (robots.txt, timeouts, retries, a size limit) and trafilatura extraction.

The article keeps what the page itself states: title, outlet (og:site_name, JSON-LD publisher), author,
date (markup only: no guessing from the body text) and the canonical URL, which the citation links to. An
outlet is never made up from the domain name. Every failure is an IngestError naming the URL and what to do.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import IngestError
from assistant.models import Article

USER_AGENT = "news-assistant/0.1 (+respects robots.txt)"
ROBOTS_AGENT = "news-assistant"
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf",)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/feed+json")
MIN_WORDS = 25  # fewer words than this is a menu, a paywall or a login page, not an article
RETRY_STATUS = {429, 500, 502, 503, 504}
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def clean_url(url: str) -> str:
    """The URL without its fragment and tracking parameters (utm_*, fbclid, …): how a feed's link is matched
    against the canonical URLs already stored."""
    parts = urllib.parse.urlsplit(url.strip())
    query = [
        (k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(TRACKING)
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query), fragment=""))


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 0.5
    max_bytes: int = 20_000_000
    user_agent: str = USER_AGENT

    @classmethod
    def from_settings(cls, settings: Any) -> FetchOptions:
        return cls(
            timeout=settings.fetch_timeout,
            retries=settings.fetch_retries,
            max_bytes=settings.max_file_bytes,
            user_agent=settings.fetch_user_agent,
        )


@dataclass
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


class _Transient(Exception):
    """A failure worth another try (timeout, connection reset, 429, 5xx)."""


class HTTPStatusError(IngestError):
    """The server answered with an error status that another try will not fix (404, 403, …)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Fetcher:
    """HTTP GET with robots.txt (per host, cached), retries with backoff, a deadline and a size limit."""

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = options or FetchOptions()
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_failed: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, url: str, accept: str = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5") -> Fetched:
        """The page, or IngestError saying why not (robots.txt, HTTP status, timeout, size)."""
        if not self.allowed(url):
            raise IngestError(f"{url}: {self._refusal(url)}; it was not read.")
        fetched = self._with_retries(url, accept)
        if fetched.url != url and not self.allowed(fetched.url):
            raise IngestError(f"{url}: redirected to {fetched.url}, which robots.txt disallows; it was not used.")
        return fetched

    def _with_retries(self, url: str, accept: str) -> Fetched:
        last = ""
        for attempt in range(self.options.retries + 1):
            if attempt:
                time.sleep(self.options.backoff * 2 ** (attempt - 1))
            try:
                return self._once(url, accept)
            except _Transient as exc:
                last = str(exc)
        tries = self.options.retries + 1
        raise IngestError(f"{url}: {last} (after {tries} tries); check the address or try again later.")

    def _once(self, url: str, accept: str) -> Fetched:
        request = urllib.request.Request(url, headers={"User-Agent": self.options.user_agent, "Accept": accept})
        deadline = time.monotonic() + self.options.timeout
        try:
            with urllib.request.urlopen(request, timeout=self.options.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.options.max_bytes:
                    raise IngestError(self._too_big(url, int(length)))
                body = self._read(response, url, deadline)
                return Fetched(response.geturl(), response.headers.get_content_type(), body)
        except urllib.error.HTTPError as exc:
            if exc.code in RETRY_STATUS:
                raise _Transient(f"the server answered HTTP {exc.code}") from None
            raise HTTPStatusError(
                f"{url}: the server answered HTTP {exc.code} ({exc.reason}); check the URL.", exc.code
            ) from None
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            raise _Transient(f"no answer within {self.options.timeout:g} s ({type(exc).__name__})") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | ConnectionError):
                raise _Transient(f"no answer within {self.options.timeout:g} s ({exc.reason})") from None
            raise IngestError(f"{url}: cannot reach the site ({exc.reason}); check the address.") from None

    def _read(self, response: Any, url: str, deadline: float) -> bytes:
        chunks, size = [], 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > self.options.max_bytes:
                raise IngestError(self._too_big(url, size))
            if time.monotonic() > deadline:
                raise _Transient(f"the page took longer than {self.options.timeout:g} s to arrive")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str, size: int) -> str:
        return (
            f"{url}: {size:,} bytes or more is over the {self.options.max_bytes:,}-byte limit; "
            "raise ASSISTANT_MAX_FILE_BYTES to read it."
        )

    def allowed(self, url: str) -> bool:
        """robots.txt says yes (RFC 9309: a missing robots.txt or a 4xx allows all; a server error or no answer
        allows nothing, for now: the next Fetcher, e.g. the next watch round, asks again)."""
        origin = _origin(url)
        with self._lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
            return self._robots[origin].can_fetch(ROBOTS_AGENT, url)

    def _refusal(self, url: str) -> str:
        failed = self._robots_failed.get(_origin(url))
        if failed:
            return f"robots.txt of this site could not be read ({failed}), so nothing there is fetched"
        return "robots.txt of this site disallows fetching it"

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            fetched = self._with_retries(f"{origin}/robots.txt", "text/plain")
            parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
        except HTTPStatusError as exc:
            parser.allow_all = exc.status < 500
        except IngestError as exc:
            parser.disallow_all = True
            self._robots_failed[origin] = str(exc).split(": ", 1)[-1].split(";")[0]
        return parser


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(eq=False)
class WebSource:
    """A URL to ingest, with the fetcher that reads it (shared, so robots.txt is read once per site) and what a
    feed said about the item (used only where the page itself is silent)."""

    url: str
    fetcher: Fetcher = field(default_factory=Fetcher)
    hints: dict[str, object] = field(default_factory=dict)
    stored: Callable[[list[str]], set[str]] | None = None  # which of these URLs are stored articles already

    def already_stored(self, *urls: str) -> str | None:
        """The first of `urls` (or its form without tracking parameters) that a stored article has."""
        if self.stored is None:
            return None
        wanted = list(dict.fromkeys(u for url in urls for u in (url, clean_url(url))))
        known = self.stored(wanted)
        return next((u for u in wanted if u in known), None)

    def __str__(self) -> str:
        return self.url


def extract_article(page: bytes | str, url: str, hints: dict[str, object] | None = None) -> Article:
    """trafilatura's text and metadata of an article page; `url` is where it was fetched from."""
    import trafilatura

    from assistant.ingest.loaders import make_article

    doc = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise IngestError(f"{url}: no article text found on this page; give the URL of the article itself.")
    if len(text.split()) < MIN_WORDS:
        raise IngestError(
            f"{url}: only {len(text.split())} words of text on this page (a paywall, a login or a page built by "
            "JavaScript?); save the article as a file and ingest that."
        )
    canonical = getattr(doc, "url", None) or url
    outlet = getattr(doc, "sitename", None)
    if outlet and outlet == _domain(canonical):  # trafilatura's fallback: a domain, not a stated outlet
        outlet = None
    hints = hints or {}
    return make_article(
        text,
        source_path=url,
        title=getattr(doc, "title", None) or hints.get("title"),
        outlet=outlet,
        published=getattr(doc, "date", None) or hints.get("published"),
        url=canonical,
        author=getattr(doc, "author", None) or hints.get("author"),
        language=getattr(doc, "language", None),
    )


def _domain(url: str) -> str:
    host = urllib.parse.urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def load_url(source: WebSource) -> tuple[list[Article], list[str]]:
    """Fetch and extract one URL: an HTML article or a PDF. A feed is refused with a pointer to --feed. An
    article whose URL, before or after fetching (the canonical one), is stored already is skipped."""
    if known := source.already_stored(source.url):
        return [], [_stored_note(source.url, known)]
    fetched = source.fetcher.get(source.url)
    if fetched.content_type in PDF_TYPES or fetched.body[:5] == b"%PDF-":
        from assistant.ingest.pdf import pdf_article

        article, problems = pdf_article(fetched.body, source=source.url, url=fetched.url, **source.hints)
    elif fetched.content_type in FEED_TYPES or b"<rss" in fetched.body.lstrip()[:200].lower():
        raise IngestError(f"{source.url}: this is a feed, not an article; ingest it with `--feed {source.url}`.")
    elif fetched.content_type not in HTML_TYPES and not fetched.content_type.startswith("text/"):
        raise IngestError(f"{source.url}: {fetched.content_type} is not an article page or a PDF; nothing read.")
    else:
        article, problems = extract_article(fetched.body, fetched.url, source.hints), []
    if article.url and (known := source.already_stored(article.url)):
        return [], [_stored_note(source.url, known)]
    return [article], problems


def _stored_note(url: str, known: str) -> str:
    return f"{url}: already stored (as {known}); skipped. Delete that article to fetch it again."
