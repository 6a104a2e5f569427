"""In a real browser (Debian chromium + Playwright): rating answers and exporting a conversation from the web
chat, the quote browser (on the shipped corpus and on a store the size of the 609-article corpus), the
evaluation report, and the app served under a prefix behind a reverse proxy. Screenshots in test-artifacts/."""

import datetime as dt
import json
import random
import re
import threading
import time

import pytest
from conftest import free_port
from test_browser import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM_ARGS,
    HOSTILE,
    ask,
    browser,
    chromium_path,
    last_answer,
    serve_with_hostile,
)

from assistant import Assistant, Settings
from assistant.interfaces.feedback import FeedbackStore
from assistant.interfaces.web.app import launch
from assistant.models import Article, Chunk, Quote

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
QUESTION = "What did Charles Lister say on X?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from serve_with_hostile(tmp_path_factory.mktemp("newsroom"))


def new_page(browser, url: str, width: int = 1280):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    return context, page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_rate_comment_and_export_a_conversation(browser, app):  # noqa: F811
    from playwright.sync_api import expect

    url, bot = app
    context, page = new_page(browser, url)
    page.wait_for_selector("#question textarea")
    ask(page, QUESTION)
    page.locator("#chat button[aria-label=Like]").last.click()
    expect(page.locator("#feedback-status")).to_contain_text(f"Recorded thumbs up (helpful) for “{QUESTION}”")
    page.fill("#feedback-comment textarea", "Right quote, right speaker <b>thanks</b>")
    page.click("#send-comment")
    expect(page.locator("#feedback-status")).to_contain_text("Comment saved")
    ask(page, "What did he say about the armed opposition?")  # a follow-up: its case will replay both turns
    page.locator("#chat button[aria-label=Feedback]").last.click()
    page.get_by_text("Wrong speaker", exact=True).last.click()
    expect(page.locator("#feedback-status")).to_contain_text("thumbs down (not helpful) (Wrong speaker)")
    ratings = sorted(FeedbackStore(bot.settings.data_dir).all(), key=lambda f: f.turn)
    assert [(f.rating, f.label) for f in ratings[-2:]] == [(1, None), (-1, "Wrong speaker")]
    assert ratings[-2].comment == "Right quote, right speaker <b>thanks</b>" and ratings[-2].answer == bot.ask(QUESTION)
    assert ratings[-1].history == (QUESTION,) and ratings[-1].answer.standalone_question
    expect(page.locator("#export-md")).to_be_enabled()
    with page.expect_download() as download:
        page.click("#export-md")
    markdown = open(download.value.path(), encoding="utf-8").read()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "conversation.md").write_text(markdown, encoding="utf-8")  # the exported conversation, to read
    assert f"## 1. {QUESTION}" in markdown and "## 2. What did he say about the armed opposition?" in markdown
    assert "[^1.1]: outlet not stated; 2024-11-30; “HTS Islamists and their allies take most of Aleppo”." in markdown
    assert "Speaker: Charles Lister, role: expert at the Middle East Institute, medium: on X." in markdown
    with page.expect_download() as download:
        page.click("#export-json")
    turns = json.loads(open(download.value.path(), encoding="utf-8").read())["turns"]
    assert turns[0] == bot.ask(QUESTION).model_dump(mode="json") and len(turns) == 2
    shot(page, "chat-feedback-export")
    page.click("#reset")
    expect(page.locator("#export-md")).to_be_disabled()
    context.close()


