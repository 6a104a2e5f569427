"""Safe defaults (issue 12): no login beyond loopback only with --insecure; logins read as typed; /chat
conversations issued by the server and owned; the LLM key a secret that only goes to its own host."""

import pytest

from assistant import ConfigError, Settings
from assistant.answer.llm_client import api_key
from assistant.errors import AssistantError
from assistant.interfaces.web.app import auth_from_env, check_exposure, is_loopback, launch
from assistant.interfaces.web.chat import ConversationPool, owner_of

pytestmark = pytest.mark.unit


def test_login_values_lose_the_spaces_a_shell_or_env_file_leaves():
    env = {"ASSISTANT_UI_USER": "  ann ", "ASSISTANT_UI_PASSWORD": " s3cret\n"}
    assert auth_from_env(env) == ("ann", "s3cret")
    with pytest.raises(ConfigError, match="both"):
        auth_from_env({"ASSISTANT_UI_USER": "ann", "ASSISTANT_UI_PASSWORD": "   "})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_login(host):
    assert is_loopback(host)
    check_exposure(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_beyond_loopback_a_login_or_insecure_is_required(host):
    with pytest.raises(ConfigError, match="ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD.*--insecure"):
        check_exposure(host, None)
    check_exposure(host, ("ann", "pw"))
    check_exposure(host, None, insecure=True)


def test_launch_refuses_before_loading_anything(monkeypatch):
    monkeypatch.delenv("ASSISTANT_UI_USER", raising=False)
    monkeypatch.delenv("ASSISTANT_UI_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="--insecure"):
        launch(object(), host="0.0.0.0", port=1)  # a bot it would fail to warm up: refused first


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def pool(**options) -> ConversationPool:
    return ConversationPool(lambda: object(), **options)


def test_conversation_ids_are_issued_by_the_server_and_owned():
    conversations = pool()
    cid, conv = conversations.start("user:ann")
    assert len(cid) >= 20 and conversations.get("user:ann", cid) is conv
    other, _ = conversations.start("user:ann")
    assert other != cid
    for owner, asked in [("user:bob", cid), ("user:ann", "my-own-id"), ("user:ann", "")]:
        with pytest.raises(AssistantError, match="unknown conversation_id"):
            conversations.get(owner, asked)


def test_a_flood_never_evicts_another_owners_conversation():
    clock = Clock()
    conversations = pool(size=50, per_owner=5, idle_seconds=60, clock=clock)
    mine, conv = conversations.start("user:ann")
    for _ in range(1000):  # one owner: its own oldest make room
        conversations.start("user:mallory")
    assert conversations.get("user:ann", mine) is conv
    for n in range(44):  # many owners (ann 1 + mallory 5 + 44 = 50): the pool fills up, then refuses new conversations
        conversations.start(f"session:{n}")
    with pytest.raises(AssistantError, match="too many open conversations"):
        conversations.start("session:new")
    assert conversations.get("user:ann", mine) is conv
    clock.now = 61.0  # idle conversations expire when room is needed
    conversations.get("user:ann", mine)  # ann's was used just now
    conversations.start("session:new")
    assert conversations.get("user:ann", mine) is conv


def test_owner_is_the_user_else_the_session():
    class Request:
        username, session_hash = None, "abc"

    assert owner_of(Request()) == "session:abc"
    Request.username = "ann"
    assert owner_of(Request()) == "user:ann"


def test_the_llm_key_is_a_secret_never_shown(tmp_path):
    settings = Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:11434/v1", llm_api_key="sk-live-123")
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert "sk-live-123" not in shown
    assert api_key(settings) == "sk-live-123"


@pytest.mark.parametrize(
    ("base_url", "sent"),
    [
        ("https://api.openai.com/v1", "sk-openai"),
        ("https://API.OpenAI.com/v1/", "sk-openai"),
        ("http://127.0.0.1:11434/v1", "not-needed"),
        ("https://api.openai.com.evil.example/v1", "not-needed"),
        ("https://evil.example/v1?api.openai.com", "not-needed"),
    ],
)
def test_openai_api_key_goes_only_to_openai(monkeypatch, tmp_path, base_url, sent):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert api_key(Settings(data_dir=tmp_path, llm_base_url=base_url)) == sent
