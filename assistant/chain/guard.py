"""First stage of the chain: turn whatever was pasted into a clean question, or reject it politely.

Control characters and NUL bytes are removed, whitespace is collapsed and the length is capped.
Rejections raise :class:`InputRejectedError` whose message is shown to the user as the answer.

Example:
    >>> clean_question("  24 min\\x00 of ther ex\\n\\n  Medicare?  ", max_chars=4000)
    '24 min of ther ex Medicare?'
"""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InputRejectedError

_WHITESPACE = re.compile(r"\s+")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_HAS_WORD = re.compile(r"\w")


def _printable(ch: str) -> bool:
    """Keep letters, digits, punctuation, symbols and spaces; drop control/format/private/surrogate chars."""
    if ch.isspace():
        return True
    return unicodedata.category(ch)[0] != "C"


def clean_question(raw: str, max_chars: int) -> str:
    """The question with control characters stripped and whitespace normalised.

    Raises:
        InputRejectedError: empty or symbol-only input, or longer than ``max_chars`` characters.
    """
    text = _ANSI.sub(" ", raw)  # terminal colour codes pasted from a console
    text = "".join(ch if _printable(ch) else " " for ch in text)
    text = _WHITESPACE.sub(" ", text).strip()
    if not text:
        raise InputRejectedError(
            "Please type a question, for example: "
            '"24 minutes of neuro re-ed and 23 of ther ex for a Medicare patient — how many units?"'
        )
    if len(text) > max_chars:
        raise InputRejectedError(
            f"That question is {len(text):,} characters; the limit is {max_chars:,}. "
            "Please shorten it to the billing question itself (codes, minutes, payer)."
        )
    if not _HAS_WORD.search(text):
        raise InputRejectedError(
            "I could not find any words in that input. Please type your billing question in plain text."
        )
    return text
