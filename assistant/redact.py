"""Patient-identifier redaction for anything that is logged or stored.

Replaces names next to patient/DOB cues, dates of birth, SSNs, record/member/policy ids, phone numbers
and e-mail addresses with ``[NAME]``, ``[DOB]``, ``[SSN]``, ``[ID]``, ``[PHONE]``, ``[EMAIL]``.
Billing data is left alone: codes (97112, G0283), minutes, years (2026) and amounts ($2,480).

Example:
    >>> redact("Pt John Smith DOB 03/04/1950, MRN 884213, 97112 x 24 min")
    'Pt [NAME] DOB [DOB], MRN [ID], 97112 x 24 min'
"""

from __future__ import annotations

import re

_NAME_WORD = r"[A-Z][A-Za-z'’\-]*[a-z]"
_NAME = rf"{_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+{_NAME_WORD}){{0,2}}"
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}})"
)
_DOB_CUE = r"(?:\bDOB\b|\bD\.O\.B\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b|\bborn(?:\s+on)?\b)"
_ID_CUE = (
    r"(?:\bMRN\b|\bmedical\s+record(?:\s+(?:number|no\.?|num|#))?|\bchart\s+(?:number|no\.?|#)|"
    r"\b(?:member|subscriber|policy|patient|account|acct|claim|insurance|medicare|medicaid|group)"
    r"\s*(?:id|number|no\.?|num|#)|\bMBI\b|\bHICN\b|\bID\b)"
)
# Words that look like names after a cue but are billing vocabulary.
_NOT_NAMES = {
    "medicare",
    "medicaid",
    "aetna",
    "cigna",
    "humana",
    "tricare",
    "united",
    "unitedhealthcare",
    "blue",
    "bcbs",
    "the",
    "this",
    "that",
    "with",
    "who",
    "was",
    "is",
    "has",
    "had",
    "did",
    "and",
    "for",
    "on",
    "in",
}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b"), "[EMAIL]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    (
        re.compile(r"(?i)(\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*)\d{9}\b"),
        r"\1[SSN]",
    ),
    (re.compile(rf"(?i)({_DOB_CUE}\s*[:\-]?\s*){_DATE}"), r"\1[DOB]"),
    (re.compile(r"\b[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b"), "[ID]"),
    (
        re.compile(rf"(?i)({_ID_CUE}\s*(?:is\s+)?[:#]?\s*)(?=[A-Z0-9\-]*\d)[A-Z0-9][A-Z0-9\-]{{3,}}\b"),
        r"\1[ID]",
    ),
    (
        re.compile(r"(?<![\w$])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}\b"),
        "[PHONE]",
    ),
    (
        re.compile(
            r"(?i)(\b(?:phone|ph|tel|cell|mobile|fax|call(?:\s+back)?|contact)\s*(?:number|no\.?|#)?\s*[:#]?\s*)\d{10}\b"
        ),
        r"\1[PHONE]",
    ),
]

_LONG_NUMBER = (
    re.compile(r"(?<![\w$.,/-])\d{9,12}(?![\w,.]\d|\w)"),
    "[ID]",
)  # no billing number is this long
_NAME_BEFORE_CUE = re.compile(rf"\b({_NAME})(?=\s*[,(]?\s*(?:{_DOB_CUE}|\[DOB\]|\bMRN\b|\bSSN\b))")
_NAME_AFTER_CUE = re.compile(
    rf"(?i:\b(?:patient|pt\.?|client|member|beneficiary|subscriber|resident|name)"
    rf"(?:\s+name)?(?:\s+is|\s*:)?\s+)({_NAME})"
)
_HONORIFIC = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+({_NAME})")


def _replace_names(pattern: re.Pattern[str], text: str) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.split()[0].lower() in _NOT_NAMES:
            return match.group(0)
        start, end = match.span(1)
        whole_start = match.start(0)
        return match.group(0)[: start - whole_start] + "[NAME]" + match.group(0)[end - whole_start :]

    return pattern.sub(sub, text)


def redact(text: str) -> str:
    """``text`` with patient identifiers replaced by bracketed placeholders (idempotent)."""
    for pattern, repl in [*_PATTERNS, _LONG_NUMBER]:
        text = pattern.sub(repl, text)
    for name_pattern in (_HONORIFIC, _NAME_AFTER_CUE, _NAME_BEFORE_CUE):
        text = _replace_names(name_pattern, text)
    return text
