"""Knowledge-base coverage: valid front matter, and every fact of the sources stated in its document.

Fast (no model, no Chroma). The FACT table maps each fact of the user's source page
(/work/shared/domain/source-guidance-cpt-97112.txt) and the key numbers of FACTS.md to the guidance
document that must state it; each fact is its own test case.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.config import KNOWLEDGE_BASE

GUIDANCE = KNOWLEDGE_BASE / "guidance"
SANITY = Path(__file__).parent / "data" / "retrieval_sanity.jsonl"
SOURCE_PAGE = "User source page: CPT 97112 guidance (CMS 2026 update)"
REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "title": str,
    "topic": str,
    "codes": list,
    "effective_year": int,
    "sources": list,
    "confidence": str,
}
CODE_RE = re.compile(r"^(\d{5}|G\d{4}|\d{2}|[A-Z]{2})$")
FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)

OV, VS, RATES = "cpt-97112-overview", "cpt-97112-vs-97110", "cpt-97112-payer-rates-2025"
DOC, SOAP, MODS = "cpt-97112-documentation", "cpt-97112-sample-soap-note", "cpt-97112-modifiers"
DEN, IL, FAQ = "cpt-97112-denials-and-audits", "illinois-medicare-contractor", "cpt-97112-faq"
UPD, EMR, AMA = "cpt-97112-cy2026-update", "eight-minute-rule", "per-code-ama-method"
TIMED, DESC, X59 = "timed-vs-untimed-codes", "therapy-code-descriptions", "modifier-59-x-modifiers"
GPGO, KX, CQ = "therapy-modifiers-gp-go-gn", "kx-modifier-therapy-threshold", "cq-co-assistant-modifiers"
NCCI, MPPR, PAY = "ncci-therapy-edits", "mppr-therapy", "medicare-payment-formula"
CHOOSE, TELE = "choosing-97530-97110-97112-97150", "telehealth-therapy"


def _doc_paths() -> list[Path]:
    return sorted(GUIDANCE.glob("*.md"))


@cache
def _parse(path: Path) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER_RE.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no YAML front matter between --- lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2)


def _flat_body(doc_id: str) -> str:
    """The body with markdown emphasis removed and all whitespace collapsed to single spaces."""
    path = GUIDANCE / f"{doc_id}.md"
    assert path.exists(), f"no guidance document {doc_id}"
    return re.sub(r"\s+", " ", _parse(path)[1].replace("**", ""))


def fact(name: str, doc_id: str, *patterns: str) -> Any:
    """One fact: every regex (case-insensitive) must match the body of `doc_id`."""
    return pytest.param(doc_id, patterns, id=name)


# fmt: off
SOURCE_PAGE_FACTS = [
    fact("definition", OV, r"97112 is the therapy code for neuromuscular re-education"),
    *(fact(f"definition-{w}", OV, rf"retrains how the nervous system.*{w}")
      for w in ("balance", "coordination", "kinesthetic sense", "posture", "proprioception")),
    fact("typical-uses", OV, r"stroke, traumatic brain injury and other neurological disorders"),
    fact("in-short", OV, r"97112 = re-education of movement, balance and coordination"),
    fact("use-when-motor-control", OV, r"specific exercises or activities that build motor control"),
    fact("use-when-skilled", OV, r"documentation makes clear that the intervention needed .* skill"),
    fact("when-not", OV, r"Do not bill 97112 for general therapy exercise that does not target"),
    fact("example-stroke", OV, r"Stroke rehabilitation .* balance and coordination: bill 97112"),
    fact("example-strengthening", OV, r"General strengthening .* no neuromuscular focus: bill 97110"),
    fact("compare-purpose", VS, r"enhance neuromuscular function \| improve strength and range of motion"),
    fact("compare-doc-focus", VS, r"neuromuscular deficits and their improvement \| the exercise regimen"),
    fact("compare-examples", VS, r"balance training after a stroke \| general strengthening exercises"),
    fact("compare-together", VS, r"billed together \| modifier -59 .* distinct \| .*therapeutic intent"),
    fact("compare-59-flag", VS, r"no NCCI edit pair between 97110 and 97112 is known"),
    fact("rate-medicare", RATES, r"Medicare \| \$32\.40 \| region-specific: check your MAC locality"),
    fact("rate-bcbs", RATES, r"Blue Cross Blue Shield \(BCBS\) \| \$33\.50 \| may bundle 97112"),
    fact("rate-aetna", RATES, r"Aetna \| \$34\.50 \| some plans require prior authorization"),
    fact("rate-uhc", RATES, r"UnitedHealthcare \(UHC\) \| \$36\.10 \| subject to therapy caps and reviews"),
    fact("rate-medicaid", RATES, r"Medicaid \(state program\) \| \$27–30 \| varies by state"),
    fact("rate-non-facility", RATES, r"representative 2025 rate \(non-facility\)"),
    fact("rate-clearinghouse", RATES, r"Rates vary by payer and region: confirm .* clearinghouse"),
    fact("rate-cms-disagrees", RATES, r"\$32\.40", r"national non-facility amount of \$32\.02", r"disagree"),
    fact("doc-purpose", DOC, r"medical necessity.*skilled care.*functional intent"),
    fact("doc-cms-mips-2025", DOC, r"CMS and MIPS 2025"),
    fact("doc-functional-goal", DOC, r"Functional goal: .*improve balance to prevent falls"),
    fact("doc-activity", DOC, r"Activity description: the exact tasks .* environment .* level of assistance"),
    fact("doc-rationale", DOC, r"Clinical rationale: why this activity addresses .* neuromuscular deficit"),
    fact("doc-time", DOC, r"Time documentation: the minutes of each activity and the total minutes"),
    fact("doc-response", DOC, r"Patient response: tolerance, the cues the patient needed, .* progress"),
    fact("soap-s", SOAP, r"S \(subjective\): the patient says .* more confident walking without help"),
    fact("soap-o", SOAP, r"O \(objective\): .* 20 minutes of balance exercises with moderate assistance"),
    fact("soap-a", SOAP, r"A \(assessment\): stability has improved, but coordination still needs work"),
    fact("soap-p", SOAP, r"P \(plan\): continue neuromuscular re-education .* dynamic balance tasks"),
    fact("soap-deidentified", SOAP, r"de-identified"),
    fact("modifier-59", MODS, r"59 \(distinct procedural service\): used when 97112 is billed with other"),
    fact("modifier-52", MODS, r"52 \(reduced services\): used when the full therapy service was not"),
    fact("modifier-gp", MODS, r"GP: .* delivered under an outpatient physical therapy plan of care"),
    fact("modifier-claim-tip", MODS, r"Claim tip.*documentation supports every modifier.*denials"),
    fact("denial-necessity", DEN, r"denial for lack of medical necessity",
         r"condition in detail and explain why neuromuscular re-education is necessary"),
    fact("denial-modifier", DEN, r"missing modifier", r"modifiers, such as -59, when billing multiple"),
    fact("denial-documentation", DEN, r"insufficient documentation denial",
         r"document every therapy session thoroughly, including the patient's progress and response"),
    fact("audit-trigger", DEN, r"97112 again and again without clear documentation of distinct services",
         r"can trigger audits"),
    fact("illinois-ngs", IL, r"Illinois is National Government Services \(NGS\), contractor number 06102"),
    fact("illinois-j6", IL, r"Jurisdiction 6 \(J6\), together with Minnesota and Wisconsin"),
    fact("illinois-noridian-flag", IL, r"source page is wrong",
         r"Noridian is the MAC for Jurisdictions E and F"),
    *(fact(f"illinois-locality-{n}", IL, rf"{n} \| {name}")
      for n, name in (("16", "Chicago"), ("15", "Suburban Chicago"), ("12", "East St"), ("99", "Rest of"))),
    fact("illinois-regional-policy", IL, r"regional policy can affect reimbursement and documentation"),
    fact("faq-when", FAQ, r"skilled re-education of neuromuscular control, balance and coordination"),
    fact("faq-skilled", FAQ, r"decision-making.*progressed.*hands-on techniques .* professional skill"),
    fact("faq-best-practice", FAQ, r"objective baseline measures, describe each intervention in detail"),
    fact("faq-audit", FAQ, r"Payers may audit 97112.*medical necessity.*evidence .* was skilled"),
    fact("faq-group", FAQ, r"depends on the payer's policy.*individual skilled \(one-on-one\) time"),
    fact("faq-charting", FAQ, r"targeted templates that capture the neuro deficits, the techniques"),
    fact("update-same-coding", UPD, r"keeps the same coding expectations in calendar year 2026"),
    fact("update-emphasis", UPD, r"measurable goals and notes that show the skilled intervention"),
]

UNIT_ROWS = [("8–22", 1), ("23–37", 2), ("38–52", 3), ("53–67", 4), ("68–82", 5), ("83–97", 6),
             ("98–112", 7), ("113–127", 8)]
CODE_NAMES = [("97110", "therapeutic exercise"), ("97112", "neuromuscular re-education"),
              ("97116", "gait training"), ("97140", "manual therapy"), ("97530", "therapeutic activities"),
              ("97535", "self-care / home management"), ("97035", "ultrasound"),
              ("97032", "attended electrical stimulation"), ("97150", "group therapy")]
X_MODIFIERS = [("XE", "separate encounter"), ("XS", "separate structure"), ("XP", "separate practitioner"),
               ("XU", "unusual non-overlapping")]
NATIONAL = [("97112", "32.02", "32.73"), ("97110", "28.79", "29.06"), ("97140", "27.17", "27.72"),
            ("97530", "34.61", "35.07")]

FACTS_MD_FACTS = [
    *(fact(f"units-{mins}", EMR, rf"\| {mins} \| {units} \|") for mins, units in UNIT_ROWS),
    fact("units-under-8", EMR, r"under 8 \| 0 \(no timed unit\)"),
    fact("units-allocation", EMR, r"Never put all the units on one code when another code ran 15 minutes"),
    fact("cms-example-1", EMR, r"47 total timed minutes.*3 units.*97112 × 2 and 97110 × 1"),
    fact("cms-example-2", EMR, r"40 total timed minutes = 3 units.*either way round.*Never bill 3 units"),
    fact("cms-example-3", EMR, r"97110 33 minutes.*7 minutes beat 97110's 3.*97110 × 2 and 97140 × 1"),
    fact("cms-example-4", EMR, r"49 total timed.*97110 × 1, 97140 × 1, 97116 × 1; 97035 gets no unit"),
    fact("cms-example-5", EMR, r"21 total timed minutes = 1 unit.*1 unit of any one of them"),
    fact("per-code-example", AMA, r"each earns 1 unit: 3 units", r"30 total timed minutes .* 2 units"),
    fact("per-code-label", AMA, r"per-code method; confirm with the payer"),
    fact("timed-codes", TIMED,
         r"97110, 97112, 97116, 97140, 97530, 97535.*97032, 97033, 97034, 97035 and 97036"),
    fact("untimed-97150", TIMED, r"group therapy 97150"),
    fact("status-97010", TIMED, r"97010 has status B: bundled"),
    fact("status-97014", TIMED, r"97014 has status I: not valid for Medicare. Bill G0283"),
    fact("status-97026", TIMED, r"97026 has status R: restricted"),
    *(fact(f"describe-{code}", DESC, rf"{code} {name}") for code, name in CODE_NAMES),
    *(fact(f"x-modifier-{m}", X59, rf"{m} \| {meaning}") for m, meaning in X_MODIFIERS),
    fact("x-modifiers-since-2015", X59, r"Since January 1, 2015"),
    fact("59-distinct-blocks", X59, r"only when the two services were performed in distinctly different 15"),
    fact("59-no-97110-97112-pair", X59, r"no NCCI edit pair between 97110 and 97112 is known"),
    *(fact(f"discipline-{m}", GPGO, rf"{m} \| outpatient {plan}")
      for m, plan in (("GP", "physical therapy"), ("GO", "occupational therapy"), ("GN", "speech-language"))),
    *(fact(f"kx-{year}", KX, rf"{year} \| {amount} \| {amount}")
      for year, amount in (("2024", r"\$2,330"), ("2025", r"\$2,410"), ("2026", r"\$2,480"))),
    fact("kx-denied-without", KX, r"without KX are denied"),
    fact("targeted-review-3000", KX, r"\$3,000 for PT and SLP combined, and \$3,000 for OT.*until 2028"),
    fact("cq-co-85", CQ, r"Since January 1, 2022 Medicare pays .* 85% of the fee schedule amount"),
    fact("cq-co-de-minimis", CQ, r"10% or less of a service \(de minimis\)"),
    fact("ncci-97140-97530", NCCI, r"97140 \(column 1\) / 97530 \(column 2\), modifier indicator 1"),
    fact("ncci-indicators", NCCI, r"\| 0 \| no modifier allowed", r"\| 9 \| not applicable"),
    fact("ncci-reinstated-2020", NCCI, r"reinstated on October 1, 2020.*97150 with 97110, 97112, 97116"),
    fact("ncci-no-97110-97112", NCCI, r"No 97110/97112 NCCI pair is known"),
    fact("ncci-mue-unverified", NCCI, r"MUE .* values for therapy codes are not verified"),
    fact("mppr", MPPR, r"Since April 1, 2013", r"practice-expense part is paid at 50%"),
    fact("payment-formula", PAY, r"\(work RVU × work GPCI \+ PE RVU × PE GPCI \+ MP RVU × MP GPCI\) × conv"),
    fact("cf-2025", PAY, r"2025: \$32\.3465"),
    fact("cf-2026", PAY, r"2026: \$33\.4009 .*\$33\.5675 for qualifying APM"),
    fact("rvu-97112", PAY, r"97112 \| 0\.50 / 0\.48 / 0\.01 \| 0\.50 / 0\.47 / 0\.01"),
    *(fact(f"national-{code}", PAY, rf"{code} \| \${y25} \| \${y26}") for code, y25, y26 in NATIONAL),
    fact("illinois-chicago-97112", IL, r"Chicago \(16\) \| \$32\.82 \| \$33\.36"),
    fact("illinois-rest-97112", IL, r"Rest of Illinois \(99\) \| \$30\.78 \| \$31\.56"),
    fact("97530-several-parameters", CHOOSE, r"lifting, carrying, reaching and bending that use several"),
    fact("same-movement-purpose", CHOOSE, r"same movement can be 97110 or 97530 depending on its purpose"),
    fact("97150-only", CHOOSE, r"two or more patients during the same period, only 97150 is billed"),
    fact("telehealth-2027", TELE, r"through December 31, 2027 by the Consolidated Appropriations Act"),
]
# fmt: on


@pytest.mark.parametrize("doc_id, patterns", SOURCE_PAGE_FACTS + FACTS_MD_FACTS)
def test_fact_is_stated_in_its_document(doc_id: str, patterns: tuple[str, ...]) -> None:
    body = _flat_body(doc_id)
    for pattern in patterns:
        assert re.search(pattern, body, re.I), f"{doc_id} does not state: {pattern}"


def test_every_document_states_at_least_one_mapped_fact() -> None:
    mapped = {p.values[0] for p in SOURCE_PAGE_FACTS + FACTS_MD_FACTS}
    assert mapped == {p.stem for p in _doc_paths()}


def test_knowledge_base_size() -> None:
    assert 15 <= len(_doc_paths()) <= 25


@pytest.mark.parametrize("path", _doc_paths(), ids=lambda p: p.stem)
def test_front_matter(path: Path) -> None:
    meta = _parse(path)[0]
    for key, kind in REQUIRED.items():
        assert isinstance(meta.get(key), kind), f"{path.name}: {key} missing or not {kind}"
    assert meta["id"] == path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["id"])
    assert meta["confidence"] in {"High", "Med", "Low"}
    assert 2024 <= meta["effective_year"] <= 2026
    assert meta["sources"] and all(isinstance(s, str) and s.strip() for s in meta["sources"])
    assert meta["codes"] and all(isinstance(c, str) and CODE_RE.match(c) for c in meta["codes"])
    flat = _flat_body(path.stem)
    missing = [c for c in meta["codes"] if not re.search(rf"\b{c}\b", flat)]
    assert not missing, f"{path.name}: codes in front matter never mentioned in the body: {missing}"


@pytest.mark.parametrize("path", _doc_paths(), ids=lambda p: p.stem)
def test_sections_are_headed_and_non_empty(path: Path) -> None:
    _, body = _parse(path)
    assert re.search(r"^# \S", body, re.M), f"{path.name}: no title heading"
    sections = re.split(r"^## .*$", body, flags=re.M)[1:]
    assert sections, f"{path.name}: no ## sections"
    assert all(len(s.split()) >= 30 for s in sections), f"{path.name}: a section is nearly empty"


def test_source_page_docs_cite_the_user_source_page() -> None:
    for doc_id in (OV, VS, RATES, DOC, SOAP, MODS, DEN, IL, FAQ, UPD):
        meta, _ = _parse(GUIDANCE / f"{doc_id}.md")
        assert any(s.startswith(SOURCE_PAGE) for s in meta["sources"]), doc_id


def test_noridian_is_only_mentioned_as_the_flagged_error() -> None:
    for path in _doc_paths():
        body = _flat_body(path.stem)
        if "Noridian" in body:
            assert "National Government Services" in body and re.search(r"\bwrong\b", body), path.name


def test_retrieval_sanity_questions_are_well_formed() -> None:
    rows = [json.loads(line) for line in SANITY.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 24
    ids = {p.stem for p in _doc_paths()}
    assert all(set(r) == {"question", "doc_id"} and r["doc_id"] in ids for r in rows)
    assert len({r["question"].lower() for r in rows}) == len(rows)
    assert len({r["doc_id"] for r in rows}) >= 15
    headings = {h.lower() for p in _doc_paths() for h in re.findall(r"^#+ (.*)$", _parse(p)[1], re.M)}
    assert not [r["question"] for r in rows if r["question"].lower() in headings]
