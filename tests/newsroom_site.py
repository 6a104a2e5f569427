"""A local news site for the URL and feed tests: real-looking article pages in five kinds of markup, an RSS
feed and an Atom feed, a robots.txt that disallows /private/, and the pages that go wrong (slow, huge,
flaky 500s, a PDF press release, a page with no article). Loopback only; stdlib http.server in a thread.

    python tests/newsroom_site.py --port 8765     # serve it by hand (docs/ingest-sources.md)
"""

from __future__ import annotations

import datetime as dt
import html
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

OUTLETS = ["Velmar Courier", "Harbour Gazette", "The Northern Ledger", "Coastline Daily", None]
STORIES = [
    # (slug, headline, speaker, role, quote, topic sentence, second quote speaker, role, quote)
    (
        "ferry-fares",
        "Ferry fares to rise by 12% in April",
        "Ilan Brecht",
        "spokesman for the ferry crews' union",
        "Crews have not had a raise in three years, and passengers will pay for the owners' mistakes",
        "The operator blamed fuel prices and the cost of the new terminal.",
        "Marta Solis",
        "a commuter from Lindholm",
        "I will have to choose between the ferry and my rent",
    ),
    (
        "bridge-closure",
        "Old swing bridge closed after inspectors find cracks",
        "Helen Okonjo",
        "chief inspector of the city's structures office",
        "We found cracks in two of the four main girders",
        "Traffic was diverted over the harbour tunnel, adding twenty minutes at rush hour.",
        "Piet Jansen",
        "owner of a bakery next to the bridge",
        "Half my customers walk over that bridge every morning",
    ),
    (
        "school-meals",
        "Council extends free school meals to all primary pupils",
        "Zoé Côté-Lefèvre",
        "the council's deputy for education",
        "No child in this city should learn on an empty stomach",
        "The measure will cost 4.2 million a year and starts in September.",
        "Raymond Achterberg",
        "leader of the opposition group",
        "This is a promise the council cannot pay for",
    ),
    (
        "hospital-strike",
        "Nurses at St Brendan's begin a 48-hour strike",
        "Aoife Keane",
        "a ward nurse and union representative",
        "We are not striking for money alone; we are striking for safe wards",
        "The hospital cancelled 140 planned operations and kept emergency care running.",
        "Daniel Roche",
        "the hospital's chief executive",
        "Patients who need urgent care will get it",
    ),
    (
        "wind-farm",
        "Offshore wind farm approved despite fishermen's protest",
        "Anouk de Vries",
        "director of the Harbour Authority",
        "The turbines will power every home in the province by 2030",
        "The 60-turbine farm will be built twelve kilometres off the coast.",
        "Pieter Hals",
        "chairman of the Noordkust fishing cooperative",
        "Our best grounds will be closed for good",
    ),
    (
        "library-reopens",
        "Central library reopens after a two-year renovation",
        "Sanne Visser",
        "the city librarian",
        "We built a library for people who have never been inside one",
        "The building now has a children's floor, a makerspace and a rooftop reading room.",
        "Tomasz Wójcik",
        "a student who studied there for six years",
        "I missed this place more than I expected",
    ),
    (
        "tram-delays",
        "Tram line T2 extension delayed by a year",
        "Łukasz Nowak-Ferreira",
        "leader of the opposition on the transport committee",
        "Every tram project goes over budget, and ours is no exception",
        "Contractors found gas pipes that were not on any map beneath the avenue.",
        "Inès Nuñez",
        "who runs a café on the route",
        "We have lived with the barriers for eighteen months already",
    ),
    (
        "flood-defences",
        "River dykes to be raised by half a metre",
        "Marco Lenzi",
        "an engineer with the regional water agency",
        "The last flood came within ten centimetres of the top",
        "Work on the eastern dyke starts in May and will close the riverside path.",
        "Giulia Ferrante",
        "director of the flood relief coalition",
        "This is the investment we asked for after the last flood",
    ),
    (
        "port-automation",
        "Port operator to automate two container terminals",
        "Karin Holt",
        "chief executive of the port operator",
        "Automation keeps this port competitive with Rotterdam",
        "The operator says no dock worker will be dismissed before 2028.",
        "Ilan Brecht",
        "spokesman for the dockers' union",
        "Promises about 2028 are worth nothing in 2029",
    ),
    (
        "housing-plan",
        "Eight hundred homes planned on the old shipyard",
        "Yusuf Demir",
        "the city's housing alderman",
        "A third of these homes will be social housing, and that is not negotiable",
        "The first residents are expected to move in during 2027.",
        "Elena Marsh",
        "a spokeswoman for the shipyard heritage group",
        "The slipways must be kept, not buried under car parks",
    ),
    (
        "air-quality",
        "Air pollution near the ring road above EU limits",
        "Dr Lotte Brink",
        "an environmental scientist at the university",
        "Children living along the ring road breathe the worst air in the country",
        "Sensors recorded nitrogen dioxide above the annual limit at five of nine sites.",
        "Henk Bos",
        "the alderman for traffic",
        "We will lower the speed limit on the ring road this summer",
    ),
    (
        "budget-cuts",
        "Province to cut culture budget by 15%",
        "Fatima Ouali",
        "the provincial minister for finance",
        "Every department has to share the burden",
        "The cuts will hit theatres, museums and the regional orchestra.",
        "Jonas Eberhardt",
        "conductor of the regional orchestra",
        "An orchestra cut by fifteen per cent is no longer an orchestra",
    ),
    (
        "bus-drivers",
        "Bus drivers vote to accept new contract",
        "Mira Okafor",
        "a negotiator for the transport union",
        "Drivers get shorter shifts and a real break in the middle of them",
        "The contract ends a dispute that cancelled bus services on six Saturdays.",
        "Paul Verhoeven",
        "the transport company's human resources director",
        "This agreement gives both sides five years of peace",
    ),
    (
        "heatwave",
        "Heat plan activated as temperatures reach 36 degrees",
        "Dr Samir Haddad",
        "head of the regional health service",
        "Call your elderly neighbours twice a day until the heat breaks",
        "Cooling centres opened in eleven community halls.",
        "Greta Lund",
        "a volunteer at a cooling centre",
        "Most people who come here simply have no shade at home",
    ),
    (
        "cyber-attack",
        "Cyber attack disrupts the city's permit system",
        "Noah Fischer",
        "the city's chief information officer",
        "No personal data was taken, as far as we know today",
        "Building permits and parking licences could not be issued for four days.",
        "Claire Dumont",
        "a lawyer specialising in data protection",
        "As far as we know today is not a reassuring phrase",
    ),
    (
        "marathon",
        "Record field of 14,000 runners for the harbour marathon",
        "Kees van Dijk",
        "the race director",
        "The course is flat and fast, and we expect a course record",
        "Roads around the harbour will be closed from six in the morning until three.",
        "Amina Yusuf",
        "last year's women's winner",
        "I came back because the crowd carries you over the bridges",
    ),
    (
        "refinery-fine",
        "Refinery fined 2 million for repeated flaring",
        "Joris Maes",
        "a prosecutor with the environmental crimes unit",
        "The company ignored four warnings in two years",
        "Residents filed more than 300 complaints about black smoke and noise.",
        "Sabine Koch",
        "a spokeswoman for the refinery",
        "We will appeal, because the flaring was needed for safety",
    ),
    (
        "museum-return",
        "Museum returns bronze statues to Benin City",
        "Ngozi Eze",
        "the museum's director",
        "These objects were taken by force, and they are going home",
        "The twelve bronzes will travel in climate-controlled crates in November.",
        "Edo Okon",
        "a curator at the national museum in Benin City",
        "Our grandchildren will see them where they were made",
    ),
    (
        "taxi-app",
        "City council bans unlicensed ride-hailing drivers",
        "Henk Bos",
        "the alderman for traffic",
        "Every driver who carries passengers for money needs a licence",
        "Drivers caught without a licence face fines of 4,000 and the loss of their car for a month.",
        "Reza Karimi",
        "a driver who works for two apps",
        "I cannot afford the licence and I cannot afford the fine",
    ),
    (
        "snow-chaos",
        "Early snow strands hundreds on the coastal motorway",
        "Erik Lindqvist",
        "head of the road authority's winter service",
        "The snow came six hours earlier than forecast",
        "Gritting lorries could not reach the motorway because of jack-knifed trucks.",
        "Maria Costa",
        "a nurse who spent the night in her car",
        "Nobody came by for nine hours, not even with water",
    ),
    (
        "fish-quotas",
        "Herring quota cut by a third for next season",
        "Pieter Hals",
        "chairman of the Noordkust fishing cooperative",
        "A third less herring means a third fewer boats at sea",
        "Scientists had advised a cut of forty per cent to let the stock recover.",
        "Dr Lotte Brink",
        "a marine biologist at the university",
        "The stock needs more than one good year to recover",
    ),
    (
        "court-ruling",
        "Court halts demolition of the old fish market",
        "Judge Annelies Vos",
        "presiding judge of the administrative court",
        "The city did not weigh the building's heritage value",
        "The ruling sends the demolition permit back to the planning committee.",
        "Yusuf Demir",
        "the city's housing alderman",
        "We respect the court, and we will rewrite the permit",
    ),
]


