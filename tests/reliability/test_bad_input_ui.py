"""Bad input through the live UI's /ask API and the chat handler: a message or an answer, never a crash."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from .inputs import BAD_QUESTIONS, MUST_ABSTAIN
from .load_clients import connect
from .procs import ChatServer

pytestmark = pytest.mark.integration

# gradio_client sends JSON; a lone surrogate cannot be encoded by the client, so it is not sent here.
SENDABLE = [(name, q) for name, q in BAD_QUESTIONS if name != "lone-surrogate"]


@pytest.fixture(scope="module")
def client(chat_server: ChatServer) -> Any:
    return connect(chat_server.url)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "question"), SENDABLE, ids=[n for n, _ in SENDABLE])
def test_ask_endpoint_answers_or_explains(
    client: Any, chat_server: ChatServer, name: str, question: str
) -> None:
    from gradio_client.exceptions import AppError

    try:
        answer = client.predict(question, [], api_name="/ask")
    except AppError as err:  # a gr.Error: the user-facing message travels in the error
        message = str(err)
        assert message.strip() and "Traceback" not in message
        assert name in MUST_ABSTAIN, f"only rejected input may come back as an error, got: {message}"
        return
    assert answer["answer"].strip()
    assert "Traceback" not in answer["answer"]
    if name in MUST_ABSTAIN:
        assert answer["abstained"]
    assert chat_server.proc.poll() is None, "the server is still up"


@pytest.mark.slow
@pytest.mark.parametrize(
    "history",
    [[{"role": "user", "content": "\x00\x1b[2J"}, {"bad": 1}], "not a list", [1, 2, 3], [[["nested"]]], None],
    ids=["junk-messages", "string", "numbers", "nested", "none"],
)
def test_ask_endpoint_with_bad_history(client: Any, history: Any) -> None:
    from gradio_client.exceptions import AppError

    try:
        answer = client.predict("and for 97110?", history, api_name="/ask")
    except AppError as err:  # refused with a message is fine; a crash is not
        assert str(err).strip() and "Traceback" not in str(err)
        return
    assert answer["answer"].strip()


@pytest.mark.slow
def test_server_log_has_no_unexpected_exception_after_bad_input(client: Any, chat_server: ChatServer) -> None:
    for _, question in SENDABLE[:5]:
        with contextlib.suppress(Exception):  # the test above checks each outcome
            client.predict(question, [], api_name="/ask")
    lines = chat_server.log.read_text(errors="replace").splitlines()
    raised = [
        next((line for line in lines[i + 1 :] if not line.startswith(" ")), "")
        for i, line in enumerate(lines)
        if line.startswith("Traceback")
    ]
    unexpected = [e for e in raised if not e.startswith("gradio.exceptions.Error")]  # gr.Error = a message
    assert unexpected == [], "the server hit an unexpected exception"


@pytest.fixture(scope="module")
def chat(kb_assistant: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from assistant.config import Settings
    from assistant.feedback import FeedbackStore
    from ui.chat import ChatController

    logs = tmp_path_factory.mktemp("chat-handler")
    return ChatController(kb_assistant, Settings(), FeedbackStore(logs / "fb.sqlite3"))


@pytest.mark.parametrize(("name", "question"), BAD_QUESTIONS, ids=[n for n, _ in BAD_QUESTIONS])
def test_chat_tab_handler_answers_or_explains(chat: Any, name: str, question: str) -> None:
    *_, (messages, turns, box) = chat.respond(question, [], [])
    assert box == "", "the input box is cleared"
    if name in ("empty", "whitespace"):
        assert messages == [] and turns == [], "nothing to answer: the chat stays as it was"
        return
    replies = [m for m in messages if m["role"] == "assistant"]
    assert replies and all(str(m["content"]).strip() for m in replies)
    assert not any("Traceback" in str(m["content"]) for m in replies)
