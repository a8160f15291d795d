"""The Answer JSON contract (see design/ARCHITECTURE.md): what ``Assistant.ask`` returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """One passage of the index that supports the answer; ``snippet`` is text from the index."""

    doc_id: str
    title: str
    section: str
    source: str
    snippet: str
    score: float


class ToolCall(BaseModel):
    """One deterministic tool run: its name, the arguments it got and its full result."""

    name: str
    args: dict[str, Any]
    result: dict[str, Any]


class Answer(BaseModel):
    """A grounded answer: markdown text, its citations and tool working, and how sure it is."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    abstained: bool = False
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    data_vintage: str = ""
    latency_ms: float = 0.0