@dataclass
class Story:
    slug: str
    headline: str
    outlet: str | None
    author: str
    published: dt.date
    paragraphs: list[str]

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}"


def stories() -> list[Story]:
    """The 22 articles; outlet, author, date and markup vary with the position in the list."""
    authors = ["Mira Okafor", "Jonas Weber", "Priya Raman", "Tom Hendricks", "Alba Ruiz"]
    out = []
    for i, (slug, headline, sp1, role1, q1, fact, sp2, role2, q2) in enumerate(STORIES):
        day = dt.date(2024, 3, 1) + dt.timedelta(days=i)
        paragraphs = [
            f"{headline}, officials confirmed on {day:%A}, in a decision that drew strong reactions across the city.",
            f"“{q1},” said {sp1}, {role1}.",
            fact,
            f"“{q2},” said {sp2}, {role2}, who spoke to reporters on {day:%A} afternoon.",
            "The decision will be reviewed by the council's oversight committee next month, and the minutes of "
            "that meeting will be published on the city's website.",
        ]
        out.append(Story(slug, headline, OUTLETS[i % 5], authors[i % 5], day, paragraphs))
    return out


def article_page(story: Story, base: str, kind: int) -> str:
    """One of five markups: 0 OpenGraph + <time>; 1 JSON-LD NewsArticle; 2 meta name=author/date and a
    canonical without tracking; 3 WordPress-like with sidebars and comments; 4 no site name at all."""
    canonical = f"{base}{story.path}"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    title = html.escape(story.headline)
    head, byline = [f"<link rel='canonical' href='{canonical}'>"], ""
    if kind == 0:
        head += [
            f"<meta property='og:site_name' content='{story.outlet}'>",
            f"<meta property='og:title' content='{title}'>",
            f"<meta property='article:published_time' content='{story.published}T08:30:00Z'>",
        ]
        byline = (
            f"<p class='byline'>By <span class='author'>{story.author}</span> · "
            f"<time datetime='{story.published}'>{story.published:%d %B %Y}</time></p>"
        )
    elif kind == 1:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.headline,
            "datePublished": f"{story.published}T07:00:00+01:00",
            "author": {"@type": "Person", "name": story.author},
            "publisher": {"@type": "Organization", "name": story.outlet},
            "mainEntityOfPage": canonical,
        }
        head.append(f"<script type='application/ld+json'>{json.dumps(data)}</script>")
    elif kind == 2:
        head += [
            f"<meta name='author' content='{story.author}'>",
            f"<meta name='date' content='{story.published}'>",
            f"<meta property='og:site_name' content='{story.outlet}'>",
        ]
    elif kind == 3:
        head += [
            f"<meta name='application-name' content='{story.outlet}'>",
            f"<meta property='og:site_name' content='{story.outlet}'>",
        ]
        byline = (
            "<div class='entry-meta'>Posted on <time class='entry-date published' "
            f"datetime='{story.published}T10:00:00'>{story.published:%B %d, %Y}</time> by "
            f"<a rel='author' href='/author/x'>{story.author}</a></div>"
        )
        body += (
            "<div id='comments'><h3>2 comments</h3>"
            "<div class='comment'><p>Great article, but what about parking?</p></div></div>"
        )
    else:
        byline = f"<p class='byline'>By {story.author}</p>"
    nav = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
    aside = "<aside><h4>Most read</h4><ul><li><a href='/x'>Weather: rain all week</a></li></ul></aside>"
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{''.join(head)}</head>"
        f"<body>{nav}<main><article><h1>{title}</h1>{byline}{body}</article></main>{aside}"
        f"<footer>© {story.outlet or 'All rights reserved'}</footer></body></html>"
    )


