"""Coding-guidance assistant for outpatient therapy billing.

Example:
    >>> from assistant import Assistant, Settings
    >>> bot = Assistant.from_settings(Settings())          # doctest: +SKIP
    >>> bot.ask("24 min neuro re-ed and 23 min ther ex, Medicare?").answer  # doctest: +SKIP

Imports are lazy: importing the package loads no model and reads no environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Answer", "Assistant", "Settings"]

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.config import Settings
    from assistant.service import Assistant


def __getattr__(name: str) -> Any:
    if name == "Settings":
        from assistant.config import Settings

        return Settings
    if name == "Answer":
        from assistant.answer import Answer

        return Answer
    if name == "Assistant":
        from assistant.service import Assistant

        return Assistant
    raise AttributeError(name)
