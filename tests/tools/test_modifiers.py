"""Modifier checker: NCCI pairs (and only pairs on file), GP/GO/GN, CQ/CO, KX, review, 52."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.errors import ToolInputError
from assistant.tools.modifiers import Finding, ModifierInput, check_modifiers


def findings(**kwargs: object) -> list[Finding]:
    return check_modifiers(ModifierInput(**kwargs)).findings  # type: ignore[arg-type]


def by_modifier(found: list[Finding], modifier: str) -> list[Finding]:
    return [f for f in found if f.modifier == modifier]


def test_97140_97530_pair_names_column_2_and_time_block_rule() -> None:
    (pair,) = by_modifier(findings(codes=["97530", "97140"]), "59/X")
    assert pair.codes == ["97140", "97530"]
    assert "97140 is column 1, 97530 is column 2" in pair.reason
    assert "modifier indicator 1" in pair.reason
    assert "distinctly different 15-minute time blocks" in pair.reason
    assert "not allowed when they were done in the same block" in pair.reason
    assert "XU" in pair.reason and pair.required
    assert "ncci_ptp_therapy.csv" in pair.source and "Med-High" in pair.source


def test_same_block_forbids_59() -> None:
    (pair,) = by_modifier(findings(codes=["97140", "97530"], same_block=True), "59/X")
    assert not pair.required
    assert "59/X is not allowed on 97530; only 97140 is paid" in pair.reason
    (sep,) = by_modifier(findings(codes=["97140", "97530"], same_block=False), "59/X")
    assert sep.required and "XU fits" in sep.reason


def test_pair_not_on_file_is_never_claimed() -> None:
    found = findings(codes=["97110", "97112"])
    (pair,) = [f for f in found if f.codes == ["97110", "97112"] and f.modifier != "GP"]
    assert pair.modifier == "" and not pair.required
    assert pair.reason.startswith(
        "No edit on file for this pair (data: knowledge_base/data/ncci_ptp_therapy.csv"
    )


def test_pair_with_unknown_column_order_and_untimed_code() -> None:
    (order,) = by_modifier(findings(codes=["97530", "97116"]), "59/X")
    assert "which one is column 2 is not on file" in order.reason and not order.required
    (reeval,) = by_modifier(findings(codes=["97164", "97110"]), "59/X")
    assert "97164 is column 2" in reeval.reason
    assert "modifier indicator not on file" in reeval.reason
    assert "truly distinct" in reeval.reason and not reeval.required


def test_discipline_modifiers_and_non_medicare_payer() -> None:
    assert by_modifier(findings(codes=["97110"]), "GP")[0].required
    assert by_modifier(findings(codes=["97165"], discipline="OT"), "GO")[0].required
    assert by_modifier(findings(codes=["92507"], discipline="SLP"), "GN")[0].required
    r = check_modifiers(ModifierInput(codes=["97110", "97112"], payer="Blue Cross"))
    assert r.payer == "Blue Cross Blue Shield"
    gp = by_modifier(r.findings, "GP")[0]
    assert not gp.required and "not on file" in gp.reason
    assert any("NCCI edits are CMS's" in w for w in r.warnings)


def test_cq_above_and_at_de_minimis() -> None:
    (cq,) = by_modifier(findings(codes=["97110"], minutes={"97110": 30}, pta_minutes={"97110": 10}), "CQ")
    assert cq.required and "33.3%" in cq.reason and "85%" in cq.reason and "CY2022" in cq.reason
    (ok,) = by_modifier(findings(codes=["97110"], minutes={"97110": 30}, pta_minutes={"97110": 3}), "CQ")
    assert not ok.required and "de minimis" in ok.reason
    (whole,) = by_modifier(findings(codes=["97110"], minutes={"97110": 20}, pta_minutes={"97110": 20}), "CQ")
    assert whole.required and "in whole" in whole.reason


def test_co_for_ota_and_unknown_minutes() -> None:
    (co,) = by_modifier(findings(codes=["97530"], assistant_kind="OTA", discipline="OT"), "CO")
    assert co.required and "minutes not given" in co.reason
    (co2,) = by_modifier(findings(codes=["97530"], discipline="OT", pta_minutes={"97530": 10}), "CO")
    assert not co2.required and "cannot be made" in co2.reason
    with pytest.raises(ToolInputError, match="PTAs and OTAs only"):
        findings(codes=["92507"], discipline="SLP", pta_minutes={"92507": 5})
    with pytest.raises(ToolInputError, match="between 0 and"):
        findings(codes=["97110"], minutes={"97110": 10}, pta_minutes={"97110": 20})


def test_kx_threshold_by_year_and_review() -> None:
    (kx,) = by_modifier(findings(codes=["97110"], ytd_spend=Decimal(2600), year=2026), "KX")
    assert kx.required and "$2,480" in kx.reason
    (under,) = by_modifier(findings(codes=["97110"], ytd_spend=Decimal(2400), year=2025), "KX")
    assert not under.required and "$2,410" in under.reason
    (at,) = by_modifier(findings(codes=["97110"], ytd_spend=Decimal(2330), year=2024), "KX")
    assert not at.required
    found = findings(codes=["97110"], ytd_spend=Decimal(3200), year=2025)
    assert any("$3,000 targeted medical review" in f.reason for f in found)
    ot = by_modifier(findings(codes=["97530"], discipline="OT", ytd_spend=Decimal(2500)), "KX")
    assert ot[0].required and "(OT)" in ot[0].reason


def test_kx_errors_and_non_medicare() -> None:
    with pytest.raises(ToolInputError, match="No KX threshold on file for 2019"):
        findings(codes=["97110"], ytd_spend=Decimal(100), year=2019)
    with pytest.raises(ToolInputError, match="negative"):
        findings(codes=["97110"], ytd_spend=Decimal(-1))
    (kx,) = by_modifier(findings(codes=["97110"], ytd_spend=Decimal(5000), payer="aetna"), "KX")
    assert not kx.required and "Medicare rules" in kx.reason


def test_reduced_service_52_and_status_warnings() -> None:
    r = check_modifiers(ModifierInput(codes=["97112", "97014"], reduced=True))
    (m52,) = by_modifier(r.findings, "52")
    assert m52.required and "Low confidence" in m52.reason
    assert any("G0283" in w for w in r.warnings)


def test_codes_are_validated() -> None:
    with pytest.raises(ToolInputError, match="99213 is not a therapy code"):
        findings(codes=["99213"])
    with pytest.raises(ToolInputError, match="Give the codes"):
        findings(codes=[])


def test_year_defaults_to_latest_threshold_year() -> None:
    assert check_modifiers(ModifierInput(codes=["97110"])).year == 2026


def test_deleted_imported_edit_is_not_in_force(data_dir: Path) -> None:
    imported = data_dir / "imported"
    imported.mkdir()
    (imported / "ncci_ptp_imported.csv").write_text(
        "column_1,column_2,column_order,modifier_indicator,effective_date,deletion_date,source,confidence,note\n"
        "97110,97112,stated,0,2020-01-01,2021-12-31,CMS file test,High,\n"
        "97116,97140,stated,9,2020-01-01,,CMS file test,High,\n"
    )
    old = check_modifiers(ModifierInput(codes=["97110", "97112"], year=2021), data_dir=data_dir)
    assert "only 97110 is paid" in old.findings[0].reason and old.findings[0].modifier == ""
    new = check_modifiers(ModifierInput(codes=["97110", "97112"], year=2024), data_dir=data_dir)
    assert new.findings[0].reason.startswith("No edit on file")
    assert "imported CMS file" in new.data_source
    nine = check_modifiers(ModifierInput(codes=["97116", "97140"], year=2024), data_dir=data_dir)
    assert "indicator 9" in nine.findings[0].reason
