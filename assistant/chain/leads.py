"""First sentences and working from tool results: units, rates and modifiers, worded from prompts.yaml.

Example:
    >>> units_lead({"total_units": 3, "units_by_code": {"97112": 2, "97110": 1}, "method": "cms",
    ...             "total_timed_minutes": 47, "tied_codes": []})
    'Bill 3 units in total: 2 units of 97112 and 1 unit of 97110 (CMS 8-minute rule; 47 total timed minutes).'
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

PROMPTS_FILE = Path(__file__).with_name("prompts.yaml")


@functools.cache
def prompts(path: Path = PROMPTS_FILE) -> dict[str, Any]:
    """The versioned templates (read once per process)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _units(n: int) -> str:
    return f"{n} unit{'s' * (n != 1)}"


def units_lead(result: dict[str, Any]) -> str:
    """'Bill 3 units in total: 2 units of 97112 and 1 unit of 97110 (...)' (or why no unit)."""
    t = prompts()["units"]
    if int(result["total_units"]) == 0:
        return str(t["zero"]).format(minutes=result["total_timed_minutes"])
    parts = [
        f"{_units(int(n))} of {code}" if int(n) else f"no unit of {code}"
        for code, n in result["units_by_code"].items()
    ]
    method = t["method_ama"] if result["method"] == "ama" else t["method_cms"]
    lead = str(t["lead"]).format(
        total=result["total_units"],
        units_word="unit" if int(result["total_units"]) == 1 else "units",
        allocation=join_words(parts),
        method=method,
        minutes=result["total_timed_minutes"],
    )
    for tie in result.get("tied_codes") or []:
        lead += " " + str(t["tie"]).format(codes=join_words([str(c) for c in tie]))
    return lead


def _context(result: dict[str, Any]) -> str:
    bits = [str(result["year"])]
    if result.get("locality"):
        bits.append(str(result["locality"]))
    bits.append("facility" if result.get("facility") else "non-facility")
    if result.get("confidence"):
        bits.append(f"{result['confidence']} confidence")
    return ", ".join(bits)


def rate_lead(result: dict[str, Any]) -> str:
    """One sentence with the rate (or the day's total with MPPR, or the payer's range)."""
    t = prompts()["rate"]
    fields = {**result, "context": _context(result)}
    if result.get("rate") is None and result.get("rate_low") is not None:
        return str(t["range"]).format(low=result["rate_low"], high=result["rate_high"], **fields)
    if result.get("rate") is None:  # e.g. status B (bundled) or I (not valid for Medicare)
        why = next((n for n in result.get("notes", []) if str(n).startswith(str(result["code"]))), "")
        return str(t["not_paid"]).format(why=why.rstrip("."), **fields)
    lines = result.get("lines") or []
    if len(lines) > 1:
        listed = ", ".join(f"{line['code']} × {line['units']} = ${line['amount']}" for line in lines)
        return str(t["day"]).format(**{**fields, "lines": listed})
    units = int(result["units"])
    total = result.get("total")
    if total is not None and Decimal(str(total)) != Decimal(str(result["rate"])) * units:
        working = " ".join([*result.get("steps", []), *result.get("notes", [])])
        why = t["why_assistant"] if "CQ/CO" in working else t["why_mppr"]
        return str(t["adjusted"]).format(**{**fields, "why": why})
    return str(t["multi_units" if units > 1 else "single"]).format(**fields)


def _pair_part(codes: list[str], same_block: bool | None) -> str:
    t = prompts()["modifiers"]
    first, second = codes[0], codes[-1]
    key = "pair_unknown" if same_block is None else ("pair_same_block" if same_block else "pair_separate")
    return str(t[key]).format(column1=first, column2=second)


def modifiers_lead(result: dict[str, Any], same_block: bool | None = None, brief: bool = False) -> str:
    """'Modifiers: GP on 97112 and 97110; no NCCI edit on file for 97112 + 97110.'

    ``brief`` (modifiers not asked about) keeps only the modifiers that are required.
    """
    t = prompts()["modifiers"]
    parts = []
    for finding in result["findings"]:
        codes = [str(c) for c in finding["codes"]]
        modifier, reason = str(finding["modifier"]), str(finding["reason"])
        if "59" in modifier and len(codes) == 2:
            if not brief:
                parts.append(_pair_part(codes, same_block))
        elif modifier and finding["required"]:
            on = join_words(codes) if codes else "the claim"
            parts.append(str(t["required"]).format(modifier=modifier, codes=on))
        elif brief:
            continue
        elif not modifier and reason.startswith("No edit on file"):
            parts.append(str(t["no_edit"]).format(codes=" + ".join(codes)))
        elif not modifier and "indicator 0" in reason:
            parts.append(str(t["not_allowed"]).format(codes=" + ".join(codes)))
        elif modifier:
            first_sentence = reason.split(". ")[0].rstrip(".")
            parts.append(str(t["conditional"]).format(modifier=modifier, reason=first_sentence))
    return str(t["lead"]).format(parts="; ".join(parts)) if parts else ""


def short_source(source: str) -> str:
    """A tool's source without the data file path: 'CMS Medicare PFS 2026: ... RVU26C'."""
    return re.sub(r"\s*\((?:knowledge_base|[\w./-]+\.csv)[^)]*\)", "", source).strip()
