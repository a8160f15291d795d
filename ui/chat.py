"""The Chat tab: streamed answers with citations and working, follow-ups, feedback on each answer.

``ChatController`` holds the handlers (plain methods, unit-testable without a browser); ``build_chat_tab``
lays out the components and wires them. Per-browser state is a list of turns (question, Answer JSON and
the range of chat messages that show it), so a thumbs up/down finds the answer it was given on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.answer import Answer
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore
from ui.render import citations_markdown, tool_markdown, tool_title

EXAMPLE_QUESTIONS = (
    "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?",
    "Do I need modifier 59 when billing 97112 and 97110 on the same day?",
    "What does Medicare pay for 97112 in 2026?",
    "What should a 97112 note include?",
)

Message = dict[str, Any]
Turn = dict[str, Any]  # {"question", "history", "answer" (Answer JSON), "first", "last"}


def history_of(turns: list[Turn]) -> list[dict[str, str]]:
    """The conversation so far as ``{"role", "content"}`` messages (answers without their working)."""
    history: list[dict[str, str]] = []
    for turn in turns:
        history.append({"role": "user", "content": turn["question"]})
        history.append({"role": "assistant", "content": turn["answer"]["answer"]})
    return history


def answer_messages(answer: dict[str, Any]) -> list[Message]:
    """The chat messages showing one answer: its text, then collapsible sources and working."""
    messages: list[Message] = [{"role": "assistant", "content": answer["answer"]}]
    citations = answer.get("citations", [])
    if citations:
        messages.append(
            {
                "role": "assistant",
                "content": citations_markdown(citations),
                "metadata": {"title": f"Sources ({len(citations)})", "status": "done"},
            }
        )
    for number, call in enumerate(answer.get("tool_calls", [])):
        metadata: dict[str, str] = {"title": tool_title(call["name"])}
        if number:  # the first tool's working is open; further ones start collapsed
            metadata["status"] = "done"
        messages.append(
            {
                "role": "assistant",
                "content": tool_markdown(call["name"], call.get("args", {}), call.get("result", {})),
                "metadata": metadata,
            }
        )
    return messages


@dataclass
class ChatController:
    """Chat handlers over one Assistant (shared by every browser session) and the feedback store.

    Example::

        bot = Assistant.from_settings(settings)
        chat = ChatController(bot, settings, FeedbackStore(settings.feedback_db))
        *_, (messages, turns, _) = chat.respond("24 min 97112 and 23 min 97110?", [], [])
        row, status = chat.rate(turns[-1]["first"], False, turns)   # thumbs-down on that answer
        chat.correct("97112 x2, 97110 x1", row)
    """

    assistant: Any  # assistant.service.Assistant (ask / stream)
    settings: Settings
    feedback: FeedbackStore

    def too_long_message(self, question: str) -> str | None:
        """A friendly message when the question is over the length limit, else None."""
        limit = self.settings.max_question_chars
        if len(question) <= limit:
            return None
        return (
            f"That message is {len(question):,} characters; I can take up to {limit:,}. "
            "Please ask about one visit or one rule at a time (codes, minutes, payer and year are enough)."
        )

    def respond(
        self, question: str, messages: list[Message], turns: list[Turn]
    ) -> Iterator[tuple[list[Message], list[Turn], str]]:
        """Stream the answer to ``question`` into the chat; yields (messages, turns, textbox value)."""
        question = (question or "").strip()
        if not question:
            yield messages, turns, ""
            return
        messages = [*messages, {"role": "user", "content": question}]
        problem = self.too_long_message(question)
        if problem is not None:
            yield [*messages, {"role": "assistant", "content": problem}], turns, ""
            return
        history = history_of(turns)
        text = ""
        final: Answer | None = None
        try:
            for piece in self.assistant.stream(question, history=history):
                if isinstance(piece, Answer):
                    final = piece
                else:
                    text += str(piece)
                    yield [*messages, {"role": "assistant", "content": text}], turns, ""
        except AssistantError as err:
            yield [*messages, {"role": "assistant", "content": f"⚠ {err}"}], turns, ""
            return
        if final is None:  # a stream must end with the Answer; fall back to a plain ask
            final = self.assistant.ask(question, history=history)
        answer = final.model_dump(mode="json")
        shown = answer_messages(answer)
        turn = {
            "question": question,
            "history": history,
            "answer": answer,
            "first": len(messages),
            "last": len(messages) + len(shown) - 1,
        }
        yield [*messages, *shown], [*turns, turn], ""

    def rate(
        self, index: int | tuple[int, int] | list[int], liked: bool | str, turns: list[Turn]
    ) -> tuple[int, str]:
        """Store a thumbs up/down on the answer shown at chat message ``index``; returns (row id, status)."""
        position = index[0] if isinstance(index, tuple | list) else index
        turn = next((t for t in turns if t["first"] <= position <= t["last"]), None)
        if turn is None:
            return 0, "Only answers can be rated."
        rating = 1 if liked is True else -1
        try:
            row = self.feedback.add(turn["question"], turn["answer"], rating, history=turn["history"])
        except AssistantError as err:
            return 0, f"⚠ Feedback not saved: {err}"
        if rating > 0:
            return row, "Thanks — marked as helpful."
        return row, "Thanks — marked as wrong. Add a correction below if you know the right answer."

    def correct(self, correction: str, row: int) -> str:
        """Attach a correction to the last thumbs-down (or thumbs-up) given."""
        correction = (correction or "").strip()
        if not row:
            return "Rate an answer with the thumbs-down button first, then add the correction."
        if not correction:
            return "Type the correct answer (and its source if you have one) first."
        try:
            self.feedback.set_correction(row, correction)
        except AssistantError as err:
            return f"⚠ Correction not saved: {err}"
        return "Correction saved for review."
