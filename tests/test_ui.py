"""The Gradio app builds, answers through its API (gradio_client), and escapes article/user text."""

import pytest

from assistant.models import Answer, Citation
from assistant.ui import build, md_escape, sources_html
from conftest import free_port

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.mark.unit
def test_sources_panel_escapes_everything():
    cite = Citation(id=1, article_id="a", outlet=HOSTILE, title=HOSTILE, published=None, url="javascript:alert(3)",
                    quote=HOSTILE, start=0, end=1, speaker=HOSTILE, speaker_role=HOSTILE, via=HOSTILE)
    page = sources_html(Answer(question="q", answer="a [1]", refused=False, citations=(cite,)))
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page
    none = sources_html(Answer(question="q", answer="a [1]", refused=False, citations=(cite.model_copy(update={"outlet": None}),)))
    assert "outlet not stated" in none
    assert "<" not in md_escape(HOSTILE)


@pytest.mark.e2e
def test_app_answers_through_its_api(seeded_bot):
    from gradio_client import Client

    demo = build(seeded_bot)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        answer = client.predict("What did Charles Lister say on X?", "", "", "", "", api_name="/ask")
        assert answer["citations"][0]["speaker"] == "Charles Lister" and answer["citations"][0]["via"] == "X"
        refused = client.predict("Who won the World Cup in 2022?", "", "", "", "", api_name="/ask")
        assert refused["refused"] is True
        error = client.predict("", "", "", "", "", api_name="/ask")
        assert "empty" in error["error"]
    finally:
        demo.close()
