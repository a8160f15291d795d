"""Bad input to the deterministic tools, through `run_tool` and the tool commands: a ToolInputError with a
message, or a result — never another exception, never a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import ToolInputError
from assistant.tools.registry import run_tool

from .procs import run_cli

codes = st.one_of(
    st.sampled_from(
        ["97112", "97110", "97140", "97530", "97150", "97161", "G0283", "99213", "00000", "9711"]
    ),
    st.text(max_size=8),
)
numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.text(max_size=6), st.none())
scalars = st.one_of(numbers, codes, st.booleans())
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(codes, inner, max_size=3)
)
TOOL_ARGS = {
    "units": st.fixed_dictionaries(
        {"minutes": st.dictionaries(codes, numbers, max_size=4)},
        optional={"method": st.sampled_from(["cms", "ama", "CMS", "", "x"])},
    ),
    "modifiers": st.fixed_dictionaries(
        {"codes": st.lists(codes, max_size=5)},
        optional={
            "minutes": st.dictionaries(codes, numbers, max_size=3),
            "pta_minutes": st.dictionaries(codes, numbers, max_size=3),
            "assistant_kind": st.sampled_from(["PTA", "OTA", "PT", None, ""]),
            "discipline": st.sampled_from(["PT", "OT", "SLP", "XX"]),
            "ytd_spend": numbers,
            "year": numbers,
            "payer": st.one_of(st.sampled_from(["Medicare", "Aetna", "BCBS", ""]), st.text(max_size=10)),
            "same_block": st.one_of(st.booleans(), st.none()),
            "reduced": st.booleans(),
        },
    ),
    "rate": st.fixed_dictionaries(
        {"code": codes},
        optional={
            "payer": st.one_of(
                st.sampled_from(["medicare", "Aetna", "UHC", "Medicaid", "BCBS"]), st.text(max_size=10)
            ),
            "units": numbers,
            "year": numbers,
            "locality": st.one_of(st.sampled_from(["Chicago, IL", "06102/16", "Cook"]), st.text(max_size=12)),
            "facility": st.booleans(),
            "lines": st.dictionaries(codes, numbers, max_size=3),
            "assistant": st.booleans(),
        },
    ),
}


@pytest.mark.parametrize("tool", sorted(TOOL_ARGS))
def test_fuzzed_tool_arguments_give_a_result_or_a_tool_input_error(tool: str) -> None:
    @settings(max_examples=400, deadline=None)
    @given(args=TOOL_ARGS[tool], junk=st.dictionaries(st.text(max_size=5), json_values, max_size=2))
    def check(args: dict[str, Any], junk: dict[str, Any]) -> None:
        try:
            result = run_tool(tool, {**junk, **args})
        except ToolInputError as err:
            assert str(err).strip()
            return
        json.dumps(result)  # JSON-safe, as ToolCall needs

    check()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["units", "97112=abc"],
        ["units", "97112=-5", "97110=23"],
        ["units", "97112=99999999999999999999999"],
        ["units", "=", "\x1b[2J", "🙂=3"],
        ["units", "97112=24", "--method", "'; DROP TABLE x; --"],
        ["rate", "99999", "--payer", "<script>alert(1)</script>"],
        ["rate", "97112", "--units", "-3"],
        ["rate", "97112", "--year", "1850", "--locality", "../../etc/passwd"],
        ["rate", "97112", "--with", "97110=abc"],
        ["modifiers", "97140", "97530", "--ytd", "lots", "--pta-minutes", "x=y"],
        ["modifiers", "", "--assistant", "robot", "--discipline", "XX"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_tool_commands_with_bad_arguments(args: list[str]) -> None:
    proc = run_cli(args, timeout=120)
    output = (proc.stdout + proc.stderr).decode("utf-8", errors="replace")
    assert proc.returncode in (0, 1, 2), output[-2000:]
    assert "Traceback" not in output and output.strip()
