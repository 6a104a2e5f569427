"""HTML for the web chat: answers with citation chips, the sources panel, article passages.

Every value that comes from an article or a user goes through `esc` (html.escape) before it is placed in
markup; nothing here passes text through Markdown. Only http(s) URLs become links. The chat (Gradio
Chatbot with render_markdown=False) shows these fragments after its own sanitiser; the sources panel is a
gr.HTML. Chips are plain links `<a class="chip" href="#src-T-N">`: the script in HEAD opens source N of
turn T in the panel, and without the script the link still jumps to the source row.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from assistant.models import REFUSAL, Answer, Article, Citation, Quote

_TRAILING_MARKERS = re.compile(r"((?:\s*\[\d+\])+)\s*$")
_ONE_MARKER = re.compile(r"\[(\d+)\]")
_ON_MEDIA = {
    "x",
    "twitter",
    "facebook",
    "instagram",
    "telegram",
    "tiktok",
    "youtube",
    "linkedin",
    "bluesky",
    "threads",
    "mastodon",
    "television",
    "tv",
    "radio",
    "social media",
    "a podcast",
    "podcast",
}
_IN_MEDIA = ("press release", "statement", "communiqué", "interview")
PASSAGE_CHARS = 1200


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s); anything else (javascript:, data:, relative) is not linked."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.I):
        return url.strip()
    return None


def via_phrase(via: str) -> str:
    """'X' → 'on X', 'Libération' → 'to Libération', 'press release' → 'in a press release'."""
    low = via.strip().casefold()
    if low in _ON_MEDIA:
        return f"on {via}"
    if any(word in low for word in _IN_MEDIA):
        return f"in {via}" if low.startswith(("a ", "an ", "the ", "its ", "his ", "her ", "their ")) else f"in a {via}"
    return f"to {via}"


def speaker_line(speaker: str | None, role: str | None, via: str | None, kind: str | None = None) -> str:
    """'Karam Shaar — researcher, New Lines Institute — to Libération' (plain text, not escaped); reported
    speech is labelled as such, because its words are the reporter's, not the speaker's."""
    if not speaker:
        return "the article's own reporting (no speaker)"
    reported = "reported speech (paraphrase)" if kind == "indirect" else None
    return " — ".join(x for x in (speaker, role, via_phrase(via) if via else None, reported) if x)


def outlet_text(outlet: str | None) -> str:
    return outlet or "outlet not stated"


def meta_html(outlet: str | None, published: object, title: str | None, url: str | None) -> str:
    """'outlet · date · title', the title linked when the article has an http(s) URL."""
    outlet_part = esc(outlet) if outlet else "<em>outlet not stated</em>"
    title_part = esc(title or "(untitled)")
    link = safe_url(url)
    if link:
        title_part = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">{title_part}</a>'
    return f"{outlet_part} · {esc(published or 'undated')} · {title_part}"


def passage_html(text: str, start: int, end: int, max_chars: int = PASSAGE_CHARS) -> str:
    """The paragraph around text[start:end], the span wrapped in <mark>; long paragraphs are trimmed."""
    if not (0 <= start < end <= len(text)):
        return ""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before, marked, after = text[para_start:start], text[start:end], text[end:para_end]
    room = max(max_chars - len(marked), 0) // 2
    if len(before) > room:
        cut = before[len(before) - room :]
        before = "…" + cut[cut.find(" ") + 1 :] if " " in cut else "…" + cut
    if len(after) > room:
        cut = after[:room]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
    return f"{esc(before)}<mark>{esc(marked)}</mark>{esc(after)}"


# -- chat messages ---------------------------------------------------------------------------------
def user_html(message: str) -> str:
    return f"<p class='user-q'>{esc(message)}</p>"


def pending_html() -> str:
    return "<p class='pending'>Searching the articles…</p>"


def error_html(message: str) -> str:
    return f"<p class='error'>⚠ {esc(message)}</p>"


def chip(turn: int, n: int) -> str:
    return f'<a class="chip" href="#src-{turn}-{n}" title="Show source {n}">[{n}]</a>'


def filters_text(filters: Mapping[str, str]) -> str:
    names = {"outlet": "outlet", "speaker": "speaker", "since": "since", "until": "until"}
    return " · ".join(f"{names.get(k, k)}: {v}" for k, v in filters.items() if v)


def statement_html(line: str, turn: int, valid: set[int]) -> str:
    """One answer line; its trailing [n] markers become chips (markers inside quoted text stay text)."""
    match = _TRAILING_MARKERS.search(line)
    body, chips = line, ""
    if match:
        numbers = [int(n) for n in _ONE_MARKER.findall(match.group(1))]
        if all(n in valid for n in numbers):
            body = line[: match.start()]
            chips = " " + " ".join(chip(turn, n) for n in dict.fromkeys(numbers))
    return f"<p class='stmt'>{esc(body.strip())}{chips}</p>"


def answer_parts(answer: Answer, turn: int) -> tuple[list[str], str]:
    """(statement fragments, footer) for streaming an answer statement by statement."""
    notes = []
    if answer.standalone_question:
        notes.append(f"<p class='note'>Understood as: {esc(answer.standalone_question)}</p>")
    if answer.filters:
        notes.append(f"<p class='note filters'>Filters: {esc(filters_text(answer.filters))}</p>")
    footer = "".join(notes) + checks_html(answer, turn)
    if answer.refused:
        return [f"<p class='refusal'><strong>No answer</strong> — {esc(REFUSAL)}</p>"], footer
    valid = {c.id for c in answer.citations}
    lines = [line for line in answer.answer.split("\n") if line.strip()]
    return [statement_html(line, turn, valid) for line in lines], footer


_CLAUSE_MARKS = {"supported": "✓", "contradicted": "✗", "unknown": "?"}


def checks_html(answer: Answer, turn: int) -> str:
    """How each clause of a question across reports was decided, and the figures that disagree across the
    cited reports (every value with its outlet and date)."""
    valid = {c.id for c in answer.citations}
    items = []
    for clause in answer.clauses:
        status = clause.status if clause.status in _CLAUSE_MARKS else "unknown"
        cite = f" {chip(turn, clause.citation)}" if clause.citation in valid else ""
        items.append(
            f"<li class='clause {status}'>{_CLAUSE_MARKS[status]} {esc(clause.text)}{cite}"
            f" <span class='why'>— {esc(clause.reason)}</span></li>"
        )
    out = f"<p class='undecided'>No verdict: {esc(answer.undecided)}</p>" if answer.undecided else ""
    out += f"<ul class='clauses'>{''.join(items)}</ul>" if items else ""
    for conflict in answer.conflicts:
        values = "; ".join(
            f"<strong>{esc(v.text)}</strong> — {esc(outlet_text(v.outlet))}, {esc(v.published or 'undated')}"
            + (f" {chip(turn, v.citation)}" if v.citation in valid else "")
            for v in conflict.values
        )
        out += f"<p class='conflict'>⚠ Figures disagree ({esc(conflict.quantity)}): {values}</p>"
    return out


def corroboration_html(c: Citation) -> str:
    """'Reported by 3 outlets: A, B, C' for a citation whose claim other independent outlets also report."""
    if len(c.independent_outlets) < 2:
        return ""
    names = ", ".join(esc(o) for o in c.independent_outlets)
    return f"<span class='corroboration'>Reported by {len(c.independent_outlets)} outlets: {names}</span>"


def answer_html(answer: Answer, turn: int) -> str:
    parts, footer = answer_parts(answer, turn)
    return "".join(parts) + footer


# -- sources panel ---------------------------------------------------------------------------------
def source_html(c: Citation, turn: int, article: Article | None) -> str:
    """One source row: the summary (who, outlet, date, title) is the clickable row; opening it shows the
    paragraph with the cited words highlighted."""
    text = article.text if article is not None else None
    if text is not None and text[c.start : c.end] == c.quote:
        para = passage_html(text, c.start, c.end)
    else:  # the article was deleted or changed since: show the verified quote alone
        para = f"<mark>{esc(c.quote)}</mark>"
    who_class = "who" if c.speaker else "who narration"
    page = f" · <span class='page'>p. {esc(c.page)}</span>" if c.page else ""
    return (
        f"<details class='src' id='src-{turn}-{c.id}'>"
        f"<summary><span class='chip'>[{c.id}]</span> <span class='{who_class}'>"
        f"{esc(speaker_line(c.speaker, c.speaker_role, c.via, c.quote_kind))}</span>"
        f"<span class='meta'>{meta_html(c.outlet, c.published, c.title, c.url)}{page}</span>{corroboration_html(c)}"
        "</summary>"
        f"<p class='para'>{para}</p></details>"
    )


def turn_html(answer: Answer, turn: int, articles: Mapping[str, Article]) -> str:
    """The sources of one answer (a section of the panel)."""
    head = f"<p class='q'>Sources for: {esc(answer.question)}</p>"
    if answer.filters:
        head += f"<p class='note filters'>Filters: {esc(filters_text(answer.filters))}</p>"
    if answer.refused:
        body = "<p class='refusal'>No sources: the articles do not support an answer.</p>"
    else:
        body = "".join(source_html(c, turn, articles.get(c.article_id)) for c in answer.citations)
    return f"<section class='turn' id='turn-{turn}'>{head}{body}</section>"


def panel_html(sections: list[str]) -> str:
    """All turns' sources; the latest is shown, a chip click shows its own turn."""
    if not sections:
        return "<p class='empty'>Sources appear here. Click a [n] chip in an answer to see the quoted passage.</p>"
    *older, latest = sections
    return "".join(older) + latest.replace("<section class='turn'", "<section class='turn current'", 1)