def rss(items: list[Story], base: str, tracking: bool = True) -> str:
    """RSS 2.0; every other link carries utm parameters (the canonical URL does not)."""
    entries = "".join(
        f"<item><title>{html.escape(s.headline)}</title>"
        f"<link>{base}{s.path}{'?utm_source=rss&amp;utm_medium=feed' if tracking and i % 2 else ''}</link>"
        f"<guid isPermaLink='false'>{s.slug}</guid><pubDate>{s.published:%a, %d %b %Y} 09:00:00 +0000</pubDate>"
        f"<description>{html.escape(s.paragraphs[0])}</description></item>"
        for i, s in enumerate(items)
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Velmar News</title>"
        f"<link>{base}/</link><description>Local news</description>{entries}</channel></rss>"
    )


def atom(items: list[Story], base: str) -> str:
    """Atom 1.0 with relative links (resolved against the feed's URL)."""
    entries = "".join(
        f"<entry><title>{html.escape(s.headline)}</title><link href='{s.path}'/><id>urn:velmar:{s.slug}</id>"
        f"<updated>{s.published}T09:00:00Z</updated><author><name>{s.author}</name></author></entry>"
        for s in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:base='{base}/'>"
        f"<title>Velmar News (Atom)</title><id>urn:velmar</id><updated>2024-03-31T00:00:00Z</updated>{entries}</feed>"
    )


