"""Pick the sentences of the retrieved passages that answer the question, and cite them.

A sentence is an exact span of its chunk's text, so every citation snippet is text from the index;
only the copy shown in the answer has its line breaks and markdown emphasis tidied.

Example:
    >>> picked = pick_evidence("what does 97112 cover", passages, codes=["97112"], limit=3)  # doctest: +SKIP
    >>> picked[0].passage.title, picked[0].display                                         # doctest: +SKIP
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from assistant.chain.leads import prompts
from assistant.retrieval.types import Passage

_BOUNDARY = re.compile(
    r"\n\s*\n|\n(?=\s*(?:#|\||[-*+] |\d{1,2}\. ))|(?<=[.!?])\s+(?=[A-Z0-9*\"'(\[$])|(?<=[.!?]\*\*)\s+"
)
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP_WORDS = (
    "the a an and or of to in on for with is are was be do does did i we my our you your it this that "
    "as at by if so no up me us am he she his her its one what which how when who why can should would "
    "could will from than then there these those they them their about any all have has had not yes "
    "get got bill billed billing code codes patient patients question tell know need please"
)
_STOP = frozenset(_STOP_WORDS.split())
_MIN_CHARS, _MAX_CHARS = 30, 420


@dataclass(frozen=True)
class Evidence:
    """One sentence of one passage with its relevance score."""

    passage: Passage
    rank: int
    snippet: str  # exact text of the chunk
    score: float

    @property
    def display(self) -> str:
        """The sentence for the answer: one line, no markdown emphasis or list marker."""
        text = re.sub(r"\s+", " ", self.snippet.replace("**", "")).strip()
        text = re.sub(r"^(?:[-*+]|\d{1,2}\.)\s+", "", text)
        return text[:1].upper() + text[1:]


def sentences(text: str) -> list[str]:
    """Sentence-like spans of ``text`` (exact substrings), skipping headings, tables and fragments."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        spans.append(text[start : m.start()])
        start = m.end()
    spans.append(text[start:])
    out = []
    for span in spans:
        span = span.strip()
        if _MIN_CHARS <= len(span) <= _MAX_CHARS and not span.startswith(("#", "|", "---")) and " " in span:
            if span.endswith((":", ";", ",")):
                continue  # a list's lead-in or a fragment, not a statement
            out.append(span)
    return out


@functools.cache
def _instruction_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE | re.DOTALL) for p in prompts()["instruction_patterns"]]


def is_instruction(text: str) -> bool:
    """Whether a passage tries to instruct the assistant (prompt injection) rather than inform."""
    return any(p.search(text) for p in _instruction_patterns())


def trusted(passages: list[Passage]) -> list[Passage]:
    """The passages that inform; a chunk carrying instructions is dropped whole."""
    return [p for p in passages if not is_instruction(p.text)]


def terms(text: str) -> set[str]:
    """Content words of a question or sentence (lower-case, plural 's' dropped)."""
    words = {w[:-1] if len(w) > 4 and w.endswith("s") else w for w in _WORD.findall(text.lower())}
    return {w for w in words if w not in _STOP and len(w) > 1}


def pick_evidence(question: str, passages: list[Passage], codes: list[str], limit: int = 3) -> list[Evidence]:
    """The best ``limit`` sentences: question words weighted by rarity among the candidates, codes
    counting extra, earlier (better-ranked) passages first."""
    code_terms = {c.lower() for c in codes}
    wanted = terms(question) | code_terms
    candidates = [
        (rank, passage, sentence, terms(sentence) & wanted)
        for rank, passage in enumerate(trusted(passages))
        for sentence in sentences(passage.text)
    ]
    df: dict[str, int] = {}
    for *_, found in candidates:
        for word in found:
            df[word] = df.get(word, 0) + 1
    scored: list[Evidence] = []
    for rank, passage, sentence, found in candidates:
        if not found:
            continue
        weight = sum(
            math.log(1.0 + len(candidates) / df[w]) * (1.5 if w in code_terms else 1.0) for w in found
        )
        score = weight / (1.0 + len(sentence) / 400.0) + 0.8 / (rank + 1)
        scored.append(Evidence(passage, rank, sentence, score))
    scored.sort(key=lambda e: -e.score)
    picked: list[Evidence] = []
    for ev in scored:
        if all(ev.display != p.display for p in picked):
            picked.append(ev)
        if len(picked) == limit:
            break
    return picked


def overlap(question: str, evidence: Evidence, codes: list[str]) -> int:
    """How many question words (or codes) the sentence shares: 0 means it does not address the question."""
    return len(terms(evidence.snippet) & (terms(question) | {c.lower() for c in codes}))