def quote_passage_html(article: Article, quote: Quote) -> str:
    """The Quotes tab's passage view: who, where, and the paragraph with the quote highlighted."""
    return (
        f"<div class='passage'><p class='who'>"
        f"{esc(speaker_line(quote.speaker, quote.speaker_role, quote.via, quote.kind))}</p>"
        f"<p class='meta'>{meta_html(article.outlet, article.published, article.title, article.url)}</p>"
        f"<p class='para'>{passage_html(article.text, quote.start, quote.end)}</p></div>"
    )


# -- quote browser (the Quotes tab) ---------------------------------------------------------------
REPORTED = "(reported speech) "


def pager_html(page: int, pages: int, first: int, last: int, total: int, noun: str, of: str = "") -> str:
    """'‹ Prev · speakers 25–48 of 1,612 · page 2 of 68 · Next ›'; buttons carry the page they open."""
    of_attr = f" data-of='{esc(of)}'" if of else ""

    def button(label: str, target: int, enabled: bool) -> str:
        disabled = "" if enabled else " disabled"
        return f"<button type='button' class='pg' data-page='{target}'{of_attr}{disabled}>{label}</button>"

    where = f"{noun} {first:,}–{last:,} of {total:,} · page {page} of {pages}" if total else f"no {noun}"
    if pages <= 1:
        return f"<nav class='pager single'><span class='where'>{where}</span></nav>"
    return (
        f"<nav class='pager'>{button('« First', 1, page > 1)}{button('‹ Prev', page - 1, page > 1)}"
        f"<span class='where'>{where}</span>{button('Next ›', page + 1, page < pages)}"
        f"{button('Last »', pages, page < pages)}</nav>"
    )


