"""The accuracy-per-category chart (PNG): the assistant against each baseline, grouped bars.

Example:
    >>> write_chart(report, Path("out/eval/accuracy_by_category.png"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

CHART_FILE = "accuracy_by_category.png"
COLORS: tuple[str, ...] = ("#1f6f43", "#8c8c8c", "#4a78b5", "#d08c2c", "#9b4f96")


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
