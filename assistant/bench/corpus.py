"""A deterministic synthetic guidance corpus for the scale benchmark.

Documents look like the shipped guidance to the ingest pipeline (front matter, a title, ``##`` sections)
and their sections have realistic chunk lengths (150-880 characters, most around 550, like the shipped
knowledge base), so each section becomes exactly one chunk. The words come from a fixed billing
vocabulary; the text is word salad, clearly marked synthetic, and carries no billing facts.
Document ``i`` is the same in every corpus, so a 1k corpus is a prefix of the 10k one and the vector
cache is shared between sizes.

Example:
    >>> folder = write_corpus(Path("/tmp/corpus-1000"), chunks=1000)   # doctest: +SKIP
    >>> len(list(folder.glob("*.md")))                                 # doctest: +SKIP
    125
"""

from __future__ import annotations

import math
import random
from pathlib import Path

SECTIONS_PER_DOC = 8
_MIN_CHARS, _MODE_CHARS, _MAX_CHARS = 150, 550, 880
_SEED = "coding-assistant-bench-v1"

_WORDS = """
therapy therapist patient visit session minutes units timed untimed service billed billing claim claims
payer payers medicare medicaid commercial plan policy policies coverage covered denial denials appeal
audit auditor documentation documented note notes plan-of-care evaluation re-evaluation progress report
modifier modifiers code codes coding coder procedure procedures treatment treatments skilled intervention
interventions exercise exercises balance coordination gait posture proprioception strength range motion
neuromuscular re-education therapeutic activities manual mobilization massage training functional goals
outcome outcomes measure measures assessment clinician provider providers clinic clinics outpatient
facility locality rate rates fee schedule allowed amount reimbursement payment paid adjustment
threshold thresholds annual year calendar quarter effective date edits pair pairs bundled separate
distinct same day block interval minutes-based rule rules guideline guidelines manual chapter section
contractor jurisdiction local determination article requirement requirements medical necessity
physician referral certification recertification signature assistant supervision direct general
discipline physical occupational speech language pathology diagnosis diagnoses impairment deficit
fall risk stroke injury recovery stability mobility transfer transfers endurance pain function
time start stop total remaining extra leftover round rounding count counted counts each per total
the a an and or of to in for with on by from when where which that this these those each every
must should may can does not only also before after during between within without under over
review reviewed example examples common commonly typical typically usually often rarely always
"""
_VOCABULARY = _WORDS.split()
_CODES = ["97110", "97112", "97116", "97140", "97530", "97535", "97161", "97162", "97163", "97164"]
_MODIFIERS = ["GP", "GO", "GN", "59", "XU", "XE", "KX", "CQ", "CO"]


def chunk_lengths(rng: random.Random, count: int) -> list[int]:
    """Target character lengths of ``count`` sections (triangular around the shipped KB's median)."""
    return [int(rng.triangular(_MIN_CHARS, _MAX_CHARS, _MODE_CHARS)) for _ in range(count)]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(6, 22))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(_CODES))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), f"modifier {rng.choice(_MODIFIERS)}")
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, target: int) -> str:
    text = _sentence(rng)
    while True:
        nxt = _sentence(rng)
        if len(text) + 1 + len(nxt) > target:
            return text
        text = f"{text} {nxt}"


def document_text(index: int, sections: int = SECTIONS_PER_DOC) -> str:
    """Markdown (with front matter) of synthetic document ``index``: the same text in every run."""
    rng = random.Random(f"{_SEED}-{index}")
    title = f"Synthetic clinic manual {index:06d}"
    parts = [
        "---",
        f"id: synthetic-{index:06d}",
        f'title: "{title}"',
        "topic: synthetic benchmark",
        "effective_year: 2026",
        'sources: ["synthetic benchmark corpus (not guidance)"]',
        "---",
        "",
        f"# {title}",
        "",
    ]
    for number, length in enumerate(chunk_lengths(rng, sections), 1):
        heading = " ".join(rng.choice(_VOCABULARY) for _ in range(3))
        parts += [f"## Part {number}: {heading}", "", _paragraph(rng, length), ""]
    return "\n".join(parts)


def write_corpus(folder: Path, chunks: int) -> Path:
    """Write the documents holding ``chunks`` sections into ``folder`` (kept if already complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = math.ceil(chunks / SECTIONS_PER_DOC)
    marker = folder / f".complete-{chunks}"
    if marker.exists():
        return folder
    for index in range(docs):
        sections = min(SECTIONS_PER_DOC, chunks - index * SECTIONS_PER_DOC)
        (folder / f"synthetic-{index:06d}.md").write_text(document_text(index, sections), encoding="utf-8")
    marker.touch()
    return folder
