"""Decide which tools a question needs and with which arguments; retrieval always runs for citations.

Example:
    >>> plan = route(analyze("24 min neuro re-ed and 23 ther ex, Medicare", data_dir))   # doctest: +SKIP
    >>> [(r.name, r.args) for r in plan.requests]                                      # doctest: +SKIP
    [('units', {'minutes': {'97112': 24, '97110': 23}, 'method': 'cms'}), ('modifiers', {...})]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.chain.extract import Slots, extract_slots
from assistant.chain.lexicon import lexicon
from assistant.chain.places import find_payer, find_place, mentions_illinois
from assistant.tools.tables import code_catalogue

MEDICARE = "Medicare"
# A single timed 15-minute code stands in when only total minutes are given (the CMS table is the same).
REPRESENTATIVE_TIMED_CODE = "97110"


@dataclass(frozen=True)
class ToolRequest:
    """One tool to run; ``rate`` requests are completed with units after the units tool ran."""

    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    """The tools to run, in order, and what else the composer must say."""

    slots: Slots
    requests: list[ToolRequest] = field(default_factory=list)
    rate_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    threshold_only: bool = False  # a KX question with a year-to-date spend but no codes

    @property
    def modifiers_asked(self) -> bool:
        """Whether the question is about modifiers (not just a billing question that gets GP added)."""
        s = self.slots
        return (
            "modifier" in s.intents or bool(s.modifiers) or s.same_block is not None or bool(s.assistant_kind)
        )

    @property
    def retrieval_codes(self) -> list[str]:
        return [*self.slots.codes, *self.slots.modifiers]

    def retrieval_query(self, query: str) -> str:
        """The question plus the numbers of codes named in words and the hints of the tools that run."""
        extra = [c for c in self.slots.codes if c not in query] + self.hints
        return " ".join([query, *extra])


def analyze(text: str, data_dir: Path) -> Slots:
    """All slots of one (redacted) question: the numeric facts plus payer and place."""
    slots = extract_slots(text)
    slots.payer, slots.unknown_payer = find_payer(text, data_dir)
    slots.locality = find_place(text, data_dir)
    slots.illinois = mentions_illinois(text, slots.locality, data_dir)
    if slots.locality and slots.codes:
        slots.intents.add("rate")  # a code and a place: the place only matters for its rate
    return slots


def _is_medicare(slots: Slots) -> bool:
    return not slots.commercial and not slots.unknown_payer and slots.payer in (None, MEDICARE)


def _substitute(slots: Slots, notes: list[str]) -> None:
    """97014 is not valid for Medicare: bill G0283; a non-Medicare payer gets 97014 for unattended e-stim."""
    for old, new in lexicon().medicare_substitutes.items():
        source, target = (old, new) if _is_medicare(slots) else (new, old)
        if source in slots.codes:
            slots.codes = [target if c == source else c for c in slots.codes]
            slots.minutes = {(target if c == source else c): m for c, m in slots.minutes.items()}
            who = "Medicare" if _is_medicare(slots) else "this payer"
            notes.append(f"Unattended electrical stimulation: {target} for {who} ({source} asked).")


def _drop_unknown_codes(slots: Slots, notes: list[str], data_dir: Path) -> None:
    """Leave out codes that are not therapy codes on file when others are (a typo must not sink the rest)."""
    catalogue = code_catalogue(data_dir)
    unknown = [c for c in slots.codes if c not in catalogue]
    if unknown and len(unknown) < len(slots.codes):
        slots.codes = [c for c in slots.codes if c in catalogue]
        slots.minutes = {c: m for c, m in slots.minutes.items() if c in catalogue}
        slots.units_by_code = {c: n for c, n in slots.units_by_code.items() if c in catalogue}
        notes.append(f"Not therapy codes on file, left out: {', '.join(unknown)}.")


def _units_args(slots: Slots, notes: list[str], data_dir: Path) -> dict[str, Any] | None:
    minutes = dict(slots.minutes)
    if minutes:
        catalogue = code_catalogue(data_dir)
        untimed = [c for c in slots.codes if c not in minutes and c in catalogue and not catalogue[c].timed]
        minutes.update({c: 0 for c in untimed})  # untimed codes: 1 unit each, no minutes needed
    if minutes and slots.total_minutes:
        notes.append(
            f"{slots.total_minutes} minutes are not tied to a code I recognise, so they are left out of this "
            "count; give that service's code number or usual name to include it."
        )
    if not minutes and slots.total_minutes:
        code = slots.codes[0] if slots.codes else REPRESENTATIVE_TIMED_CODE
        minutes = {code: slots.total_minutes}
        notes.append(
            f"Only total minutes were given, so they are counted as one timed 15-minute code ({code}); "
            "give minutes per code to split the units between codes."
        )
    if not minutes:
        return None
    return {"minutes": minutes, "method": slots.method or "cms"}


def _modifier_args(slots: Slots) -> dict[str, Any]:
    args: dict[str, Any] = {"codes": list(slots.codes), "discipline": slots.discipline or "PT"}
    if slots.minutes:
        args["minutes"] = dict(slots.minutes)
    if slots.same_block is not None:
        args["same_block"] = slots.same_block
    if slots.assistant_kind:
        args["assistant_kind"] = slots.assistant_kind
        if slots.pta_minutes:
            args["pta_minutes"] = dict(slots.pta_minutes)
    if slots.ytd_spend is not None:
        args["ytd_spend"] = str(slots.ytd_spend)
    if slots.year:
        args["year"] = slots.year
    payer = slots.payer or slots.unknown_payer
    if payer:
        args["payer"] = payer
    if slots.reduced:
        args["reduced"] = True
    return args


def _wants_modifiers(slots: Slots) -> bool:
    asked = "modifier" in slots.intents or bool(slots.modifiers)
    details = (
        slots.assistant_kind or slots.ytd_spend is not None or slots.reduced or slots.same_block is not None
    )
    billing_medicare = "units" in slots.intents and bool(slots.minutes) and slots.payer == MEDICARE
    return bool(slots.codes) and bool(asked or details or billing_medicare)


def _wants_rate(slots: Slots) -> bool:
    asked = "rate" in slots.intents or bool(slots.units_by_code)
    return bool(slots.codes) and asked


def _hints(plan: Plan) -> list[str]:
    """Retrieval hint keys for the tools that run, so their guidance gets cited."""
    s, names = plan.slots, [r.name for r in plan.requests]
    keys = []
    if "units" in names or s.method:
        keys.append("units_ama" if s.method == "ama" else "units_cms")
    if "modifiers" in names or s.ytd_spend is not None or plan.threshold_only:
        flags = (
            ("ncci_pair", len(s.codes) > 1 and plan.modifiers_asked),
            ("assistant", bool(s.assistant_kind)),
            ("kx", s.ytd_spend is not None or s.kx_threshold),
            ("reduced", s.reduced),
        )
        specific = [key for key, on in flags if on]
        keys += specific or (["discipline"] if plan.modifiers_asked else [])
    if plan.rate_codes:
        keys.append("rate_medicare" if _is_medicare(s) else "rate_payer")
        if _is_medicare(s) and len(s.codes) > 1:
            keys.insert(0, "mppr")  # a multi-code Medicare day: the total is reduced by MPPR
    return keys


def route(slots: Slots, data_dir: Path) -> Plan:
    """The plan for ``slots``: units when minutes are given, modifiers when asked or implied, rates."""
    plan = Plan(slots=slots)
    if slots.out_of_scope and not slots.codes:
        return plan  # "a 30 minute E/M visit" is not a therapy unit question
    _drop_unknown_codes(slots, plan.notes, data_dir)
    _substitute(slots, plan.notes)
    if slots.evaluation:
        plan.notes.append(
            "PT evaluations (97161 low, 97162 moderate, 97163 high complexity) are untimed: 1 unit per "
            "session, and their minutes do not count toward the timed total."
        )
    units = _units_args(slots, plan.notes, data_dir)
    if units is not None:
        plan.requests.append(ToolRequest("units", units))
    if _wants_modifiers(slots):
        plan.requests.append(ToolRequest("modifiers", _modifier_args(slots)))
    if _wants_rate(slots):
        plan.rate_codes = list(slots.codes)
    if (slots.ytd_spend is not None or slots.kx_threshold) and not slots.codes:
        plan.threshold_only = True
    plan.hints = [lexicon().retrieval_hints[k] for k in _hints(plan) if k in lexicon().retrieval_hints]
    return plan


def rate_requests(slots: Slots, units_by_code: dict[str, int]) -> list[dict[str, Any]]:
    """Rate-tool arguments: one Medicare call for the whole day (MPPR), else one call per code."""
    day = {c: n for c, n in {**units_by_code, **slots.units_by_code}.items() if n > 0}
    base: dict[str, Any] = {
        "payer": slots.unknown_payer or slots.payer or ("commercial" if slots.commercial else "medicare")
    }
    if slots.year:
        base["year"] = slots.year
    if slots.locality:
        base["locality"] = slots.locality
    if slots.facility:
        base["facility"] = True
    if slots.assistant_kind and _is_medicare(slots):
        base["assistant"] = True
    requests = []
    for code in slots.codes:
        if units_by_code.get(code) == 0 and code not in slots.units_by_code:
            continue  # the units tool gave this code no unit: nothing to price
        units = slots.units_by_code.get(code) or (slots.units if len(slots.codes) == 1 else None)
        args = {**base, "code": code, "units": max(1, units or day.get(code) or 1)}
        others = {c: n for c, n in day.items() if c != code}
        if others and _is_medicare(slots):
            return [{**args, "lines": others}]
        requests.append(args)
    return requests
