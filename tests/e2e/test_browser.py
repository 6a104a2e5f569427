"""The web chat in a real browser: Playwright (Python) driving Debian's chromium against a served app.

Screenshots go to test-artifacts/ (one per test, taken at its end, pass or fail) with timings.json.
`UPDATE_SCREENSHOTS=1` also refreshes docs/chat.png, the README's screenshot.
Chromium missing: skipped locally, a failure when CI is set (CI installs it: apt-get install chromium).
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, free_port

from assistant import REFUSAL, Assistant, Settings
from assistant.interfaces.web.app import launch

DATA = Path(__file__).resolve().parents[1] / "data"

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOSTILE = (DATA / "hostile-harbour.md").read_text(encoding="utf-8")
UPLOAD = (DATA / "velmar-ferry.md").read_text(encoding="utf-8")
TIMINGS: dict[str, dict[str, float]] = {}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = "chromium is not installed (apt-get install chromium); the browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    path = chromium_path()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if TIMINGS:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2))


def serve_with_hostile(folder: Path):
    """A served app over its own store (the tests upload and delete): the shipped corpus + a hostile article.
    Yields (url, bot) and stops the server after."""
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    bot = Assistant(Settings(data_dir=folder / "data"))
    bot.ingest([CORPUS, folder / "hostile.md"])
    port = free_port()
    running = launch(bot, port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}/", bot
    running.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from serve_with_hostile(tmp_path_factory.mktemp("browser"))


@pytest.fixture
def page(browser, app, request):
    """A fresh browser context (= a fresh chat session) per test; screenshot at the end, pass or fail."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(app[0])
    page.wait_for_selector("#question textarea")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def ask(page, question: str) -> dict[str, float]:
    """Type, click Ask, wait for the answer. Returns seconds from the click to the "Searching…" placeholder,
    the first statement, the sources panel and the full answer (its message no longer marked streaming)."""
    before = page.locator("#chat [data-testid=bot]").count()
    page.fill("#question textarea", question)
    started = time.perf_counter()
    page.click("#ask")
    marks = {}
    for name, condition in [
        ("placeholder_s", "b.length > n"),
        ("first_statement_s", "b.length > n && b[b.length - 1].querySelector('.stmt, .refusal, .error')"),
        ("sources_panel_s", "b.length > n && document.querySelector('#sources #turn-' + n + ', #chat .error')"),
        ("full_answer_s", "b.length > n && b[b.length - 1].querySelector('.answer:not(.streaming), .error')"),
    ]:
        page.wait_for_function(
            f"n => {{ const b = document.querySelectorAll('#chat [data-testid=bot]'); return {condition}; }}",
            arg=before,
            polling="raf",
            timeout=30_000,
        )
        marks[name] = round(time.perf_counter() - started, 3)
    return marks


def last_answer(page):
    return page.locator("#chat [data-testid=bot]").last


def test_seed_question_chip_opens_the_highlighted_quote(page, app):
    from playwright.sync_api import expect

    question = "What did Charles Lister say on X?"
    TIMINGS["seed question, cold (first question after start)"] = ask(page, question)
    started = time.perf_counter()
    expected = app[1].ask(question)  # the same question in-process: the engine's share of the page timings
    TIMINGS["seed question, cold (first question after start)"]["server_ask_warm_s"] = time.perf_counter() - started
    answer = last_answer(page)
    expect(answer).to_contain_text("Charles Lister, expert at the Middle East Institute, wrote on X")
    chip = answer.locator("a.chip", has_text="[1]")
    expect(chip).to_be_visible()
    expect(page.locator("#sources details[open]")).to_have_count(0)
    chip.click()
    opened = page.locator("#sources details[open]")
    expect(opened).to_have_count(1)
    expect(opened.locator("mark")).to_have_text(expected.citations[0].quote)
    expect(opened).to_contain_text("Charles Lister — expert at the Middle East Institute — on X")
    expect(opened).to_contain_text("outlet not stated")
    expect(opened).to_contain_text("2024-11-30")
    TIMINGS["second question, cold"] = ask(page, "Which countries support Bashar al-Assad?")
    expect(last_answer(page)).to_contain_text("Russia, Iran and Hezbollah")
    first_answer = page.locator("#chat [data-testid=bot]").first  # (`answer` is lazy: it is now the last one)
    first_answer.locator("a.chip").first.click()  # a chip of an earlier answer shows that answer's source again
    expect(page.locator("#sources details[open] mark")).to_have_text(expected.citations[0].quote)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))
    TIMINGS["seed question, warm (asked before)"] = ask(page, question)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / "chat.png", ROOT / "docs" / "chat.png")


