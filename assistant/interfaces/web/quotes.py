"""The Quotes tab: a quote browser, speaker first. One card per canonical speaker (role, outlets, quote count,
dates); a card opens that speaker's quotes by date, each with its passage. A second view lists every quote
as one compact row; a row opens its passage. One search box filters both.

Built for the 609-article corpus (about 1,600 speakers, several thousand quotes): nothing renders everything
at once — cards, rows and a speaker's quotes come a page at a time, and the index behind them is rebuilt only
when the store changes (the CorpusView snapshot). Speakers come from `Assistant.speakers()` (its canonical
names and spelling variants); every quote is filed under the speaker whose variants hold its name.
(No `from __future__ import annotations` here: Gradio reads handler annotations at run time.)
"""

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from assistant.core import Assistant
from assistant.interfaces.web.corpus import CorpusView, Snapshot
from assistant.interfaces.web.html import (
    browser_empty_html,
    quote_detail_html,
    quote_rows_html,
    speaker_cards_html,
    speaker_detail_html,
)
from assistant.lexicon import fold
from assistant.models import Article, Quote

CARDS_PER_PAGE = 24
ROWS_PER_PAGE = 50
DETAIL_PER_PAGE = 20
VIEWS = ["Speakers", "Quotes"]


@dataclass(frozen=True)
class SpeakerEntry:
    """A canonical speaker with their quotes in date order (undated last)."""

    key: str
    name: str
    variants: tuple[str, ...]
    roles: tuple[str, ...]
    outlets: tuple[str, ...]
    quotes: tuple[tuple[Article, Quote], ...]
    haystack: str  # folded name, variants, roles, outlets and quote words: what search looks in

    @property
    def dates(self) -> tuple[Any, Any]:
        dated = [a.published for a, _ in self.quotes if a.published]
        return (min(dated), max(dated)) if dated else (None, None)


def _date_key(pair: tuple[Article, Quote]) -> tuple:
    article, quote = pair
    return (article.published is None, article.published or "", article.title or "", quote.start)


def speaker_key(name: str) -> str:
    """Stable across rebuilds of the index (a card opened after the store changed still finds its speaker)."""
    return "s" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def page_slice(items: list, page: int, per_page: int) -> tuple[list, int]:
    """The items of `page` (clamped to 1..pages) and the page actually shown."""
    page = min(max(1, page), pages(len(items), per_page))
    return items[(page - 1) * per_page : page * per_page], page


class QuoteIndex:
    """Speakers and quotes of one snapshot, searchable; rebuilt when the snapshot changes."""

    def __init__(self, snapshot: Snapshot, speakers: list[Any]) -> None:
        self.snapshot = snapshot
        owner = {variant: s for s in speakers for variant in s.variants}
        grouped: dict[str, list[tuple[Article, Quote]]] = {}
        for article, quote in snapshot.quotes.values():
            speaker = owner.get(quote.speaker)
            grouped.setdefault(speaker.name if speaker else quote.speaker, []).append((article, quote))
        by_name = {s.name: s for s in speakers}
        self.speakers: list[SpeakerEntry] = []
        for name, found in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            speaker = by_name.get(name)
            variants = tuple(sorted(speaker.variants)) if speaker else (name,)
            roles = tuple(r for r, _ in speaker.roles.most_common()) if speaker else ()
            outlets = tuple(o for o, _ in speaker.outlets.most_common()) if speaker else ()
            words = " ".join(q.text for _, q in found)
            haystack = fold(" ".join([name, *variants, *roles, *outlets, words]))
            entry = SpeakerEntry(
                speaker_key(name), name, variants, roles, outlets, tuple(sorted(found, key=_date_key)), haystack
            )
            self.speakers.append(entry)
        self.by_key = {s.key: s for s in self.speakers}

    def find_speakers(self, search: str = "") -> list[SpeakerEntry]:
        needle = fold((search or "").strip())
        return [s for s in self.speakers if needle in s.haystack] if needle else self.speakers

    def find_quotes(self, search: str = "") -> list[list[str]]:
        """Compact rows (Snapshot.quote_rows: speaker, words, role, via, outlet, date, title, id), by date."""
        rows = self.snapshot.quote_rows(search)
        return sorted(rows, key=lambda r: (r[5] == "undated", r[5], r[0]))


