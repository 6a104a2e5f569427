"""The served app's safe defaults (issue 12): `/chat` conversation ids are issued by the server and belong to
their owner; binding beyond loopback without a login is refused by `assistant serve` and `app.py` before
anything is loaded; uploads are limited by type, count and records, and removed after ingest."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT, free_port

from assistant import Assistant, Settings
from assistant.interfaces.web.app import build
from assistant.interfaces.web.corpus import ingest_uploads


@pytest.mark.e2e
def test_chat_ids_are_issued_by_the_server_and_private_to_their_session(seeded_bot):
    from gradio_client import Client

    demo = build(seeded_bot)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        ann, bob = (Client(f"http://127.0.0.1:{port}/", verbose=False) for _ in range(2))
        first = ann.predict("", "Who is Charles Lister?", "", "", "", "", api_name="/chat")
        issued = first["conversation_id"]
        assert "error" not in first and len(issued) >= 20
        follow = ann.predict(issued, "What did he say about the armed opposition?", "", "", "", "", api_name="/chat")
        assert "Charles Lister" in follow["standalone_question"] and follow["conversation_id"] == issued
        stolen = bob.predict(issued, "What did he say about the armed opposition?", "", "", "", "", api_name="/chat")
        assert "unknown conversation_id" in stolen["error"] and "citations" not in stolen
        chosen = bob.predict("my-own-id", "Who is Karam Shaar?", "", "", "", "", api_name="/chat")
        assert "unknown conversation_id" in chosen["error"]
    finally:
        demo.close()


@pytest.mark.integration
@pytest.mark.parametrize("command", [["-m", "assistant", "serve"], [str(ROOT / "app.py")]])
def test_serving_beyond_loopback_without_a_login_is_refused(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_UI_")}
    env |= {"PYTHONPATH": str(ROOT), "ASSISTANT_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    args = [sys.executable, *command, "--host", "0.0.0.0", "--port", str(free_port())]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD" in done.stderr and "--insecure" in done.stderr
    assert not (tmp_path / "chroma").exists()  # refused before the store or a model was opened


@pytest.mark.integration
def test_uploads_are_limited_and_removed_after_ingest(seeded_bot, tmp_path, monkeypatch):
    uploads = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.__dict__["embedder"] = seeded_bot.embedder
    files = []
    for n, (name, data) in enumerate(
        [
            ("tool.exe", b"MZ\x90\x00"),
            ("records.jsonl", "".join(f'{{"source": "Wire", "body": "Ferry {i} sailed."}}\n' for i in range(5))),
            ("more.md", "---\noutlet: Wire\n---\nThe quay reopened."),
            ("last.md", "---\noutlet: Wire\n---\nThe cranes returned."),
        ]
    ):
        path = uploads / f"hash{n}" / name
        path.parent.mkdir(parents=True)
        path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
        files.append(str(path))
    rows = {r[0]: r for r in ingest_uploads(bot, files, max_files=3, max_records=4)}
    assert rows["tool.exe"][1] == "error" and "unsupported type .exe" in rows["tool.exe"][6]
    assert rows["records.jsonl"][2] == 4 and "stopped after 4 records" in rows["records.jsonl"][6]
    assert rows["more.md"][1] == "error" and "reached 4 records" in rows["more.md"][6]
    assert rows["last.md"][1] == "error" and "at most 3 files" in rows["last.md"][6]
    assert len(bot.articles()) == 4
    assert list(uploads.rglob("*")) == []  # every upload removed, read or not
