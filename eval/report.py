"""Turn scored runs into report.json, report.md, the accuracy-per-category PNG and a terminal scorecard.

Example:
    >>> report = build_report(cases, runs, dataset="test.jsonl", mode="in-process")  # doctest: +SKIP
    >>> write_reports(report, Path("out/eval"))                                       # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.baselines import BASELINE_LABELS
from eval.dataset import EvalCase
from eval.metrics import violations
from eval.runner import SystemRun

OURS = "ours"
LABELS: dict[str, str] = {OURS: "assistant (hybrid + tools + composer)", **BASELINE_LABELS}
# (key in the metrics dict, label, is a percentage-like rate)
SCORECARD: tuple[tuple[str, str, bool], ...] = (
    ("accuracy", "answer accuracy", True),
    ("tool_exact_match", "tool exact-match", True),
    ("hit@1", "hit@1", True),
    ("hit@3", "hit@3", True),
    ("hit@5", "hit@5", True),
    ("mrr", "MRR", True),
    ("citation_precision", "citation precision", True),
    ("abstention_precision", "abstention precision", True),
    ("abstention_recall", "abstention recall", True),
    ("latency_p50_ms", "latency p50 (ms)", False),
    ("latency_p95_ms", "latency p95 (ms)", False),
)
GAP_METRICS: tuple[str, ...] = ("accuracy", "hit@3", "mrr")
CHART_FILE = "accuracy_by_category.png"
COLORS: tuple[str, ...] = ("#1f6f43", "#8c8c8c", "#4a78b5", "#d08c2c", "#9b4f96")


def build_report(
    cases: Sequence[EvalCase],
    runs: Sequence[SystemRun],
    dataset: str,
    mode: str,
    thresholds: Mapping[str, float] | None = None,
    targets: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The whole report as JSON-safe data; the first run is the assistant, the rest baselines."""
    systems = {run.name: {"label": LABELS.get(run.name, run.name), **run.summary} for run in runs}
    ours = systems[runs[0].name]["overall"]
    gaps = {
        name: {m: _diff(ours.get(m), data["overall"].get(m)) for m in GAP_METRICS}
        for name, data in systems.items()
        if name != runs[0].name
    }
    report: dict[str, Any] = {
        "n_questions": len(cases),
        "dataset": dataset,
        "mode": mode,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "categories": dict(sorted(Counter(c.category_label for c in cases).items())),
        "systems": systems,
        "gaps": gaps,
        "failures": runs[0].failures(cases),
    }
    if thresholds is not None:
        problems = violations(ours, thresholds)
        report["gate"] = {"thresholds": dict(thresholds), "passed": not problems, "violations": problems}
    if targets is not None:
        missed = violations(ours, targets)
        report["targets"] = {"targets": dict(targets), "met": not missed, "missed": missed}
    return report


def _diff(a: float | int | None, b: float | int | None) -> float | None:
    return None if a is None or b is None else round(float(a) - float(b), 4)


def _fmt(value: Any, rate: bool) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if rate else f"{value:.1f}"


def gap_sentences(report: Mapping[str, Any]) -> list[str]:
    """One plain sentence per baseline stating what the assistant adds."""
    systems = report["systems"]
    ours = systems[OURS]["overall"] if OURS in systems else next(iter(systems.values()))["overall"]
    sentences = []
    for name, gap in report["gaps"].items():
        base = systems[name]["overall"]
        acc, hit3 = gap.get("accuracy"), gap.get("hit@3")
        sentences.append(
            f"Against {systems[name]['label']}, the assistant answers "
            f"{_pct(ours['accuracy'])} of questions correctly versus {_pct(base['accuracy'])} "
            f"({_points(acc)}), with hit@3 {_pct(ours['hit@3'])} versus {_pct(base['hit@3'])} "
            f"({_points(hit3)})."
        )
    return sentences


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _points(diff: float | None) -> str:
    return "gap n/a" if diff is None else f"{diff * 100:+.1f} points"


