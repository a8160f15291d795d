"""A suite question and what its answer must hold; helpers to state expected tool calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One question, optional history, and what the answer must show."""

    question: str
    says: tuple[str, ...] = ()
    tools: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {"args": {...}, "result": {...}}
    history: tuple[str, ...] = ()
    abstained: bool = False
    never_says: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.question[:60]


def units(minutes: dict[str, int], by_code: dict[str, int], method: str = "cms") -> dict[str, Any]:
    return {"units": {"args": {"minutes": minutes, "method": method}, "result": {"units_by_code": by_code}}}


def rate(result: dict[str, Any], **args: Any) -> dict[str, Any]:
    return {"rate": {"args": args, "result": result}}


def modifier(*mods: str, **args: Any) -> dict[str, Any]:
    return {"modifiers": {"args": args, "required": mods}}
