"""The guard cleans pasted text and rejects empty, symbol-only and over-long input with a clear message."""

from __future__ import annotations

import pytest

from assistant.chain.guard import clean_question
from assistant.errors import InputRejectedError


def test_control_characters_and_whitespace_are_cleaned() -> None:
    assert (
        clean_question("  24 min\x00 of ther\x1b ex\n\n\t Medicare?\u200b ", 4000)
        == "24 min of ther ex Medicare?"
    )


def test_surrogates_from_invalid_utf8_are_dropped() -> None:
    raw = b"97110 \xff\xfe 33 min".decode("utf-8", errors="surrogateescape")
    assert clean_question(raw, 4000) == "97110 33 min"


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x01\x02", "\n\t"])
def test_empty_input_asks_for_a_question(raw: str) -> None:
    with pytest.raises(InputRejectedError, match="Please type a question"):
        clean_question(raw, 4000)


def test_symbols_only_is_rejected() -> None:
    with pytest.raises(InputRejectedError, match="could not find any words"):
        clean_question("?!?! --- ***", 4000)


def test_over_long_input_names_both_lengths() -> None:
    with pytest.raises(InputRejectedError, match=r"5,000 characters; the limit is 4,000"):
        clean_question("a" * 5000, 4000)


def test_other_languages_and_emoji_pass() -> None:
    assert clean_question("¿Cuántas unidades? 97110 33 min 👍", 4000) == "¿Cuántas unidades? 97110 33 min 👍"


def test_terminal_colour_codes_are_removed() -> None:
    assert clean_question("\x1b[31m97112\x1b[0m\x07 what is it?", 4000) == "97112 what is it?"
