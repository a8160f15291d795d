"""The gold dataset: one JSON object per line, validated with the line number in every error.

A case (``EvalCase``)::

    {"id": "units-001",                      # unique across the files loaded together
     "question": "24 min neuro re-ed + 23 ther ex, medicare?",
     "history": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}],  # optional
     "category": "units",                    # units | modifiers | rates | concepts | followup |
                                             # out_of_scope | adversarial; optional for drafts
     "expected": {
        "facts": ["97112\\D+2|2 units of 97112"],   # regexes; ALL must match the answer text
        "any_of": [["\\$32\\.73", "32\\.73"]],      # groups; ONE regex of EACH group must match
        "forbidden": ["\\$999"],                    # regexes; NONE may match
        "tool": {"name": "units", "args": {"minutes": {"97112": 24, "97110": 23}},   # args optional
                 "result_subset": {"units_by_code": {"97112": 2}}},
        "sources": ["cpt-97112-overview"],          # knowledge-base doc ids (front matter ``id``)
        "abstain": false},
     "draft": false,                          # optional: unreviewed case (e.g. from feedback export)
     "notes": "..."}                          # optional free text (a reviewer's correction, why)

Regexes are matched with ``re.search`` ignoring case (``(?-i:GO)`` makes a token case-sensitive).
Every ``expected`` key is optional, so a draft case (``"expected": {}``) is valid; unknown keys inside
``expected`` are rejected to catch typos, while extra keys on the case itself (e.g. ``created``,
``rating``) are kept and ignored by the metrics.

Example:
    >>> case = EvalCase.model_validate({"id": "c1", "question": "What is 97112?", "category": "concepts"})
    >>> case.expected.abstain
    False
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import AssistantError

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
CATEGORIES: tuple[str, ...] = (
    "units",
    "modifiers",
    "rates",
    "concepts",
    "followup",
    "out_of_scope",
    "adversarial",
)
SPLITS: tuple[str, ...] = ("dev", "test")
TOOL_NAMES: tuple[str, ...] = ("units", "modifiers", "rate")

Category = Literal["units", "modifiers", "rates", "concepts", "followup", "out_of_scope", "adversarial"]


class DatasetError(AssistantError):
    """A dataset file is missing or one of its lines is not a valid case (the message names the line)."""


def _check_patterns(patterns: Iterable[str]) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as err:
            raise ValueError(f"invalid regex {pattern!r}: {err}") from err


class ToolExpectation(BaseModel):
    """The tool that must have run, and a (recursive) subset its result must contain.

    ``args`` (optional, not scored) records the arguments the question implies, so a test can run the
    real tool on them and prove that ``result_subset`` is what the tool computes.
    """

    model_config = ConfigDict(extra="forbid")

    name: Literal["units", "modifiers", "rate"]
    args: dict[str, Any] | None = None
    result_subset: dict[str, Any] = Field(default_factory=dict)


class Expected(BaseModel):
    """What a correct answer looks like; every field is optional so drafts validate."""

    model_config = ConfigDict(extra="forbid")

    facts: list[str] = Field(default_factory=list)
    any_of: list[list[str]] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    tool: ToolExpectation | None = None
    sources: list[str] = Field(default_factory=list)
    abstain: bool = False

    @field_validator("facts", "forbidden")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        _check_patterns(value)
        return value

    @field_validator("any_of")
    @classmethod
    def _groups(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if not group:
                raise ValueError("an any_of group must hold at least one regex")
            _check_patterns(group)
        return value


class Message(BaseModel):
    """One earlier turn of the conversation."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant", "system"]
    content: str


class EvalCase(BaseModel):
    """One question with its expectations (see the module docstring for the JSONL format)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    history: list[Message] = Field(default_factory=list)
    category: Category | None = None
    expected: Expected = Field(default_factory=Expected)
    draft: bool = False
    notes: str = ""

    @property
    def category_label(self) -> str:
        """The category, or ``uncategorized`` for drafts that have none yet."""
        return self.category or "uncategorized"

    def history_dicts(self) -> list[dict[str, str]]:
        """History as the ``{"role", "content"}`` dicts that ``Assistant.ask`` takes."""
        return [{"role": m.role, "content": m.content} for m in self.history]


def _describe(err: ValidationError) -> str:
    parts = []
    for item in err.errors():
        where = ".".join(str(p) for p in item["loc"]) or "case"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def parse_lines(lines: Iterable[str], origin: str = "<dataset>") -> list[EvalCase]:
    """Parse JSONL text into cases; blank lines and ``//`` comment lines are skipped."""
    cases: list[EvalCase] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise DatasetError(f"{origin} line {number}: not valid JSON ({err.msg})") from err
        if not isinstance(data, dict):
            raise DatasetError(f"{origin} line {number}: expected a JSON object, got {type(data).__name__}")
        try:
            case = EvalCase.model_validate(data)
        except ValidationError as err:
            raise DatasetError(f"{origin} line {number}: {_describe(err)}") from err
        if case.id in seen:
            first = seen[case.id]
            raise DatasetError(f"{origin} line {number}: duplicate id {case.id!r} (first on line {first})")
        seen[case.id] = number
        cases.append(case)
    return cases


def load_dataset(path: Path) -> list[EvalCase]:
    """Read and validate one JSONL file."""
    if not path.is_file():
        raise DatasetError(f"dataset file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"cannot read dataset {path}: {err}") from err
    return parse_lines(text.splitlines(), origin=path.name)


def split_path(split: str) -> Path:
    """The shipped file of a split (``dev`` or ``test``)."""
    if split not in SPLITS:
        raise DatasetError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)} or all")
    return DATASETS_DIR / f"{split}.jsonl"


def load_split(split: str = "test") -> list[EvalCase]:
    """Cases of a shipped split; ``all`` loads dev then test (ids must stay unique)."""
    names: Sequence[str] = SPLITS if split == "all" else (split,)
    cases: list[EvalCase] = []
    for name in names:
        cases.extend(load_dataset(split_path(name)))
    duplicates = sorted(i for i, n in Counter(c.id for c in cases).items() if n > 1)
    if duplicates:
        raise DatasetError(f"ids used in more than one split: {', '.join(duplicates)}")
    return cases