class Site:
    """The routes, and counters the tests read (requests per path)."""

    def __init__(self, pdf: bytes | None = None, slow_seconds: float = 3.0, huge_bytes: int = 3_000_000) -> None:
        self.stories = stories()
        self.pdf, self.slow_seconds, self.huge_bytes = pdf, slow_seconds, huge_bytes
        self.hits: dict[str, int] = {}
        self.flaky_failures = 2
        self.base = ""

    def route(self, path: str) -> tuple[int, str, bytes]:
        bare = path.split("?")[0]
        self.hits[bare] = self.hits.get(bare, 0) + 1
        by_path = {s.path: (i, s) for i, s in enumerate(self.stories)}
        if bare in by_path:
            i, story = by_path[bare]
            return 200, "text/html; charset=utf-8", article_page(story, self.base, i % 5).encode()
        if bare == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /private/\n"
        if bare == "/feed.rss":
            return 200, "application/rss+xml", rss(self.stories, self.base).encode()
        if bare == "/feed.atom":
            return 200, "application/atom+xml", atom(self.stories[:20], self.base).encode()
        if bare == "/private/leak":
            return 200, "text/html", article_page(self.stories[0], self.base, 0).encode()
        if bare == "/flaky":
            if self.hits[bare] <= self.flaky_failures:
                return 500, "text/plain", b"temporary failure"
            return 200, "text/html; charset=utf-8", article_page(self.stories[1], self.base, 1).encode()
        if bare == "/huge":
            return 200, "text/html", b"<html><body><p>" + b"word " * (self.huge_bytes // 5) + b"</p></body></html>"
        if bare == "/release.pdf" and self.pdf:
            return 200, "application/pdf", self.pdf
        if bare == "/empty":
            return 200, "text/html", b"<html><body><nav>Home</nav></body></html>"
        return 404, "text/plain", b"not found"


def serve(site: Site, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the site on 127.0.0.1 in a daemon thread; returns (server, base URL)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/slow"):
                time.sleep(site.slow_seconds)
            status, ctype, body = site.route(self.path)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if not self.path.startswith("/huge"):  # the huge page streams without a length
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="newsroom-site", daemon=True).start()
    return server, site.base


if __name__ == "__main__":
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Serve the test newsroom on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    import tempfile

    from pdf_samples import REVIEW, build

    pdf = build(REVIEW, Path(tempfile.mkdtemp())).path.read_bytes()
    _server, base = serve(Site(pdf=pdf), args.port)
    print(f"serving {base}  (feeds: {base}/feed.rss {base}/feed.atom; PDF: {base}/release.pdf)", flush=True)
    threading.Event().wait()