def test_quote_browser_on_the_shipped_corpus_is_speaker_first_and_escaped(browser, app):  # noqa: F811
    from playwright.sync_api import expect

    context, page = new_page(browser, app[0])
    page.get_by_role("tab", name="Quotes").click()
    cards = page.locator("#quote-browser .speaker-card")
    expect(cards.first).to_be_visible()
    lister = cards.filter(has_text="Charles Lister")
    expect(lister).to_contain_text("expert at the Middle East Institute")
    lister.click()
    detail = page.locator("#passage .speaker-detail")
    expect(detail.locator("h3")).to_have_text("Charles Lister")
    expect(detail.locator("article.q mark").first).to_contain_text("In many ways")
    page.fill("#quote-search textarea, #quote-search input", "Velan")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Mira Velan")
    cards.first.click()
    expect(page.locator("#passage mark").first).to_contain_text('<img src=x onerror="window.__xss=5">')
    page.get_by_label("Quotes", exact=True).check()  # the compact rows
    row = page.locator("#quote-browser .qrow", has_text="will double our capacity").first
    expect(row).to_contain_text("<img src=x")
    row.click()
    expect(page.locator("#passage mark")).to_contain_text('<img src=x onerror="window.__xss=5">')
    page.fill("#quote-search textarea, #quote-search input", "Observatory")
    expect(page.locator("#quote-browser .qrow .reported").first).to_have_text("reported speech")
    for area in ("#quote-browser", "#passage"):
        expect(page.locator(f"{area} img, {area} script, {area} b")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"
    shot(page, "quotes-shipped-corpus")
    context.close()


# -- the 609-article scale -------------------------------------------------------------------------------
FIRST = (
    "Ada Bela Cyra Dov Elin Faro Gita Hugo Ines Jora Kemal Lior Mina Nuno Olga Pavo Quin Rhea Sami Tova Ugo Vera "
    "Wim Xena Yara Zeno Alba Bruno Clio Dara Emil Fina Goran Hana Ivo Jana Kai Lena Milo Nora"
).split()
LAST = (
    "Abara Bonde Carve Dunmore Ekholm Fennick Garza Holt Ibsen Jorge Kovac Lund Moreau Novak Ortiz Pryce Quade "
    "Rask Soler Tamm Ulloa Voss Wendt Xu Yilmaz Zorn Adler Brandt Costa Dahl Evers Fox Gill Haas Ivers Juno Kerr "
    "Lowe Mraz Nagy"
).split()


def scale_store(data_dir, articles: int = 609, per_article: int = 8) -> tuple[int, int]:
    """A real ChromaDB store shaped like the MultiHop-RAG corpus for the quote browser: 609 articles, 49
    outlets, 1,600 speakers, 4,872 attributed quotes (synthetic text; random vectors, no embedding)."""
    from assistant.retrieval.store import Store

    rng = random.Random(11)
    store = Store(Settings(data_dir=data_dir))
    names = [f"{f} {last}" for f in FIRST for last in LAST][:1600]
    for i in range(articles):
        text, quotes = "", []
        for j in range(per_article):
            speaker = names[(i * per_article + j) % len(names)]
            words = f"Remark {i}-{j} on the {rng.choice(['budget', 'strike', 'merger', 'storm', 'trial'])}"
            line = f"“{words},” said {speaker}, analyst at Firm {j}.\n"
            start = len(text) + 1
            role = f"analyst at Firm {j}"
            end = start + len(words)
            quotes.append(Quote(id=f"a{i}:q{j}", article_id=f"a{i:04d}", text=words, start=start, end=end,
                                speaker=speaker, speaker_role=role))  # fmt: skip
            text += line
        published = dt.date(2023, 9, 1) + dt.timedelta(days=i % 120)
        article = Article(id=f"a{i:04d}", title=f"Report {i}", outlet=f"Outlet {i % 49}", published=published,
                          text=text, quotes=tuple(quotes))  # fmt: skip
        chunk = Chunk(id=f"a{i:04d}:0", article_id=article.id, text=text, start=0, end=len(text), outlet=article.outlet)
        vector = [rng.gauss(0, 1) for _ in range(384)]
        store.add_article(article, [chunk], [vector], vector)
    return len(names), articles * per_article


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    data = tmp_path_factory.mktemp("scale")
    speakers, quotes = scale_store(data)
    bot = Assistant(Settings(data_dir=data))
    port = free_port()
    running = launch(bot, port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}/", speakers, quotes
    running.close()


def test_quote_browser_stays_usable_at_1600_speakers(browser, big_app):  # noqa: F811
    from playwright.sync_api import expect

    url, speakers, quotes = big_app
    context, page = new_page(browser, url)
    page.wait_for_selector("#question textarea")
    started = time.perf_counter()
    page.get_by_role("tab", name="Quotes").click()
    cards = page.locator("#quote-browser .speaker-card")
    expect(cards).to_have_count(24, timeout=60_000)
    first_view_s = time.perf_counter() - started
    expect(page.locator("#quote-browser .tally")).to_have_text(f"{speakers:,} speakers, {quotes:,} quotes")
    expect(page.locator("#quote-browser .pager .where").first).to_have_text("speakers 1–24 of 1,600 · page 1 of 67")
    size = page.evaluate("document.querySelector('#quote-browser').innerHTML.length")
    assert size < 40_000, size  # a page of cards, not 1,600 of them
    shot(page, "quotes-1600-speakers")
    top = cards.first.locator(".name").inner_text()
    page.locator("#quote-browser .pg", has_text="Next").first.click()
    expect(page.locator("#quote-browser .pager .where").first).to_contain_text("speakers 25–48")
    assert top not in page.locator("#quote-browser .cards").inner_text()
    page.fill("#quote-search textarea, #quote-search input", "Remark 300-5")
    expect(cards).to_have_count(1)
    cards.first.click()
    detail = page.locator("#passage .speaker-detail")
    expect(detail.locator("article.q")).to_have_count(3)  # this speaker's three quotes, oldest first
    dates = [re.search(r"\d{4}-\d\d-\d\d", t).group(0) for t in detail.locator("article.q .meta").all_inner_texts()]
    assert dates == sorted(dates)
    page.fill("#quote-search textarea, #quote-search input", "")
    page.get_by_label("Quotes", exact=True).check()
    rows = page.locator("#quote-browser .qrow")
    expect(rows).to_have_count(50)
    expect(page.locator("#quote-browser .pager .where").first).to_have_text("quotes 1–50 of 4,872 · page 1 of 98")
    rows.nth(3).click()
    expect(page.locator("#passage mark")).to_have_count(1)
    shot(page, "quotes-1600-speakers-rows")
    (ARTIFACTS / "quote-browser-timings.json").write_text(
        json.dumps({"first_view_s": round(first_view_s, 2), "speakers": speakers, "cards_html_chars": size})
    )
    context.close()


# -- the evaluation report -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from assistant.evals import run

    folder = tmp_path_factory.mktemp("report")
    outcome = run(["seed", "attribution"], Settings(data_dir=folder / "data"), limit=10, report_dir=folder / "out")
    return outcome.paths["html"], outcome


def test_eval_report_reads_well(browser, report):  # noqa: F811
    from playwright.sync_api import expect

    path, outcome = report
    for width in (1280, 900):
        context, page = new_page(browser, path.as_uri(), width)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width  # nothing runs off
        first = page.locator("table").first
        assert first.locator("tr").count() > 2  # the first table has rows, not a lone "metric" header
        cells = page.locator("td").all_inner_texts()
        assert not [c for c in cells if re.fullmatch(r"\d+\.000", c)]  # counts are integers
        body = page.locator("body").inner_text()
        assert "**" not in body and "<strong>" not in body
        expect(page.locator("h4").first).to_be_visible()  # misses by cause: a table per gold set
        context.close()
    context, page = new_page(browser, path.as_uri())
    gold = page.locator("tr", has=page.locator("td", has_text=re.compile("^gold_quotes$"))).first
    assert re.fullmatch(r"gold_quotes( \d[\d,]*)+", " ".join(gold.locator("td").all_inner_texts()))
    speaker = page.locator("tr", has=page.locator("td", has_text=re.compile("^speaker_accuracy$"))).first
    assert all(re.fullmatch(r"\d+\.\d % \(n=\d+\)", c) for c in speaker.locator("td").all_inner_texts()[1:])
    answer = page.locator("tr", has=page.locator("td", has_text=re.compile("^answer_accuracy$"))).first
    assert re.fullmatch(r"\d+\.\d % \(n=\d+\)", answer.locator("td").all_inner_texts()[1])
    svgs = page.locator("svg")
    assert svgs.count() >= 3
    for i in range(svgs.count()):
        assert svgs.nth(i).locator("text.axis-label").count() == 2 and "(n = " in svgs.nth(i).text_content()
    shot(page, "eval-report")
    context.close()


# -- served under a prefix ------------------------------------------------------------------------------
def prefix_proxy(upstream: str, prefix: str) -> tuple[str, object]:
    """A minimal reverse proxy, like nginx `location /news/ { proxy_pass http://app/; }`: strips the prefix,
    keeps the Host header, streams the response."""
    import httpx
    import uvicorn
    from starlette.applications import Starlette
    from starlette.background import BackgroundTask
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route

    client = httpx.AsyncClient(base_url=upstream, timeout=120)

    async def forward(request):
        if not request.url.path.startswith(prefix + "/") and request.url.path != prefix:
            return Response("not under the prefix", status_code=404)
        path = request.url.path[len(prefix) :] or "/"
        headers = [(k, v) for k, v in request.headers.raw if k.lower() not in (b"content-length", b"connection")]
        sent = client.build_request(request.method, path, params=request.query_params, headers=headers,
                                    content=await request.body())  # fmt: skip
        got = await client.send(sent, stream=True)
        keep = {
            k: v
            for k, v in got.headers.items()
            if k.lower() not in ("content-length", "transfer-encoding", "connection")
        }
        return StreamingResponse(got.aiter_raw(), got.status_code, keep, background=BackgroundTask(got.aclose))

    methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]
    proxy = Starlette(routes=[Route("/{path:path}", forward, methods=methods)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(proxy, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}{prefix}", server


def test_served_under_a_prefix_behind_a_proxy(browser, app):  # noqa: F811
    import httpx
    from openai import OpenAI
    from playwright.sync_api import expect

    bot = app[1]
    port = free_port()
    running = launch(bot, port=port, prevent_thread_lock=True, root_path="/news")
    base, proxy = prefix_proxy(f"http://127.0.0.1:{port}", "/news")
    try:
        assert httpx.get(f"{base}/healthz").json()["articles"] == len(bot.articles())
        assert httpx.get(f"{base}/config").json()["root"].endswith("/news")
        reply = OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0).chat.completions.create(
            model="news-assistant", messages=[{"role": "user", "content": QUESTION}]
        )
        assert reply.model_extra["citations"][0]["speaker"] == "Charles Lister"
        context, page = new_page(browser, f"{base}/")
        page.wait_for_selector("#question textarea")
        ask(page, QUESTION)
        expect(last_answer(page)).to_contain_text("Charles Lister, expert at the Middle East Institute, wrote on X")
        assert page.url.startswith(base)
        shot(page, "served-under-prefix")
        context.close()
    finally:
        proxy.should_exit = True
        running.close()
