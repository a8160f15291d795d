"""A scripted chat model for the LLM seam: replies (or raises, or stalls) from a queue; no network."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class Stall:
    """A reply that arrives only after ``seconds``."""

    def __init__(self, seconds: float, reply: AIMessage):
        self.seconds, self.reply = seconds, reply


class ScriptedChatModel(BaseChatModel):
    """Returns queued AIMessages (tool calls included); an Exception in the queue is raised."""

    replies: list[Any] = Field(default_factory=list)
    seen: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.seen.append(list(messages))
        item = self.replies.pop(0)
        if isinstance(item, Exception):
            raise item
        if isinstance(item, Stall):
            time.sleep(item.seconds)
            item = item.reply
        return ChatResult(generations=[ChatGeneration(message=item)])
