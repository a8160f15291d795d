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
from assistant.retrieval.codes import extract_codes
from assistant.retrieval.spans import Span, sentences, spans
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
    title_similarity: float = 0.0  # of its section title (the question the section answers) to the question

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
_SECTION_WEIGHT = 6.0  # × similarity of the section title (the question that section answers) to the question
_SHAPE_BONUS = 2.0  # evidence of the shape asked for: a whole list or table, a figure, a comparison
_SIMILAR_ENOUGH = 0.45
_LIST_ITEMS = 4  # commas/semicolons + 1: how many items make an inline list
_HINT_WEIGHT = 0.5  # a word of the retrieval hints only, not of the question as asked
_FIGURE = re.compile(
    r"\d\s?%|\$\s?\d|\b\d+\.\d+\b|\b\d+\s?[–-]\s?\d+\b|\b\d{1,3}(?:,\d{3})+\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
)


@functools.cache
def _kind_patterns() -> dict[str, re.Pattern[str]]:
    return {
        kind: re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.IGNORECASE)
        for kind, patterns in prompts()["question_kinds"].items()
    }


def question_kinds(question: str) -> set[str]:
    """The answer shapes asked for: "compare" (X vs Y), "list" (what must a note include), "figure"."""
    return {kind for kind, pattern in _kind_patterns().items() if pattern.search(question)}


def _plain(question: str) -> str:
    """The question with each code name written as its number ("neuro re-ed" -> "97112")."""
    for mention in sorted(lexicon().find_codes(question), key=lambda m: -m.start):
        question = question[: mention.start] + mention.code + question[mention.end :]
    return question


def _enumerates(text: str) -> bool:
    """A sentence that lists several items inline ("a goal, what was done, the rationale and the minutes")."""
    return len(re.findall(r"[,;] ", text)) >= _LIST_ITEMS - 1


def _names_just(text: str, codes: list[str]) -> bool:
    """Whether ``text`` names the codes compared, and at most one other (not a list of many codes)."""
    named = set(extract_codes(text))
    return len(codes) > 1 and set(codes) <= named and len(named) <= len(codes) + 1


def _shape(span: Span, kinds: set[str], codes: list[str], compares: bool) -> float:
    """How far a span has the shape the question asks for (see question_kinds); ``compares``: the span's
    section title is itself a comparison."""
    fits = 0
    if "list" in kinds and (span.kind in ("list", "table") or _enumerates(span.shown)):
        fits += 1
    if "figure" in kinds and _FIGURE.search(span.shown):
        fits += 1
    if "compare" in kinds and span.kind != "row" and (compares or _names_just(span.shown, codes)):
        fits += 1
    return _SHAPE_BONUS * fits


def pick_evidence(
    question: str,
    passages: list[Passage],
    codes: list[str],
    limit: int = 3,
    scorer: Scorer | None = None,
    asked: str | None = None,
) -> list[Evidence]:
    """The best ``limit`` spans: question words weighted by rarity among the candidates (codes count
    extra), the section whose title best matches the question (its words, and its meaning when a scorer is
    given), better-ranked passages, semantic similarity, and the answer shape asked for (question_kinds).
    ``asked`` is the user's own wording when ``question`` carries retrieval hints (default: ``question``).
    """
    code_terms = {c.lower() for c in codes}
    names = {w for c in codes for w in terms(lexicon().code_name(c))}  # "97116" also asks about gait training
    plain_question = _plain(question)
    plain = _plain(asked) if asked else plain_question
    own = terms(plain) | code_terms | names
    wanted = own | terms(plain_question)
    weight = {w: 1.5 if w in code_terms else 1.0 if w in own else _HINT_WEIGHT for w in wanted}
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
    stems = {_stem(w) for w in terms(plain) - code_terms}
    headings = {p.section: len({_stem(w) for w in terms(p.section)} & stems) for p in passages}
    titles = list(headings)
    fits = dict(zip(titles, scorer(plain, titles), strict=True)) if scorer and titles else {}
    kinds = question_kinds(plain)
    comparing = {t for t in titles if "compare" in question_kinds(_plain(t))} if "compare" in kinds else set()
    scored: list[Evidence] = []
    for (rank, passage, span, found), sim in zip(candidates, similarity, strict=True):
        if not found and sim < _SIMILAR_ENOUGH:
            continue
        idf = sum(math.log(1.0 + len(candidates) / df[w]) * weight[w] for w in found)
        whole = span.kind != "sentence" and "list" in kinds  # a list asked for is not too long to quote
        title = passage.section
        section = _HEADING_WEIGHT * headings[title] + _SECTION_WEIGHT * fits.get(title, 0.0)
        score = (
            idf / (1.0 + (0 if whole else len(span.shown)) / 400.0)
            + 0.8 / (rank + 1)
            + section
            + _DEFINES_BONUS * _defines(span.shown, codes)
            + _SIMILARITY_WEIGHT * sim
            + _shape(span, kinds, codes, compares=title in comparing)
        )
        scored.append(Evidence(passage, rank, span.text, score, span.shown, sim, fits.get(title, 0.0)))
    scored.sort(key=lambda e: -e.score)
    return _distinct(scored, limit)


def _distinct(scored: list[Evidence], limit: int) -> list[Evidence]:
    """The best ``limit`` spans, overlaps merged: a span inside one already picked adds nothing, and a span
    holding one already picked (a table with its lead-in sentence) takes that one's place."""
    picked: list[Evidence] = []
    taken = 0
    for ev in scored:
        if any(ev.display == p.display for p in picked):
            continue
        taken += 1
        same = [i for i, p in enumerate(picked) if p.passage.chunk_id == ev.passage.chunk_id]
        inside = [i for i in same if picked[i].snippet in ev.snippet]
        if inside:
            picked[inside[0]] = ev
            picked = [p for i, p in enumerate(picked) if i not in inside[1:]]
        elif not any(ev.snippet in picked[i].snippet for i in same):
            picked.append(ev)
        if taken == limit:
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