def _span(first: object, last: object) -> str:
    if not first:
        return "undated"
    return str(first) if first == last else f"{first} – {last}"


def _more(items: tuple[str, ...], shown: int) -> str:
    head = " · ".join(esc(x) for x in items[:shown])
    return head + (f" <span class='more'>(+{len(items) - shown})</span>" if len(items) > shown else "")


def speaker_card_html(entry: object) -> str:
    """One speaker: name, most frequent role, outlets, quote count and dates; a button that opens them."""
    e = entry  # a quotes.SpeakerEntry (duck-typed: html.py imports nothing from the tabs)
    role = (
        f"<span class='role'>{esc(e.roles[0])}</span>" if e.roles else "<span class='role none'>role not stated</span>"
    )
    outlets = _more(e.outlets, 3) or "<em>outlet not stated</em>"
    count = f"{len(e.quotes)} quote{'s' if len(e.quotes) != 1 else ''}"
    return (
        f"<button type='button' class='speaker-card' data-speaker='{esc(e.key)}'>"
        f"<span class='name'>{esc(e.name)}</span>{role}<span class='outlets'>{outlets}</span>"
        f"<span class='count'>{count} · {esc(_span(*e.dates))}</span></button>"
    )


def speaker_cards_html(entries: list, page: int, pages: int, total: int, quotes: int, per_page: int) -> str:
    first = (page - 1) * per_page + 1
    pager = pager_html(page, pages, first, first + len(entries) - 1, total, "speakers")
    cards = "".join(speaker_card_html(e) for e in entries)
    return f"<p class='tally'>{total:,} speakers, {quotes:,} quotes</p>{pager}<div class='cards'>{cards}</div>{pager}"


def words_html(text: str, kind: str | None) -> str:
    """A direct quote in quotation marks; reported speech labelled and never in quotation marks."""
    if kind == "indirect" or text.startswith(REPORTED):
        return f"<span class='reported'>reported speech</span> {esc(text.removeprefix(REPORTED))}"
    return f"“{esc(text)}”"


