"""Code/modifier extraction and the persisted BM25 index (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.retrieval import bm25
from assistant.retrieval.codes import extract_codes, join_codes, normalize_codes, split_codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Bill 97140-59 with 97530 GP; G0283 for unattended e-stim", ["97140", "97530", "G0283", "59", "GP"]),
        ("I did 59 minutes of ther ex 97110", ["97110"]),
        ("use modifiers 59, XU or GP", ["59", "XU", "GP"]),
        ("the 59 modifier on 97140", ["97140", "59"]),
        ("modifier 52 when the session was cut short", ["52"]),
        ("do I need the kx modifier", ["KX"]),
        ("PTA minutes need CQ; OTA minutes need CO", ["CQ", "CO"]),
        ("Medicare pays $32.02 for 97112 (contractor 06102, 2025)", ["97112"]),
        ("Go to the store and co-sign the note", []),
        ("Evaluations 97161–97163 are untimed", ["97161", "97163"]),
        ("can I put 59 on 97140 with 97530?", ["97140", "97530", "59"]),
        ("added 52 to 97112 because the visit was cut short", ["97112", "52"]),
        ("I billed 38 on 97110", ["97110"]),
    ],
)
def test_extract_codes(text: str, codes: list[str]) -> None:
    assert extract_codes(text) == codes


def test_code_lists_round_trip() -> None:
    assert normalize_codes([97112, "-59", " gp ", "97112"]) == ["97112", "59", "GP"]
    assert split_codes(join_codes(["97112", "59", "GP", "59"])) == ("97112", "59", "GP")
    assert split_codes("") == ()


def test_tokenize_keeps_codes_and_folds_plurals() -> None:
    assert bm25.tokenize("What are the Denials for 97112 with modifier 59? Therapies!") == [
        "denial",
        "97112",
        "modifier",
        "59",
        "therapy",
    ]


def test_bm25_ranks_the_matching_chunk_first() -> None:
    index = bm25.BM25Index.build(
        ["a", "b", "c"],
        ["KX threshold for 2025 therapy spending", "modifier 59 with 97140 and 97530", "gait training 97116"],
    )
    assert index.search("is 97140 with 97530 a 59 situation", 3)[0][0] == "b"
    assert index.search("completely unrelated words", 3) == []
    assert bm25.BM25Index.build([], []).search("anything", 3) == []


def test_coverage_counts_content_words_found_in_the_index() -> None:
    index = bm25.BM25Index.build(["a"], ["Neuromuscular re-education documentation for Medicare denials"])
    assert index.coverage("medicare denial documentation") == 1.0
    assert index.coverage("ICD-10 code for diabetes") == 0.0  # "diabetes" is the only 5+ character word
    assert index.coverage("medicare diabetes") == 0.5
    assert index.coverage("KX or GP?") == 1.0  # no content word: no evidence against


def test_save_swaps_the_pointer_and_keeps_only_two_versions(tmp_path: Path) -> None:
    assert bm25.BM25Index.load(tmp_path) is None and bm25.pointer_mtime(tmp_path) is None
    for n in range(3):
        bm25.BM25Index.build([f"id{n}"], [f"version {n} text"]).save(tmp_path)
    folders = sorted(p.name for p in tmp_path.glob("bm25-*"))
    assert len(folders) == 2  # the current one and the previous one (a reader may still be opening it)
    pointer = json.loads((tmp_path / bm25.POINTER_FILE).read_text())
    assert pointer["folder"] in folders
    loaded = bm25.BM25Index.load(tmp_path)
    assert loaded is not None and loaded.ids == ["id2"]
    assert loaded.search("version text", 1)[0][0] == "id2"
    assert not list(tmp_path.glob(".*.tmp"))
    bm25.remove(tmp_path)
    assert bm25.BM25Index.load(tmp_path) is None and not list(tmp_path.glob("bm25-*"))
