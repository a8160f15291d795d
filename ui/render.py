"""Markdown for what sits under an answer: its citations and the tools' working.

Pure functions over the Answer JSON (``Answer.model_dump(mode="json")``) and tool results, shared by the
chat and the tools tab.

Example:
    >>> print(units_table({"minutes": {"97112": 24}}, {"units_by_code": {"97112": 2}, "method": "cms"}))
    | code | minutes | units | why |
    |---|---|---|---|
    | 97112 | 24 | 2 | 1 full 15-min block(s), +1 for its 9 leftover min |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_SNIPPET_CHARS = 400


def _cell(value: object) -> str:
    """Text safe inside a markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def citations_markdown(citations: Sequence[dict[str, Any]]) -> str:
    """Numbered citations, matching the answer's [1] [2] markers: title, section and snippet."""
    parts = []
    for number, cite in enumerate(citations, start=1):
        snippet = str(cite.get("snippet", "")).strip()
        if len(snippet) > _SNIPPET_CHARS:
            snippet = snippet[:_SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        quoted = "\n".join(f"> {line}" for line in snippet.splitlines() if line.strip())
        section = f" — {cite['section']}" if cite.get("section") else ""
        parts.append(f"**[{number}] {cite.get('title', cite.get('doc_id', ''))}**{section}\n\n{quoted}")
    return "\n\n".join(parts)


def _why(method: str, minutes: int | None, units: int) -> str:
    """Plain words for how one code's units follow from its minutes (the tool's result, explained)."""
    if not minutes:
        return "untimed or no minutes: billed per session" if units else "no minutes: no unit"
    if method != "cms":
        return f"per-code method: {minutes} min on its own → {units}"
    blocks, leftover = divmod(minutes, 15)
    parts = [f"{blocks} full 15-min block(s)"]
    if units > blocks:
        parts.append(f"+{units - blocks} for its {leftover} leftover min")
    elif units < blocks:
        parts.append("capped by the total-minutes table")
    elif leftover:
        parts.append(f"{leftover} leftover min did not earn a unit")
    return ", ".join(parts)


def units_table(args: dict[str, Any], result: dict[str, Any]) -> str:
    """A table per code: minutes, units, and why (the full working is in ``steps``)."""
    minutes = {str(k): int(v) for k, v in args.get("minutes", {}).items()}
    method = str(result.get("method", "cms"))
    rows = ["| code | minutes | units | why |", "|---|---|---|---|"]
    for code, units in result.get("units_by_code", {}).items():
        why = _why(method, minutes.get(code), int(units))
        rows.append(f"| {code} | {minutes.get(code, '')} | {units} | {_cell(why)} |")
    return "\n".join(rows)


def modifiers_table(result: dict[str, Any]) -> str:
    """One row per finding: codes, modifier, required or not, why."""
    rows = ["| codes | modifier | required | why |", "|---|---|---|---|"]
    for f in result.get("findings", []):
        codes = ", ".join(str(c) for c in f.get("codes", []))
        required = "yes" if f.get("required") else "no"
        rows.append(
            f"| {codes} | {_cell(f.get('modifier', ''))} | {required} | {_cell(f.get('reason', ''))} |"
        )
    return "\n".join(rows)


def _bullets(lines: Sequence[object]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def tool_markdown(name: str, args: dict[str, Any], result: dict[str, Any]) -> str:
    """The full working of one tool run: table, steps, warnings/notes and the data source."""
    parts: list[str] = []
    if name == "units":
        total = result.get("total_units", "")
        parts.append(
            f"**{str(result.get('method', '')).upper()} method** — {result.get('total_timed_minutes', '')} "
            f"timed minutes → **{total} units**"
        )
        parts.append(units_table(args, result))
    elif name == "modifiers":
        parts.append(modifiers_table(result))
    elif name == "rate":
        rate, total = result.get("rate", ""), result.get("total", "")
        parts.append(
            f"**{result.get('payer', '')} {result.get('year', '')}** — {result.get('code', '')}: "
            f"${rate} × {result.get('units', '')} unit(s) = **${total}**"
        )
    steps = result.get("steps", [])
    if steps and name != "units":
        parts.append(_bullets(steps))
    elif steps:
        parts.append("<details><summary>All steps</summary>\n\n" + _bullets(steps) + "\n\n</details>")
    extra = list(result.get("warnings", [])) + list(result.get("notes", []))
    if extra:
        parts.append(_bullets([f"⚠ {w}" for w in extra]))
    source = result.get("source") or result.get("data_source")
    if source:
        parts.append(f"*Source: {source}*")
    return "\n\n".join(parts)


def tool_title(name: str) -> str:
    """Heading of a tool's working block in the chat."""
    return {"units": "Working: units (8-minute rule)", "modifiers": "Working: modifiers"}.get(
        name, "Working: rate"
    )
