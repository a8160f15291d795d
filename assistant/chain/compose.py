"""The grounded composer: a direct first sentence, the working, supporting points, numbered citations.

Every sentence is either a tool result (with its working) or a sentence of a cited passage, so the
answer can be audited. With no tool and no relevant passage it abstains and lists what it covers.

Example:
    >>> composed = compose(question, plan, outcome, retrieval, topics=lambda: ["units"])  # doctest: +SKIP
    >>> composed.text.splitlines()[0]                                                   # doctest: +SKIP
    'Bill 3 units in total: 2 units of 97112 and 1 unit of 97110 (CMS 8-minute rule; 47 total timed minutes).'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answer import Citation, ToolCall
from assistant.chain.evidence import (
    Evidence,
    Scorer,
    follow_on,
    overlap,
    pick_evidence,
    sentences,
    terms,
)
from assistant.chain.execute import ToolOutcome
from assistant.chain.leads import modifiers_lead, prompts, rate_lead, short_source, units_lead
from assistant.chain.llm import unsupported_money
from assistant.chain.route import Plan
from assistant.retrieval.types import Passage, RetrievalResult

_CLEARLY_ON_TOPIC = 0.6
_MAX_TOOL_CITATIONS = 3
_CONTEXT_SENTENCES = 2
_TOOL_CONFIDENCE = {"units": 0.95, "modifiers": 0.85}
_RATE_CONFIDENCE = {"High": 0.95, "Med": 0.75, "Low": 0.55}


@dataclass
class Composed:
    """The answer text and everything the Answer contract carries besides latency."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    abstained: bool = False
    confidence: float = 0.0
    data_vintage: str = ""


def abstain(topics: list[str], reason: str = "") -> Composed:
    """'The guidance I have does not cover that.' plus the topics it does cover."""
    p = prompts()
    text = " ".join(s for s in (reason, p["abstain"]) if s)
    if topics:
        text += " " + str(p["abstain_topics"]).format(topics=", ".join(topics))
    return Composed(text=text, abstained=True)


def citation(passage: Passage, snippet: str) -> Citation:
    """The Answer's citation of one retrieved passage; ``snippet`` is exact text of that passage."""
    return Citation(
        doc_id=passage.doc_id,
        title=passage.title,
        section=passage.section,
        source=passage.source,
        snippet=snippet,
        score=round(float(passage.score), 4),
    )


def _cite(evidence: list[Evidence]) -> tuple[list[Citation], list[str]]:
    """Citations in order of first use, and each evidence sentence with its [n] marker."""
    citations: list[Citation] = []
    index: dict[str, int] = {}
    lines = []
    for ev in evidence:
        key = ev.passage.chunk_id
        if key not in index:
            citations.append(citation(ev.passage, ev.snippet))
            index[key] = len(citations)
        lines.append(f"{ev.display} [{index[key]}]")
    return citations, lines


def _tool_sections(outcome: ToolOutcome, plan: Plan) -> tuple[list[str], list[str], list[str]]:
    """(lead sentences, working lines, modifier lines) from the tools that ran."""
    leads: list[str] = []
    working: list[str] = []
    modifier_lines: list[str] = []
    for call in outcome.calls:
        r = call.result
        if call.name == "units":
            leads.append(units_lead(r))
            working += list(r["steps"]) + list(r.get("warnings") or [])
        elif call.name == "rate":
            leads.append(rate_lead(r))
            working += list(r.get("steps") or []) + list(r.get("notes") or [])
        elif call.name == "modifiers":
            if r.get("kx_threshold"):
                leads.append(str(prompts()["modifiers"]["threshold"]).format(**r["kx_threshold"]))
            lead = modifiers_lead(r, plan.slots.same_block, brief=not plan.modifiers_asked)
            if lead:
                leads.append(lead)
            modifier_lines += [
                f"{f['modifier'] or 'No modifier'} ({', '.join(f['codes']) or 'claim'}): {f['reason']}"
                for f in r["findings"]
            ]
            modifier_lines += list(r.get("warnings") or [])
    return leads, working, modifier_lines


