"""Follow-up questions: carry codes, minutes, payer, year, place and method over from earlier user turns.

"and UnitedHealthcare?", "and in 2025?", "what would 4 units come to?" or "what if it were a commercial
plan using the per-code method?" only make sense with the turn before; this stage fills what the new
turn leaves out from the most recent user turns that had it.

Example:
    >>> hist = [{"role": "user", "content": "What does Aetna pay for 97112?"}]
    >>> merged = condense(analyze("and UnitedHealthcare?"), "and UnitedHealthcare?", hist, analyze)
    >>> merged.slots.codes, merged.slots.payer                          # doctest: +SKIP
    (['97112'], 'UnitedHealthcare')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.chain.extract import Slots
from assistant.chain.lexicon import lexicon

# Fields carried from an earlier turn when the new turn leaves them empty.
_CARRIED = (
    "year",
    "locality",
    "facility",
    "method",
    "assistant_kind",
    "discipline",
    "ytd_spend",
    "same_block",
)
_SHORT_TURN_WORDS = 6
_REFERENCE = re.compile(r"\b(?:it|that|those|these|them|same codes?|this one)\b", re.I)


@dataclass(frozen=True)
class Condensed:
    """The slots to route on and the text to retrieve with (the new turn plus its context)."""

    slots: Slots
    query: str
    carried: tuple[str, ...] = ()


def _user_turns(history: Sequence[dict[str, Any]] | None) -> list[str]:
    turns = []
    for message in history or []:
        if (
            isinstance(message, dict)
            and message.get("role") == "user"
            and isinstance(message.get("content"), str)
        ):
            turns.append(message["content"])
    return turns


def is_followup(slots: Slots, text: str) -> bool:
    """A turn that leans on the previous one: starts like a follow-up, or names no code but is short or
    only adds a detail (payer, year, units, method, place)."""
    if lexicon().followup_start.match(text):
        return True
    if slots.codes or slots.minutes:
        return False
    if _REFERENCE.search(text):
        return True
    if slots.intents - {"rate", "units"} or slots.modifiers:
        return False  # a new question of its own (modifiers, thresholds...) about no particular code
    own_detail = (
        slots.payer or slots.unknown_payer or slots.year or slots.units or slots.method or slots.commercial
    )
    detail = bool(own_detail or slots.locality or slots.facility is not None)
    return detail or bool(slots.intents) or len(text.split()) <= _SHORT_TURN_WORDS


def _merge(now: Slots, before: Slots, carried: list[str], now_text: str) -> Slots:
    merged = replace(now, intents=set(now.intents), minutes=dict(now.minutes))
    concept = lexicon().cue("concept", now_text)
    if now.codes and not now.minutes and set(now.codes) <= set(before.codes) and before.minutes:
        # "how much would that pay for the 97112 units?": the earlier minutes of those codes still hold
        merged.minutes = {c: m for c, m in before.minutes.items() if c in now.codes}
        carried.append("minutes")
    elif now.minutes and before.minutes and set(now.minutes) < set(before.minutes):
        # "what if the ther ex had been 38 minutes instead?": change that code, keep the others
        merged.minutes = {**before.minutes, **now.minutes}
        merged.codes = list(dict.fromkeys([*before.codes, *now.codes]))
        carried.append("minutes")
    if not now.codes and before.codes:
        merged.codes = list(before.codes)
        if concept and not (now.minutes or now.total_minutes or now.units):
            pass  # "what does that code cover?": the codes only, not the numbers of the earlier tool run
        elif now.total_minutes and not now.minutes and len(before.codes) == 1:
            merged.minutes, merged.total_minutes = {before.codes[0]: now.total_minutes}, None
        elif not now.minutes and not now.total_minutes:
            merged.minutes, merged.total_minutes = dict(before.minutes), before.total_minutes
            merged.pta_minutes = now.pta_minutes or dict(before.pta_minutes)
            merged.units_by_code = now.units_by_code or dict(before.units_by_code)
        carried.append("codes")
    if not (now.payer or now.unknown_payer or now.commercial) and (before.payer or before.unknown_payer):
        merged.payer, merged.unknown_payer = before.payer, before.unknown_payer
        merged.commercial = before.commercial
        carried.append("payer")
    for name in _CARRIED:
        if name == "method" and now.payer == "Medicare":
            continue  # Medicare counts units by the CMS method whatever an earlier turn used
        if name == "ytd_spend" and concept:
            continue
        if getattr(merged, name) is None and getattr(before, name) is not None:
            setattr(merged, name, getattr(before, name))
            carried.append(name)
    merged.illinois = now.illinois or (before.illinois and "locality" in carried)
    merged.reduced = now.reduced or before.reduced
    merged.kx_threshold = now.kx_threshold or (before.kx_threshold and not now.intents - {"modifier"})
    merged.modifiers = list(dict.fromkeys(now.modifiers + before.modifiers))
    if not concept:
        merged.intents |= before.intents  # "and UHC?" still asks for a rate; "who's the MAC there?" does not
    return merged


def condense(
    slots: Slots, text: str, history: Sequence[dict[str, Any]] | None, analyze: Callable[[str], Slots]
) -> Condensed:
    """Fill what a follow-up leaves out from earlier user turns (most recent first)."""
    turns = _user_turns(history)
    if not turns or not is_followup(slots, text):
        return Condensed(slots=slots, query=text)
    carried: list[str] = []
    merged = slots
    for turn in reversed(turns[-4:]):
        merged = _merge(merged, analyze(turn), carried, text)
    context = turns[-1]
    if lexicon().cue("concept", text) and not (slots.codes or slots.minutes):
        # "what does that code cover?": the codes and place carried over, not the earlier turn's rate words
        place = [merged.payer or merged.unknown_payer, merged.locality] if merged.locality else []
        context = " ".join(filter(None, [*merged.codes, *place]))
    query = f"{text} (context: {context})"
    return Condensed(slots=merged, query=query, carried=tuple(dict.fromkeys(carried)))