def to_markdown(report: Mapping[str, Any], chart_name: str | None = None) -> str:
    """report.md: scorecard, the gaps in words, accuracy per category, the gate and failing cases."""
    names = list(report["systems"])
    labels = [report["systems"][n]["label"] for n in names]
    lines = [
        "# Evaluation report",
        "",
        f"{report['n_questions']} questions from `{report['dataset']}` ({report['mode']}), "
        f"{report['created']}.",
        "Baselines only retrieve: their answer is the top passage, they run no tool and never abstain.",
        "Retrieval ranks: the assistant's citations in order (as shown to the user); a baseline's top 5.",
        "",
        "## Scorecard",
        "",
        "| metric | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key, label, rate in SCORECARD:
        cells = [_fmt(report["systems"][n]["overall"].get(key), rate) for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## What the assistant adds", "", *[f"- {s}" for s in gap_sentences(report)], ""]
    lines += ["## Accuracy per category", "", "| category | n | " + " | ".join(names) + " |"]
    lines.append("|---|---|" + "---|" * len(names))
    for category, count in report["categories"].items():
        cells = [
            _fmt(report["systems"][n]["per_category"].get(category, {}).get("accuracy"), True) for n in names
        ]
        lines.append(f"| {category} | {count} | " + " | ".join(cells) + " |")
    if chart_name:
        lines += ["", f"![accuracy per category]({chart_name})"]
    lines += _assistant_by_category(report)
    if "gate" in report:
        gate = report["gate"]
        verdict = "passed" if gate["passed"] else "FAILED: " + "; ".join(gate["violations"])
        lines += ["", "## Regression gate", "", f"Thresholds (eval/thresholds.json): {verdict}."]
    if "targets" in report:
        aim = report["targets"]
        status = "all met" if aim["met"] else "not met: " + "; ".join(aim["missed"])
        lines += ["", f"Acceptance targets ({_targets_text(aim['targets'])}): {status}."]
    lines += ["", f"## Cases with a problem ({len(report['failures'])})", ""]
    for failure in report["failures"]:
        question = failure["question"].replace("|", "/")[:90]
        lines.append(
            f"- `{failure['id']}` ({failure['category']}) “{question}”: " + "; ".join(failure["reasons"])
        )
    return "\n".join(lines) + "\n"


def _assistant_by_category(report: Mapping[str, Any]) -> list[str]:
    """Where the assistant is weak: every main metric per category."""
    keys = ("accuracy", "tool_exact_match", "hit@3", "mrr", "citation_precision", "abstention_recall")
    per_category = next(iter(report["systems"].values()))["per_category"]
    lines = ["", "## The assistant per category", "", "| category | n | " + " | ".join(keys) + " |"]
    lines.append("|---|---|" + "---|" * len(keys))
    for category, metrics in per_category.items():
        cells = [_fmt(metrics.get(k), True) for k in keys]
        lines.append(f"| {category} | {metrics['n']} | " + " | ".join(cells) + " |")
    return lines


def _targets_text(targets: Mapping[str, float]) -> str:
    return ", ".join(f"{name} >= {value:g}" for name, value in targets.items())


def write_chart(report: Mapping[str, Any], path: Path) -> Path:
    """Grouped bars: one group per category (plus ``overall``), one bar per system, values on top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems: Mapping[str, Any] = report["systems"]
    categories = [*report["categories"], "overall"]
    width = 0.8 / max(len(systems), 1)
    fig, ax = plt.subplots(figsize=(max(9.0, 1.5 * len(categories) + 2), 5.2), dpi=120)
    for i, data in enumerate(systems.values()):
        values = [
            (data["overall"] if c == "overall" else data["per_category"].get(c, {})).get("accuracy") or 0.0
            for c in categories
        ]
        xs = [x + (i - (len(systems) - 1) / 2) * width for x in range(len(categories))]
        bars = ax.bar(xs, values, width, label=data["label"], color=COLORS[i % len(COLORS)])
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7, padding=1)
    counts = report["categories"]
    ticks = [f"{c}\n(n={counts.get(c, report['n_questions'])})" for c in categories]
    ax.set_xticks(range(len(categories)), ticks, fontsize=9)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("answer accuracy")
    ax.set_title(f"Answer accuracy per category: assistant vs baselines ({report['n_questions']} questions)")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(systems), fontsize=9, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_reports(report: Mapping[str, Any], out_dir: Path) -> list[Path]:
    """Write report.json, report.md and accuracy_by_category.png into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path, png_path = out_dir / "report.json", out_dir / "report.md", out_dir / CHART_FILE
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_chart(report, png_path)
    md_path.write_text(to_markdown(report, chart_name=CHART_FILE), encoding="utf-8")
    return [json_path, md_path, png_path]


def print_scorecard(report: Mapping[str, Any], console: Any | None = None) -> None:
    """The scorecard as a rich table on the terminal, then the gate verdict."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Evaluation: {report['n_questions']} questions ({report['mode']})")
    table.add_column("metric")
    for name in report["systems"]:
        table.add_column(name, justify="right")
    for key, label, rate in SCORECARD:
        table.add_row(label, *[_fmt(s["overall"].get(key), rate) for s in report["systems"].values()])
    console.print(table)
    if "gate" in report:
        gate = report["gate"]
        console.print("gate: passed" if gate["passed"] else "gate: FAILED: " + "; ".join(gate["violations"]))
    if "targets" in report:
        aim = report["targets"]
        console.print("targets: met" if aim["met"] else "targets: not met: " + "; ".join(aim["missed"]))