class QuoteBrowser:
    """The tab's pages as HTML, from an index cached per store snapshot."""

    def __init__(self, bot: Assistant, corpus: CorpusView) -> None:
        self.bot, self.corpus = bot, corpus
        self._lock = threading.Lock()
        self._index: QuoteIndex | None = None

    def index(self) -> QuoteIndex:
        snapshot = self.corpus.snapshot()
        with self._lock:
            if self._index is None or self._index.snapshot is not snapshot:
                self._index = QuoteIndex(snapshot, self.bot.speakers())
            return self._index

    def page_html(self, view: str, search: str, page: int) -> str:
        index = self.index()
        if view == "Quotes":
            rows = index.find_quotes(search)
            shown, page = page_slice(rows, page, ROWS_PER_PAGE)
            return quote_rows_html(shown, page, pages(len(rows), ROWS_PER_PAGE), len(rows), ROWS_PER_PAGE)
        found = index.find_speakers(search)
        if not found:
            return browser_empty_html(search)
        shown, page = page_slice(found, page, CARDS_PER_PAGE)
        total_quotes = sum(len(s.quotes) for s in found)
        return speaker_cards_html(
            shown, page, pages(len(found), CARDS_PER_PAGE), len(found), total_quotes, CARDS_PER_PAGE
        )

    def speaker_html(self, key: str, page: int = 1) -> str:
        entry = self.index().by_key.get(key)
        if entry is None:
            return "<p class='empty'>That speaker is no longer stored; search again.</p>"
        shown, page = page_slice(list(entry.quotes), page, DETAIL_PER_PAGE)
        return speaker_detail_html(entry, shown, page, pages(len(entry.quotes), DETAIL_PER_PAGE), DETAIL_PER_PAGE)

    def quote_html(self, quote_id: str) -> str:
        found = self.index().snapshot.quotes.get(quote_id)
        return quote_detail_html(*found) if found else "<p class='empty'>That quote is no longer stored.</p>"


@dataclass
class QuotesTab:
    search: Any
    view: Any
    browser: Any
    detail: Any


_CLICKS = """
element.addEventListener('click', (ev) => {
  const el = ev.target instanceof Element ? ev.target.closest('[data-page],[data-speaker],[data-quote]') : null;
  if (!el) return;
  ev.preventDefault();
  if (el.dataset.page) trigger('go_page', {page: Number(el.dataset.page), speaker: el.dataset.of || ''});
  else if (el.dataset.speaker) trigger('open_speaker', {speaker: el.dataset.speaker});
  else trigger('open_quote', {quote: el.dataset.quote});
});
"""


def build_quotes_tab() -> QuotesTab:
    import gradio as gr

    with gr.Row():
        search = gr.Textbox(
            label="Search speakers, roles, outlets and quotes", elem_id="quote-search", scale=4, max_length=200
        )
        view = gr.Radio(VIEWS, value="Speakers", label="Show", elem_id="quote-view", scale=1)
    with gr.Row():
        with gr.Column(scale=3):
            browser = gr.HTML("<p class='empty'>Loading speakers…</p>", elem_id="quote-browser", js_on_load=_CLICKS)
        with gr.Column(scale=2):
            detail = gr.HTML(
                "<p class='empty'>Pick a speaker or a quote to see the passages.</p>",
                elem_id="passage",
                js_on_load=_CLICKS,
            )
    return QuotesTab(search, view, browser, detail)


def wire_quotes(tab: QuotesTab, browser: QuoteBrowser, shown: Any) -> Any:
    """Search, view, paging and opening. `shown` is the tab itself (refreshed when selected). Returns the
    function that renders the first page, for the page-load event."""
    import gradio as gr

    private = {"api_visibility": "private"}

    def first_page(view: str, search: str) -> str:
        return browser.page_html(view, search, 1)

    def on_page(view: str, search: str, evt: gr.EventData) -> Any:
        data = evt._data or {}
        if data.get("speaker"):  # a page of one speaker's quotes (in the detail panel)
            return gr.skip(), browser.speaker_html(str(data["speaker"]), int(data.get("page") or 1))
        return browser.page_html(view, search, int(data.get("page") or 1)), gr.skip()

    def on_speaker(evt: gr.EventData) -> str:
        return browser.speaker_html(str((evt._data or {}).get("speaker", "")))

    def on_quote(evt: gr.EventData) -> str:
        return browser.quote_html(str((evt._data or {}).get("quote", "")))

    inputs = [tab.view, tab.search]
    tab.search.change(first_page, inputs, tab.browser, trigger_mode="always_last", **private)
    tab.view.change(first_page, inputs, tab.browser, **private)
    shown.select(first_page, inputs, tab.browser, **private)
    for html_part in (tab.browser, tab.detail):
        html_part.go_page(on_page, inputs, [tab.browser, tab.detail], **private)
        html_part.open_speaker(on_speaker, None, tab.detail, **private)
        html_part.open_quote(on_quote, None, tab.detail, **private)
    return first_page
