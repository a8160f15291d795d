"""Chat handlers over the real Assistant: streaming, citations and working, follow-ups, feedback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from ui.chat import ChatController, history_of

pytestmark = pytest.mark.integration

QUESTION = "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?"


@pytest.fixture
def controller(kb_assistant: Any, tmp_path: Path) -> ChatController:
    settings = Settings(max_question_chars=300)
    return ChatController(kb_assistant, settings, FeedbackStore(tmp_path / "fb.sqlite3"))


def _last(updates: list[tuple[list[dict], list[dict], str]]) -> tuple[list[dict], list[dict]]:
    messages, turns, box = updates[-1]
    assert box == ""  # the question box is cleared
    return messages, turns


def test_answer_streams_then_shows_citations_and_working(controller: ChatController) -> None:
    updates = list(controller.respond(QUESTION, [], []))
    assert len(updates) >= 2  # pieces streamed before the final message set
    assert updates[0][0][-1]["role"] == "assistant" and updates[0][0][-1]["content"]
    messages, turns = _last(updates)

    assert messages[0] == {"role": "user", "content": QUESTION}
    assert "97112" in messages[1]["content"]
    titles = [m.get("metadata", {}).get("title", "") for m in messages]
    assert any(t.startswith("Sources (") for t in titles)
    units = next(m for m in messages if m.get("metadata", {}).get("title", "").startswith("Working: units"))
    assert "| 97112 | 24 | 2 |" in units["content"] and "| 97110 | 23 | 1 |" in units["content"]
    sources = next(m for m in messages if m.get("metadata", {}).get("title", "").startswith("Sources ("))
    assert sources["content"].startswith("**[1] ")

    (turn,) = turns
    assert turn["first"] == 1 and turn["last"] == len(messages) - 1
    assert turn["answer"]["tool_calls"][0]["name"] == "units"


def test_follow_up_uses_history_and_feedback_finds_its_answer(controller: ChatController) -> None:
    messages, turns = _last(list(controller.respond(QUESTION, [], [])))
    follow = "what if it were a commercial plan using the per-code method?"
    messages, turns = _last(list(controller.respond(follow, messages, turns)))
    assert turns[1]["history"] == history_of(turns[:1])
    per_code = next(c for c in turns[1]["answer"]["tool_calls"] if c["name"] == "units")
    assert per_code["args"]["method"] == "ama" and per_code["result"]["units_by_code"] == {
        "97112": 2,
        "97110": 2,
    }

    assert controller.rate(0, False, turns) == (0, "Only answers can be rated.")  # a user message
    row, status = controller.rate(turns[1]["first"] + 1, False, turns)  # a click on the follow-up's group
    assert row and "marked as wrong" in status
    assert controller.correct("Per-code: 97112 x2, 97110 x2", row) == "Correction saved for review."
    (saved,) = controller.feedback.rows()
    assert saved.question == follow and saved.rating == -1 and len(saved.history) == 2
    assert saved.correction == "Per-code: 97112 x2, 97110 x2"


def test_long_and_empty_input(controller: ChatController) -> None:
    messages, turns = _last(list(controller.respond("x" * 301, [], [])))
    assert turns == [] and "up to 300" in messages[-1]["content"]
    assert list(controller.respond("   ", [], [])) == [([], [], "")]
    assert "thumbs-down" in controller.correct("text", 0)
