"""Sample guidance files of every supported type, written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

HIDDEN_WORD = "zanzibarquux"  # appears only in hidden HTML elements


def make_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A minimal, valid one-page PDF whose text pypdf can extract (Helvetica, one line per entry)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 12 Tf 72 740 Td 16 TL " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET"
    info = f"<< /Title ({esc(title)}) >>" if title else "<< >>"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets).encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


MARKDOWN = """---
id: seating-checklist
title: Wheelchair seating assessment checklist
topic: clinic-procedures
codes: ["97542"]
effective_year: 2026
sources: ["Test fixture written by tests/ingest/samples.py"]
---

# Wheelchair seating assessment checklist

## What to measure before ordering a cushion

Measure hip width, thigh length and seat-to-floor height with the patient seated upright.

## Who signs the seating report

The treating therapist signs the seating report and files it in the chart within two days.
"""

TEXT = """Aquatic therapy pool safety rules

Check the pool water temperature before every aquatic session.
A lifeguard-certified staff member stays on deck while patients are in the water.
Patients with open wounds do not enter the pool.
"""

HTML = f"""<!doctype html>
<html><head><title>Front desk copay collection procedure</title>
<style>.x {{ color: red }} /* {HIDDEN_WORD} */</style>
<script>var secret = "{HIDDEN_WORD}";</script></head>
<body>
<h1>Front desk copay collection procedure</h1>
<h2>When to collect the copay</h2>
<p>Collect the copay at check-in, before the therapy visit starts, and give the patient a receipt.</p>
<p style="display: none">{HIDDEN_WORD} display none text</p>
<div hidden>{HIDDEN_WORD} hidden attribute text</div>
<span aria-hidden="true">{HIDDEN_WORD} aria hidden text</span>
<!-- {HIDDEN_WORD} comment -->
</body></html>
"""

PDF_LINES = [
    "Vestibular rehabilitation home exercise handout",
    "Do the gaze stabilization exercise three times a day while seated.",
    "Stop and call the clinic if dizziness lasts longer than a few minutes.",
]


def write_samples(folder: Path) -> dict[str, Path]:
    """One file of each type in ``folder``; returns them by suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "md": folder / "seating.md",
        "txt": folder / "aquatic-pool-rules.txt",
        "html": folder / "copay-procedure.html",
        "pdf": folder / "vestibular-handout.pdf",
    }
    files["md"].write_text(MARKDOWN, encoding="utf-8")
    files["txt"].write_text(TEXT, encoding="utf-8")
    files["html"].write_text(HTML, encoding="utf-8")
    files["pdf"].write_bytes(make_pdf(PDF_LINES, title="Vestibular rehabilitation home exercise handout"))
    return files


# (question, expected doc_id) — one per file type, phrased differently from the file's text
QUESTIONS = [
    ("what do I measure before ordering a wheelchair cushion", "seating-checklist"),
    ("safety rules for patients in the therapy pool", "aquatic-pool-rules"),
    ("when should the front desk collect the copay", "copay-procedure"),
    ("how often should the patient do gaze stabilization at home for dizziness", "vestibular-handout"),
]