def quote_rows_html(rows: list[list[str]], page: int, pages: int, total: int, per_page: int) -> str:
    """Compact rows (speaker, words, role, via, outlet, date, title, id); a row opens its passage."""
    first = (page - 1) * per_page + 1
    pager = pager_html(page, pages, first, first + len(rows) - 1, total, "quotes")
    body = "".join(
        f"<button type='button' class='qrow' data-quote='{esc(r[7])}'><span class='who'>{esc(r[0])}</span>"
        f"<span class='words'>{words_html(r[1], None)}</span>"
        f"<span class='meta'>{esc(r[4])} · {esc(r[5])}</span></button>"
        for r in rows
    )
    return f"{pager}<div class='qrows'>{body or '<p class=empty>No quote matches.</p>'}</div>{pager}"


def browser_empty_html(search: str) -> str:
    if search.strip():
        return f"<p class='empty'>No speaker or quote matches “{esc(search.strip())}”.</p>"
    return "<p class='empty'>No attributed quotes stored yet: add articles in the Corpus tab.</p>"


def _quote_block(article: Article, quote: Quote) -> str:
    via = f" · {esc(via_phrase(quote.via))}" if quote.via else ""
    tag = "<span class='reported'>reported speech</span> " if quote.kind == "indirect" else ""
    return (
        f"<article class='q'><p class='meta'>{meta_html(article.outlet, article.published, article.title, article.url)}"
        f"{via}</p><p class='para'>{tag}{passage_html(article.text, quote.start, quote.end, 700)}</p></article>"
    )


def speaker_detail_html(entry: object, shown: list, page: int, pages: int, per_page: int) -> str:
    """A speaker's quotes by date, each with its passage (the quoted words highlighted)."""
    e = entry
    first = (page - 1) * per_page + 1
    pager = pager_html(page, pages, first, first + len(shown) - 1, len(e.quotes), "quotes", of=e.key)
    other = [v for v in e.variants if v != e.name]
    facts = [f"<p class='roles'>{_more(e.roles, 3)}</p>" if e.roles else ""]
    facts.append(f"<p class='outlets'>Quoted by {_more(e.outlets, 8)}</p>" if e.outlets else "")
    facts.append(f"<p class='variants'>Also written: {_more(tuple(other), 6)}</p>" if other else "")
    return (
        f"<section class='speaker-detail'><h3>{esc(e.name)}</h3>{''.join(facts)}"
        f"<p class='count'>{len(e.quotes)} quotes, by date · {esc(_span(*e.dates))}</p>{pager}"
        f"{''.join(_quote_block(a, q) for a, q in shown)}{pager if pages > 1 else ''}</section>"
    )


def quote_detail_html(article: Article, quote: Quote) -> str:
    """One quote opened from the compact rows: who, where, and its passage."""
    head = f"<h3>{esc(quote.speaker or '')}</h3>"
    return f"<section class='speaker-detail'>{head}{quote_passage_html(article, quote)}</section>"


# -- feedback ---------------------------------------------------------------------------------------
def feedback_note_html(
    message: str | None, *, rating: int | None = None, label: str | None = None, question: str | None = None
) -> str:
    """The line under the chat that says what was recorded (or how to rate)."""
    if rating is not None:
        what = {1: "thumbs up (helpful)", -1: "thumbs down (not helpful)", 0: "rating cleared"}[rating]
        what += f" ({esc(label)})" if label else ""
        note = f"Recorded {what} for “{esc(question or '')}”. Add a comment below if you like."
        return f"<p class='feedback-note'>{note}</p>"
    if message:
        return f"<p class='feedback-note'>{esc(message)}</p>"
    return "<p class='feedback-note'>Rate any answer with the thumbs under it, or flag a problem with the flag.</p>"


