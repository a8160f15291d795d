"""Practice scenarios for new billers, generated from a seed and graded by the assistant's own tools.

``scenario(seed, number)`` is deterministic: the same seed and number always give the same scenario,
so a trainee (and a test) can replay a session. The expected answer is never stored in this module: it is
what ``assistant.tools.registry.run_tool`` computes for the scenario's arguments.

Example:
    >>> s = scenario(7, 0, kind="units")
    >>> s == scenario(7, 0, kind="units"), s.tool
    (True, 'units')
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

Kind = Literal["units", "modifier", "rate"]
KINDS: tuple[Kind, ...] = ("units", "modifier", "rate")

# Timed 15-minute codes (FACTS.md §3, High) with a plain-language name for the prompt.
TIMED_CODES = {
    "97110": "therapeutic exercise",
    "97112": "neuromuscular re-education",
    "97116": "gait training",
    "97140": "manual therapy",
    "97530": "therapeutic activities",
}
# NCCI pairs with a known column order (FACTS.md §5); the tool's data decides the answer.
EDIT_PAIRS = (("97140", "97530"), ("97161", "97140"), ("97162", "97140"), ("97163", "97140"))
# A pair with no known edit (FACTS.md §5: no source for a 97110/97112 pair).
NO_EDIT_PAIRS = (("97112", "97110"),)
RATE_PAYERS = ("medicare", "aetna", "bcbs", "unitedhealthcare")
_PAYER_NAMES = {"aetna": "Aetna", "bcbs": "BCBS", "unitedhealthcare": "UnitedHealthcare"}
MEDICARE_RATE_CODES = ("97110", "97112", "97140", "97530")

CHOICE_59 = "59 (or an X modifier)"
CHOICE_KX = "KX"
CHOICE_CQ = "CQ"
CHOICE_NONE = "None beyond GP"
MODIFIER_CHOICES = (CHOICE_59, CHOICE_KX, CHOICE_CQ, CHOICE_NONE)
_DISCIPLINE = {"GP", "GO", "GN"}


@dataclass(frozen=True)
class Scenario:
    """One practice question and the tool call that grades it."""

    kind: Kind
    prompt: str
    tool: str
    args: dict[str, Any]
    codes: tuple[str, ...] = ()
    choices: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer, with the tool's working and its source."""

    correct: bool
    expected: str
    explanation: str
    source: str


def scenario(seed: int, number: int, kind: Kind | None = None) -> Scenario:
    """The ``number``-th scenario of the practice session ``seed`` (kinds rotate unless given)."""
    rng = random.Random(f"practice:{seed}:{number}")
    chosen = kind or KINDS[number % len(KINDS)]
    return {"units": _units, "modifier": _modifier, "rate": _rate}[chosen](rng)


def _units(rng: random.Random) -> Scenario:
    while True:  # distinct minutes and leftovers: no "either code" ties, one right answer
        codes = rng.sample(sorted(TIMED_CODES), rng.choice((2, 3)))
        minutes = {c: rng.randint(5, 40) for c in codes}
        values = list(minutes.values())
        if len(set(values)) == len(values) and len({m % 15 for m in values}) == len(values):
            break
    lines = "\n".join(f"- {c} {TIMED_CODES[c]}: {m} minutes" for c, m in minutes.items())
    prompt = (
        "A Medicare patient's visit (CMS 8-minute rule) had these timed services:\n\n"
        f"{lines}\n\nHow many units of each code do you bill? Answer like `{codes[0]}=1, {codes[1]}=1`."
    )
    return Scenario("units", prompt, "units", {"minutes": minutes, "method": "cms"}, codes=tuple(codes))


def _modifier(rng: random.Random) -> Scenario:
    variant = rng.choice(("pair", "pair", "no_pair", "assistant", "threshold"))
    args: dict[str, Any] = {"payer": "medicare", "discipline": "PT"}
    if variant == "pair":
        a, b = rng.choice(EDIT_PAIRS)
        args |= {"codes": [a, b], "same_block": False}
        situation = f"{a} and {b} on the same day, done in clearly separate 15-minute blocks"
    elif variant == "no_pair":
        a, b = rng.choice(NO_EDIT_PAIRS)
        args |= {"codes": [a, b], "same_block": False}
        situation = f"{a} and {b} on the same day, each with its own minutes and goal"
    elif variant == "assistant":
        code = rng.choice(("97110", "97112"))
        minutes = rng.randint(23, 37)
        args |= {"codes": [code], "minutes": {code: minutes}, "pta_minutes": {code: minutes}}
        args["assistant_kind"] = "PTA"
        situation = f"{code} for {minutes} minutes, all of it furnished by a physical therapist assistant"
    else:
        year = rng.choice((2025, 2026))
        spend = rng.choice((2600, 2750, 2900))
        args |= {"codes": ["97112"], "ytd_spend": str(spend), "year": year}
        situation = f"97112 in {year} for a patient whose PT and SLP spending this year is already ${spend:,}"
    prompt = (
        f"A Medicare physical therapy claim bills {situation}.\n\nWhich modifier does it need besides GP?"
    )
    return Scenario(
        "modifier", prompt, "modifiers", args, codes=tuple(args["codes"]), choices=MODIFIER_CHOICES
    )


