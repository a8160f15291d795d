"""The router's vocabulary, compiled from ``synonyms.yaml``: code names, durations, intent cues, scope.

Example:
    >>> [m.code for m in lexicon().find_codes("24 of neuro re-ed and 23 of ther ex")]
    ['97112', '97110']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.retrieval.codes import extract_codes

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")


@dataclass(frozen=True)
class CodeMention:
    """A code named in the text (by number, name or abbreviation) and where."""

    code: str
    start: int
    end: int


_FUZZY_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
_FUZZY_GAP = re.compile(r"[\s\-./]*")
_FUZZY_MIN_CHARS, _FUZZY_MAX_WORDS, _FUZZY_CUTOFF = 7, 3, 87.0


def _squash(text: str) -> str:
    """Letters only, lower-case: 're-ed' and 're ed' compare equal."""
    return re.sub(r"[^a-z]", "", text.lower())


def _name_regex(name: str) -> str:
    """'ther ex' -> a pattern also matching 'ther-ex', 'ther. ex' and 'therex' as whole words."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", name.strip()) if p]
    return r"(?<![\w-])" + r"[\s\-.]*".join(parts) + r"(?![\w-])"


def _cue_regex(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.IGNORECASE)


class Lexicon:
    """Compiled synonyms: find codes with positions, durations written in words, intent cues."""

    def __init__(self, data: dict[str, Any]):
        self.version = int(data.get("version", 1))
        patterns: list[tuple[int, re.Pattern[str], str]] = []
        for code, entry in data["codes"].items():
            for name in entry.get("names") or []:
                patterns.append((len(name), re.compile(_name_regex(name), re.IGNORECASE), str(code)))
            for abbr in entry.get("abbreviations") or []:
                patterns.append((len(abbr), re.compile(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])"), str(code)))
        self._code_patterns = [(p, c) for _, p, c in sorted(patterns, key=lambda t: -t[0])]
        self._fuzzy_names: dict[str, str] = {
            _squash(name): str(code)
            for code, entry in data["codes"].items()
            for name in entry.get("names") or []
            if len(_squash(name)) >= _FUZZY_MIN_CHARS
        }
        self._names = {
            str(code): str((entry.get("names") or [""])[0]) for code, entry in data["codes"].items()
        }
        self.medicare_substitutes: dict[str, str] = {
            str(k): str(v) for k, v in (data.get("medicare_substitutes") or {}).items()
        }
        self._evaluation = [
            re.compile(_name_regex(w), re.IGNORECASE) for w in data.get("evaluation_words", [])
        ]
        self.durations: list[tuple[re.Pattern[str], int]] = [
            (re.compile(_name_regex(phrase), re.IGNORECASE), int(minutes))
            for phrase, minutes in sorted(data.get("durations", {}).items(), key=lambda kv: -len(kv[0]))
        ]
        self._cues = {name: _cue_regex(list(pats)) for name, pats in data.get("cues", {}).items()}
        self.followup_start = re.compile(
            r"^\s*(?:" + "|".join(data.get("followup_starts", [])) + r")\b", re.IGNORECASE
        )
        self.retrieval_hints: dict[str, str] = {
            str(k): str(v) for k, v in data.get("retrieval_hints", {}).items()
        }
        self.out_of_scope = [
            (re.compile(r"(?<![\w-])(?:" + e["pattern"] + r")", re.IGNORECASE), str(e["label"]))
            for e in data.get("out_of_scope", [])
        ]

    def find_codes(self, text: str) -> list[CodeMention]:
        """Every code mention, longest names first, no overlaps, in text order."""
        taken: list[tuple[int, int]] = []
        found: list[CodeMention] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        numeric = [c for c in extract_codes(text) if len(c) == 5]
        for code in numeric:
            for m in re.finditer(rf"(?<![\w$.,]){re.escape(code)}(?!\w)", text, re.IGNORECASE):
                taken.append(m.span())
                found.append(CodeMention(code.upper(), *m.span()))
        for pattern, code in self._code_patterns:
            for m in pattern.finditer(text):
                if free(*m.span()):
                    taken.append(m.span())
                    found.append(CodeMention(code, *m.span()))
        found += self._fuzzy_codes(text, free, taken)
        return sorted(found, key=lambda m: m.start)

    def _fuzzy_codes(
        self, text: str, free: Callable[[int, int], bool], taken: list[tuple[int, int]]
    ) -> list[CodeMention]:
        """Misspelled code names ("nueromuscular re-ed", "therapuetic excercise") in the text left over."""
        from rapidfuzz import fuzz, process

        words = list(_FUZZY_WORD.finditer(text))
        candidates: list[tuple[float, int, int, str]] = []
        for i in range(len(words)):
            for j in range(i, min(i + _FUZZY_MAX_WORDS, len(words))):
                if j > i and not _FUZZY_GAP.fullmatch(text[words[j - 1].end() : words[j].start()]):
                    break  # a name's words are adjacent: "therapeutic 25 min" is no name
                start, end = words[i].start(), words[j].end()
                window = _squash(text[start:end])
                if len(window) < _FUZZY_MIN_CHARS:
                    continue
                best = process.extractOne(
                    window, list(self._fuzzy_names), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
                )
                if best is not None and best[0][0] == window[0]:
                    candidates.append((best[1], start, end, self._fuzzy_names[best[0]]))
        found: list[CodeMention] = []
        for _, start, end, code in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if free(start, end):
                taken.append((start, end))
                found.append(CodeMention(code, start, end))
        return found

    def code_name(self, code: str) -> str:
        """The first plain name of a code in the synonyms file ('' when it has none)."""
        return self._names.get(code, "")

    def modifiers(self, text: str) -> list[str]:
        """Modifiers named in the text (59, XU, GP, KX, CQ...)."""
        return [c for c in extract_codes(text) if len(c) == 2]

    def mentions_evaluation(self, text: str) -> bool:
        """An evaluation named without its complexity (the untimed 97161-97163 family)."""
        return any(p.search(text) for p in self._evaluation)

    def cue(self, name: str, text: str) -> bool:
        """Whether any cue of the group ``name`` (rate, units, modifier, ama, ...) is in the text."""
        return bool(self._cues[name].search(text))

    def cue_match(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of a cue group, for callers that need its position."""
        return self._cues[name].search(text)

    def out_of_scope_label(self, text: str) -> str | None:
        """The label of an out-of-scope topic the text asks about, if any."""
        for pattern, label in self.out_of_scope:
            if pattern.search(text):
                return label
        return None


@functools.cache
def lexicon(path: Path = SYNONYMS_FILE) -> Lexicon:
    """The compiled synonyms file (read once per process)."""
    return Lexicon(yaml.safe_load(path.read_text(encoding="utf-8")))
