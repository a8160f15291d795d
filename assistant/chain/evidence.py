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
from collections.abc import Callable
from dataclasses import dataclass

from assistant.chain.leads import prompts
from assistant.chain.lexicon import lexicon
from assistant.retrieval.spans import sentences, spans
from assistant.retrieval.types import Passage

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP_WORDS = (
    "the a an and or of to in on for with is are was be do does did i we my our you your it this that "
    "as at by if so no up me us am he she his her its one what which how when who why can should would "
    "could will from than then there these those they them their about any all have has had not yes "
    "get got bill billed billing code codes question tell know need please"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Evidence:
    """One sentence (or table/list) of one passage with its relevance score."""

    passage: Passage
    rank: int
    snippet: str  # exact text of the chunk
    score: float
    shown: str = ""
    similarity: float = 0.0  # to the question, when a scorer was used

    @property
    def display(self) -> str:
        """The evidence for the answer: one line, no markdown emphasis, list marker or table bars."""
        return _tidy(self.shown or self.snippet)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("**", "")).strip()
    text = re.sub(r"^(?:[-*+]|\d{1,2}\.)\s+", "", text)
    return text[:1].upper() + text[1:]


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


def _stem(word: str) -> str:
    """A crude stem, so a heading's 'differ' matches a question's 'difference'."""
    return word[:5]


def _defines(text: str, codes: list[str]) -> bool:
    """A sentence that starts with an asked code ("97116 gait training: ...", "CPT 97112 is ...")."""
    head = re.sub(r"^\W*(?:CPT\s+)?", "", text.replace("**", ""))
    return any(head.startswith(c) for c in codes)


Scorer = Callable[[str, list[str]], list[float]]
_HEADING_WEIGHT, _DEFINES_BONUS = 0.8, 1.5
_SIMILARITY_WEIGHT = 8.0
_SIMILAR_ENOUGH = 0.45


def pick_evidence(
    question: str, passages: list[Passage], codes: list[str], limit: int = 3, scorer: Scorer | None = None
) -> list[Evidence]:
    """The best ``limit`` sentences: question words weighted by rarity among the candidates (codes count
    extra), section titles that match, better-ranked passages, and semantic similarity when a scorer is given.
    """
    code_terms = {c.lower() for c in codes}
    names = {w for c in codes for w in terms(lexicon().code_name(c))}  # "97116" also asks about gait training
    wanted = terms(question) | code_terms | names
    candidates = [
        (rank, passage, span, terms(span.shown) & wanted)
        for rank, passage in enumerate(trusted(passages))
        for span in spans(passage.text)
    ]
    similarity = scorer(question, [c[2].shown for c in candidates]) if scorer else [0.0] * len(candidates)
    df: dict[str, int] = {}
    for *_, found in candidates:
        for word in found:
            df[word] = df.get(word, 0) + 1
    asked = {_stem(w) for w in terms(question) - code_terms}
    headings = {id(p): len({_stem(w) for w in terms(p.section)} & asked) for p in passages}
    scored: list[Evidence] = []
    for (rank, passage, span, found), sim in zip(candidates, similarity, strict=True):
        if not found and sim < _SIMILAR_ENOUGH:
            continue
        idf = sum(math.log(1.0 + len(candidates) / df[w]) * (1.5 if w in code_terms else 1.0) for w in found)
        on_topic = _HEADING_WEIGHT * headings.get(id(passage), 0)  # section titles are the questions answered
        defines = _DEFINES_BONUS * _defines(span.shown, codes)
        score = (
            idf / (1.0 + len(span.shown) / 400.0)
            + 0.8 / (rank + 1)
            + on_topic
            + defines
            + _SIMILARITY_WEIGHT * sim
        )
        scored.append(Evidence(passage, rank, span.text, score, span.shown, sim))
    scored.sort(key=lambda e: -e.score)
    picked: list[Evidence] = []
    for ev in scored:
        if all(ev.display != p.display for p in picked):
            picked.append(ev)
        if len(picked) == limit:
            break
    return picked


def follow_on(evidence: Evidence) -> Evidence | None:
    """The sentence right after ``evidence`` in its passage (context for a one-sentence lead)."""
    following = sentences(evidence.passage.text)
    if evidence.snippet not in following:
        return None
    i = following.index(evidence.snippet)
    if i + 1 >= len(following):
        return None
    return Evidence(evidence.passage, evidence.rank, following[i + 1], evidence.score)


def overlap(question: str, evidence: Evidence, codes: list[str]) -> int:
    """How many question words (or codes) the sentence shares: 0 means it does not address the question."""
    return len(terms(evidence.display) & (terms(question) | {c.lower() for c in codes}))