def _confidence(outcome: ToolOutcome, retrieval: RetrievalResult, used_evidence: bool) -> float:
    scores = [_TOOL_CONFIDENCE.get(c.name, 0.0) for c in outcome.calls if c.name != "rate"]
    scores += [
        _RATE_CONFIDENCE.get(str(c.result.get("confidence")), 0.6) for c in outcome.calls if c.name == "rate"
    ]
    if used_evidence:
        scores.append(min(0.9, max(0.2, retrieval.best_similarity * 1.3)))
    value = max(scores, default=0.0) - (0.15 if outcome.errors else 0.0)
    return round(min(1.0, max(0.0, value)), 3)


def _vintage(outcome: ToolOutcome, citations: list[Citation]) -> str:
    parts = [short_source(str(c.result.get("source", ""))) for c in outcome.calls if c.name != "modifiers"]
    parts += [
        f"{'thresholds' if 'threshold' in str(c.result['data_source']) else 'NCCI pairs'}: "
        f"{short_source(str(c.result['data_source']))}"
        for c in outcome.calls
        if c.name == "modifiers"
    ]
    if citations:
        parts.append(f"guidance: {len({c.doc_id for c in citations})} cited document(s) in the index")
    return "; ".join(dict.fromkeys(p for p in parts if p))


def _with_context(evidence: list[Evidence]) -> list[Evidence]:
    """The best sentence, up to two sentences after it (when not already picked), then the rest."""
    lead = [evidence[0]]
    for _ in range(_CONTEXT_SENTENCES):
        nxt = follow_on(lead[-1])
        if nxt is None or any(nxt.snippet in e.snippet for e in evidence):
            break
        lead.append(nxt)
    return [*lead, *evidence[1:]]


def _tool_evidence(
    question: str, passages: list[Passage], codes: list[str], scorer: Scorer | None
) -> list[Evidence]:
    """One sentence from the guidance behind each tool that ran (cited first: it is the rule applied)."""
    found = []
    for p in passages:
        picked = pick_evidence(question, [p], codes, 1, scorer)
        first = next(iter(sentences(p.text)), None)
        if picked:
            found.append(picked[0])
        elif first is not None:
            found.append(Evidence(p, 0, first, 0.0))
    return found


def _rate_payer(outcome: ToolOutcome) -> str:
    """The payer the rate tool matched ("United" → "UnitedHealthcare"), or ""."""
    return next((str(c.result.get("payer", "")) for c in outcome.calls if c.name == "rate"), "")


def _with_payer(question: str, payer: str) -> str:
    """The question plus the rate tool's payer, so the guidance quoted is that payer's line."""
    return f"{question} {payer}" if payer and payer.lower() not in question.lower() else question


def _money_off_tool(text: str, results: list[str]) -> bool:
    """A span whose dollar amounts are all absent from the rate tool's results (a stale or planted
    figure): a rate answer never quotes it. A span that states the tool's amount too is kept."""
    amounts = unsupported_money(text, [])
    return bool(amounts) and set(unsupported_money(text, results)) == set(amounts)


def _without_hints(question: str, plan: Plan) -> str:
    """The question as asked: without the tool hints that ``Plan.retrieval_query`` appends for retrieval."""
    tail = " ".join(plan.hints)
    return question[: -len(tail)].rstrip() if tail and question.endswith(tail) else question


def _bullets(heading: str, lines: list[str]) -> list[str]:
    return [heading, *[f"- {line}" for line in lines], ""] if lines else []