def _rate(rng: random.Random) -> Scenario:
    payer = rng.choice(RATE_PAYERS)
    if payer == "medicare":
        code, year, units = rng.choice(MEDICARE_RATE_CODES), rng.choice((2025, 2026)), 1
        where = f"Medicare {year}, national non-facility rate"
    else:
        code, year, units = "97112", 2025, rng.randint(1, 4)
        where = f"{_PAYER_NAMES[payer]} {year} representative rate"
    prompt = f"{where}: {units} unit(s) of {code}.\n\nWhat is the total payment in dollars?"
    args = {"code": code, "payer": payer, "units": units, "year": year}
    return Scenario("rate", prompt, "rate", args, codes=(code,))


_CODE_THEN_UNITS = re.compile(r"\b(\d{5})\b\s*(?:[:=x×*-]|units?\s*(?:of)?)?\s*(\d{1,2})\b")
_UNITS_THEN_CODE = re.compile(r"\b(\d{1,2})\s*(?:x|×|units?\s*(?:of)?)?\s*(\d{5})\b")


def parse_units_answer(text: str, codes: tuple[str, ...]) -> dict[str, int] | None:
    """Read ``97112=2, 97110=1``, ``2 units of 97112`` or the bare numbers in order; None if unreadable."""
    pairs = [(c, n) for c, n in _CODE_THEN_UNITS.findall(text)]
    pairs = pairs or [(c, n) for n, c in _UNITS_THEN_CODE.findall(text)]
    if pairs:
        found = {code: int(n) for code, n in pairs if code in codes}
        return {c: found.get(c, 0) for c in codes} if found else None
    numbers = [int(n) for n in re.findall(r"\b\d{1,2}\b", text)]
    return dict(zip(codes, numbers, strict=True)) if len(numbers) == len(codes) else None


def parse_amount(text: str) -> Decimal | None:
    """Read a dollar amount such as ``$103.50`` or ``103.5``; None if there is none."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text or "")
    if not match:
        return None
    try:
        return Decimal(match.group(0).replace(",", ""))
    except InvalidOperation:
        return None


def expected_modifier_choices(result: dict[str, Any]) -> set[str]:
    """The practice choices that match the tool's required findings (GP/GO/GN left aside)."""
    choices: set[str] = set()
    for finding in result.get("findings", []):
        if not finding.get("required"):
            continue
        modifier = str(finding.get("modifier", "")).upper()
        if modifier in _DISCIPLINE:
            continue
        if "59" in modifier or re.search(r"\bX[ESPU]\b", modifier):
            choices.add(CHOICE_59)
        elif "KX" in modifier:
            choices.add(CHOICE_KX)
        elif modifier in {"CQ", "CO"}:
            choices.add(CHOICE_CQ)
    return choices or {CHOICE_NONE}


def _explain(tool: str, result: dict[str, Any]) -> tuple[str, str]:
    """The tool's working as markdown bullets, and its source."""
    if tool == "modifiers":
        findings = result.get("findings", [])
        lines = [f"{f.get('modifier') or 'No modifier'}: {f.get('reason', '')}" for f in findings]
        sources = {str(f.get("source", "")) for f in findings if f.get("source")}
        source = "; ".join(sorted(sources)) or str(result.get("data_source", ""))
    else:
        lines = [str(s) for s in result.get("steps", [])] + [str(n) for n in result.get("notes", [])]
        source = str(result.get("source", ""))
    return "\n".join(f"- {line}" for line in lines), source


def grade(item: Scenario, answer: str, data_dir: Path | None = None) -> Grade:
    """Run the scenario's tool (over the tables in ``data_dir``) and compare the trainee's answer."""
    from assistant.tools.registry import run_tool

    result = run_tool(item.tool, item.args, data_dir)
    explanation, source = _explain(item.tool, result)
    if item.kind == "units":
        wanted = {c: int(result["units_by_code"].get(c, 0)) for c in item.codes}
        correct = parse_units_answer(answer, item.codes) == wanted
        expected = ", ".join(f"{c} × {n}" for c, n in wanted.items())
    elif item.kind == "modifier":
        choices = expected_modifier_choices(result)
        correct = answer in choices
        expected = " or ".join(sorted(choices))
    else:
        total = Decimal(str(result["total"]))
        given = parse_amount(answer)
        correct = given is not None and abs(given - total) < Decimal("0.005")
        expected = f"${total:,.2f}"
    return Grade(correct=correct, expected=expected, explanation=explanation, source=source)


@dataclass
class PracticeSession:
    """A trainee's run through the scenarios of one seed, with the running score.

    Example:
        >>> session = PracticeSession(seed=3)
        >>> session.current() == scenario(3, 0), session.score()
        (True, 'Score: 0 / 0')
    """

    seed: int
    number: int = 0
    correct: int = 0
    attempted: int = 0
    answered: bool = False
    data_dir: Path | None = None  # the tables the tools grade with (default: the configured folder)

    def current(self) -> Scenario:
        return scenario(self.seed, self.number)

    def answer(self, text: str) -> Grade:
        """Grade the answer to the current scenario; only the first answer to each one is scored."""
        result = grade(self.current(), text, self.data_dir)
        if not self.answered:
            self.attempted += 1
            self.correct += int(result.correct)
            self.answered = True
        return result

    def next(self) -> Scenario:
        self.number += 1
        self.answered = False
        return self.current()

    def score(self) -> str:
        return f"Score: {self.correct} / {self.attempted}"


def grade_markdown(result: Grade) -> str:
    """The verdict, the expected answer, the tool's working and the source, as markdown."""
    verdict = "✓ Correct" if result.correct else f"✗ Not quite — the answer is **{result.expected}**"
    parts = [f"### {verdict}", result.explanation]
    if result.source:
        parts.append(f"*Source: {result.source}*")
    return "\n\n".join(p for p in parts if p)