def test_follow_up_uses_memory_and_new_conversation_forgets(page):
    from playwright.sync_api import expect

    page.get_by_text("Which countries support Bashar al-Assad?", exact=True).click()  # an example fills the box
    expect(page.locator("#question textarea")).to_have_value("Which countries support Bashar al-Assad?")
    ask(page, "Who is Charles Lister?")
    ask(page, "What did he say about the armed opposition?")
    expect(last_answer(page)).to_contain_text("Understood as: What did Charles Lister say about the armed opposition?")
    expect(last_answer(page)).to_contain_text("round 2")
    page.click("#reset")
    expect(page.locator("#chat [data-testid=bot]")).to_have_count(0)
    expect(page.locator("#sources")).to_contain_text("Sources appear here")
    ask(page, "What did he say about the armed opposition?")
    expect(last_answer(page)).not_to_contain_text("Understood as")


def test_refusal_shows_as_a_refusal_and_filters_show_on_the_answer(page):
    from playwright.sync_api import expect

    TIMINGS["refusal"] = ask(page, "Who won the World Cup in 2022?")
    expect(last_answer(page).locator(".refusal")).to_contain_text(REFUSAL)
    expect(last_answer(page).locator("a.chip")).to_have_count(0)
    expect(page.locator("#sources .turn.current")).to_contain_text("No sources")
    page.click("#filters button, #filters .label-wrap")
    page.fill("#f-since textarea, #f-since input", "2025-01-01")
    ask(page, "What did Charles Lister say on X?")
    expect(last_answer(page).locator(".refusal")).to_contain_text(REFUSAL)
    expect(last_answer(page)).to_contain_text("Filters: since: 2025-01-01")


def test_upload_appears_in_the_corpus_then_delete_removes_it(page, tmp_path):
    from playwright.sync_api import expect

    (tmp_path / "velmar-ferry.md").write_text(UPLOAD, encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"title": ', encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    articles = page.locator("#articles")
    expect(articles).to_contain_text("HTS Islamists")
    expect(articles).not_to_contain_text("Ferry strike")
    page.set_input_files("#upload input[type=file]", [str(tmp_path / "velmar-ferry.md"), str(tmp_path / "broken.json")])
    expect(page.locator('#upload a[href$="/broken.json"]')).to_have_count(1)  # both files are on the server
    started = time.perf_counter()
    page.click("#add")
    expect(articles).to_contain_text("Ferry strike halts crossings to Port Velmar", timeout=60_000)
    TIMINGS["upload one article"] = {"table_updated_s": time.perf_counter() - started}
    results = page.locator("#upload-results")
    expect(results).to_contain_text(re.compile(r"velmar-ferry\.md\s+added"))
    expect(results).to_contain_text("broken.json: invalid JSON at line 1")
    expect(articles).to_contain_text("Velmar Courier")
    # the new article is answerable, and its source links to its URL
    page.get_by_role("tab", name="Chat").click()
    ask(page, "What did Ilan Brecht say about the ferry crews?")
    last_answer(page).locator("a.chip").first.click()
    opened = page.locator("#sources details[open]")
    expect(opened).to_contain_text("Ilan Brecht — spokesman for the ferry crews' union — to the Velmar Courier")
    expect(opened.locator('a[href="https://example.org/velmar-ferry"]')).to_have_text(
        "Ferry strike halts crossings to Port Velmar"
    )
    # delete it: pick its row, then Delete
    page.get_by_role("tab", name="Corpus").click()
    articles.locator("[role=gridcell]", has_text="Ferry strike halts").first.click()
    expect(page.locator("#delete-pick input")).to_have_value(re.compile("^Ferry strike halts"))
    page.click("#delete")
    expect(page.locator("#delete-status")).to_contain_text("Deleted “Ferry strike halts crossings to Port Velmar”")
    expect(articles).not_to_contain_text("Ferry strike")


def test_hostile_article_renders_as_text(page):
    from playwright.sync_api import expect

    ask(page, "What did Mira Velan say about the grain terminal?")
    answer = last_answer(page)
    expect(answer).to_contain_text('The grain terminal <img src=x onerror="window.__xss=5"> will double our capacity')
    answer.locator("a.chip").first.click()
    opened = page.locator("#sources details[open]")
    expect(opened).to_contain_text("Harbour report <script>window.__xss = 1</script>")
    expect(opened).to_contain_text("The <b>Bold</b> Gazette")
    expect(opened.locator("mark")).to_contain_text('<img src=x onerror="window.__xss=5">')
    expect(page.locator("#sources a")).to_have_count(0)  # its javascript: url is not a link
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#articles")).to_contain_text('<img src=x onerror="window.__xss=2">')
    page.get_by_role("tab", name="Quotes").click()
    page.fill("#quote-search textarea, #quote-search input", "Velan")
    page.get_by_label("Quotes", exact=True).check()  # the quote browser's compact rows
    row = page.locator("#quote-browser .qrow", has_text="will double our capacity").first
    expect(row).to_contain_text("<img src=x")
    row.click()
    expect(page.locator("#passage mark")).to_contain_text('<img src=x onerror="window.__xss=5">')
    for area in ("#chat", "#sources", "#articles", "#quote-browser", "#passage"):
        expect(page.locator(f"{area} img, {area} script, {area} b")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined" and page.dialogs == []