def compose(
    question: str,
    plan: Plan,
    outcome: ToolOutcome,
    retrieval: RetrievalResult,
    topics: Callable[[], list[str]],
    scorer: Scorer | None = None,
    tool_passages: Sequence[Passage] = (),
) -> Composed:
    """The grounded answer for one routed question (see the module docstring)."""
    p = prompts()
    slots = plan.slots
    codes = plan.retrieval_codes
    if slots.out_of_scope and not outcome.calls:
        reason = str(p["out_of_scope"]).format(label=slots.out_of_scope)
        return abstain(topics(), reason[:1].upper() + reason[1:])
    limit = 2 if outcome.calls else 3
    asked = _without_hints(question, plan)
    found = retrieval.found
    payer = _rate_payer(outcome)  # a rate's guidance is the line of the payer priced
    sought = _with_payer(question, payer)
    evidence = pick_evidence(sought, retrieval.passages, codes, limit, scorer, asked) if found else []
    needed = 1 if outcome.calls else min(2, len(terms(question) | {c.lower() for c in codes}))
    relevant = bool(evidence) and (
        overlap(question, evidence[0], codes) >= max(1, needed)
        or bool(terms(evidence[0].display) & {c.lower() for c in codes})
        or evidence[0].similarity >= _CLEARLY_ON_TOPIC
        or evidence[0].title_similarity >= _CLEARLY_ON_TOPIC
        or (overlap(question, evidence[0], codes) >= 1 and retrieval.best_similarity >= _CLEARLY_ON_TOPIC)
    )
    if relevant and not outcome.calls:
        evidence = _with_context(evidence)
    if outcome.calls:
        behind = _tool_evidence(f"{payer} rate" if payer else question, list(tool_passages), codes, scorer)
        relevant = relevant or bool(behind)
        evidence = (
            behind + [e for e in evidence if e.passage.doc_id not in {b.passage.doc_id for b in behind}]
        )[:_MAX_TOOL_CITATIONS]
        if any(c.name == "rate" for c in outcome.calls):
            results = [json.dumps([c.result for c in outcome.calls], default=str)]
            evidence = [e for e in evidence if not _money_off_tool(e.display, results)]
    if not outcome.calls and outcome.errors:  # e.g. a payer with no rate on file: say so, never guess
        refused = " ".join(outcome.error_messages)
        return Composed(text=refused, tool_calls=outcome.errors, abstained=True, confidence=0.0)
    if not outcome.calls and not relevant:
        return abstain(topics())
    citations, cited_lines = _cite(evidence if relevant else [])
    leads, working, modifier_lines = _tool_sections(outcome, plan)
    notes = list(plan.notes) + [str(p["tool_refused"]).format(message=m) for m in outcome.error_messages]
    if slots.illinois:
        notes.append(str(p["illinois"]))
    if leads:
        first, guidance = " ".join(leads), cited_lines
    elif len(cited_lines) > 1 and evidence[1].passage == evidence[0].passage:
        same = next((i for i, e in enumerate(evidence) if e.passage != evidence[0].passage), len(evidence))
        texts = [line.rsplit(" [", 1)[0] for line in cited_lines[: same - 1]]
        first, guidance = " ".join([*texts, cited_lines[same - 1]]), cited_lines[same:]
    else:
        first, guidance = cited_lines[0], cited_lines[1:]
    heads = p["headings"]
    body = [first, ""]
    body += _bullets(heads["working"], working)
    body += _bullets(heads["modifiers"], modifier_lines)
    body += _bullets(heads["notes"], notes)
    body += _bullets(heads["guidance"], guidance)
    vintage = _vintage(outcome, citations)
    if vintage:
        body += [str(heads["data"]).format(vintage=vintage), ""]
    if citations:
        body.append(heads["sources"])
        body += [f"[{i}] {c.title} — {c.section}" for i, c in enumerate(citations, 1)]
    return Composed(
        text="\n".join(body).strip(),
        citations=citations,
        tool_calls=[*outcome.calls, *outcome.errors],
        abstained=False,
        confidence=_confidence(outcome, retrieval, bool(citations)),
        data_vintage=vintage,
    )
