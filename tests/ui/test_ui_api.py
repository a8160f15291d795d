"""The named `/ask` endpoint of a live server, called with gradio_client."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from reliability.procs import ChatServer, ask_client, child_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def served_index_copy(kb_index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(kb_index_dir, target)
    return target


ANSWER_KEYS = {"answer", "citations", "tool_calls", "abstained", "confidence", "data_vintage", "latency_ms"}


def test_ask_returns_the_answer_json(live_ui: Any) -> None:
    client = ask_client(live_ui.url)
    question = "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?"
    result = client.predict(question, [], api_name="/ask")

    assert set(result) >= ANSWER_KEYS
    assert result["abstained"] is False
    units = next(call for call in result["tool_calls"] if call["name"] == "units")
    assert units["result"]["units_by_code"] == {"97112": 2, "97110": 1}
    assert units["result"]["total_units"] == 3
    assert result["citations"] and {"doc_id", "title", "section", "snippet"} <= set(result["citations"][0])


def test_ask_uses_history_for_follow_ups(live_ui: Any) -> None:
    client = ask_client(live_ui.url)
    history = [
        {"role": "user", "content": "What does Medicare pay for 97112 in 2026?"},
        {"role": "assistant", "content": "Medicare 2026 national non-facility rate for 97112 is $32.73."},
    ]
    result = client.predict("and in Chicago?", history, api_name="/ask")
    rate = next(call for call in result["tool_calls"] if call["name"] == "rate")
    assert rate["result"]["total"] == "33.36"  # FACTS §6: Chicago 97112 2026


def test_api_lists_only_the_script_endpoints(live_ui: Any) -> None:
    info = ask_client(live_ui.url).view_api(print_info=False, return_format="dict")
    names = set(info["named_endpoints"])
    assert {"/ask", "/units", "/modifiers", "/rate"} <= names
    assert not any(n.startswith(("/respond", "/on_like", "/upload", "/ingest_now")) for n in names)


def test_login_guards_the_api(served_index_copy: Path) -> None:
    env = child_env(ASSISTANT_AUTH="boss:pw-1,clerk:pw-2")
    env.pop("ASSISTANT_USERS_FILE", None)
    server = ChatServer(served_index_copy, env).wait()
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain exception on 401
            ask_client(server.url).predict("What is 97112?", [], api_name="/ask")
        with pytest.raises(Exception):  # noqa: B017
            ask_client(server.url, auth=("clerk", "wrong")).predict("What is 97112?", [], api_name="/ask")
        result = ask_client(server.url, auth=("clerk", "pw-2")).predict(
            "How many units for 33 minutes of 97110 and 7 of 97140?", [], api_name="/ask"
        )
        units = next(call for call in result["tool_calls"] if call["name"] == "units")
        assert units["result"]["units_by_code"] == {"97110": 2, "97140": 1}  # CMS example 3
    finally:
        server.close()