CSS = """
a.chip, span.chip {display: inline-block; padding: 0 .4em; margin: 0 .1em; border-radius: .7em; font-size: .85em;
  font-weight: 600; text-decoration: none; background: var(--color-accent-soft, #e0e7ff);
  color: var(--color-accent, #3730a3); cursor: pointer; border: 1px solid var(--color-accent, #6366f1);}
a.chip:hover {filter: brightness(0.92);}
.stmt {margin: 0 0 .4em 0;}
.note {font-size: .85em; opacity: .75; margin: .2em 0;}
.pending {opacity: .6; font-style: italic;}
.answer.streaming::after {content: "▍"; opacity: .5;}
.refusal {color: #b42318; font-weight: 500;}
.error {color: #b42318;}
#sources .turn {display: none;}
#sources .turn.current {display: block;}
#sources .q {font-weight: 600; margin: 0 0 .4em 0;}
details.src {border-left: 3px solid #9ca3af; padding: 4px 10px; margin: 8px 0; border-radius: 4px;}
details.src.selected, details.src[open] {border-left-color: var(--color-accent, #6366f1);
  background: var(--background-fill-secondary, #f8fafc);}
details.src summary {cursor: pointer; list-style: none;}
details.src summary::-webkit-details-marker {display: none;}
details.src .who {font-weight: 600;}
details.src .who.narration {font-weight: 400; font-style: italic;}
details.src summary .meta {display: block; font-size: .85em; opacity: .8;}
.para {white-space: pre-wrap; line-height: 1.5;}
.para mark, .passage mark {background: #fde68a; color: #111; padding: 0 .1em;}
.passage .who {font-weight: 600;}
ul.clauses {margin: .3em 0; padding-left: 1.2em; font-size: .9em;}
ul.clauses li.contradicted {color: #b42318;}
ul.clauses li.unknown {opacity: .8;}
ul.clauses .why {opacity: .75;}
.conflict {color: #92400e; font-size: .9em;}
.corroboration {display: block; font-size: .85em; opacity: .85; margin: .2em 0;}
.feedback-note {font-size: .9em; opacity: .85; margin: .2em 0;}
#quote-browser .cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px;}
.speaker-card, .qrow {all: unset; box-sizing: border-box; cursor: pointer; border: 1px solid #d1d5db;
  border-radius: 6px; padding: 6px 9px; background: var(--background-fill-primary, #fff);}
.speaker-card {display: flex; flex-direction: column; gap: 2px; min-height: 92px;}
.speaker-card:hover, .qrow:hover, .speaker-card:focus, .qrow:focus {border-color: var(--color-accent, #6366f1);}
.speaker-card .name {font-weight: 600;}
.speaker-card .role, .speaker-card .outlets, .speaker-card .count {font-size: .82em; opacity: .85;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;}
.speaker-card .role.none {font-style: italic;}
.qrows {display: flex; flex-direction: column; gap: 3px;}
.qrow {display: grid; grid-template-columns: 150px 1fr 170px; gap: 8px; font-size: .9em; padding: 3px 8px;}
.qrow .who {font-weight: 600;}
.qrow .words {display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
.qrow .meta {font-size: .85em; opacity: .8;}
.pager {display: flex; align-items: center; gap: 6px; margin: 6px 0; flex-wrap: wrap;}
.pager .pg {all: unset; cursor: pointer; padding: 1px 8px; border: 1px solid #d1d5db; border-radius: 4px;}
.pager .pg[disabled] {opacity: .35; cursor: default;}
.pager .where, .tally {font-size: .85em; opacity: .85;}
.reported {font-size: .75em; text-transform: uppercase; letter-spacing: .03em; background: #e5e7eb; color: #374151;
  border-radius: 3px; padding: 0 .35em; margin-right: .3em;}
.speaker-detail h3 {margin: 0 0 .2em 0;}
.speaker-detail .roles, .speaker-detail .outlets, .speaker-detail .variants, .speaker-detail .count {
  font-size: .85em; margin: .1em 0;}
.speaker-detail article.q {border-left: 3px solid #9ca3af; padding: 2px 10px; margin: 8px 0;}
.speaker-detail article.q .meta {font-size: .82em; opacity: .8; margin: 0;}
"""

HEAD = """<script>
(() => {
  function showSource(turn, n) {
    const panel = document.getElementById('sources');
    const row = panel && panel.querySelector('#src-' + turn + '-' + n);
    if (!row) return false;
    panel.querySelectorAll('.turn').forEach((s) => s.classList.toggle('current', s.id === 'turn-' + turn));
    panel.querySelectorAll('details.src').forEach((d) => {
      d.open = d === row;
      d.classList.toggle('selected', d === row);
    });
    row.scrollIntoView({block: 'nearest'});
    return true;
  }
  document.addEventListener('click', (ev) => {
    const chip = ev.target instanceof Element ? ev.target.closest('a.chip') : null;
    const m = chip && /^#src-(\\d+)-(\\d+)$/.exec(chip.getAttribute('href') || '');
    if (m && showSource(m[1], m[2])) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }, true);
})();
</script>"""
