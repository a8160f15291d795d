"""Hybrid retrieval over the shipped knowledge base, with the real model and an embedded Chroma."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chroma_server import free_port

from assistant.config import REPO_ROOT, Settings
from assistant.errors import IndexMissingError, StoreUnavailableError
from assistant.retrieval.embeddings import Embedder
from assistant.retrieval.hybrid import HybridRetriever

pytestmark = pytest.mark.integration
SANITY = REPO_ROOT / "tests" / "data" / "retrieval_sanity.jsonl"
OUT_OF_SCOPE = [
    "what's the weather in Paris",
    "what's the capital of France",
    "how do I bake sourdough bread",
    "tell me a joke",
    "who won the world series",
    "how do I reset my password",
]
NEAR_MISSES = [
    "ICD-10 code for diabetes",
    "What is the ICD-10 code for type 2 diabetes?",
    "what is the DRG for hip replacement",
    "what's the stock price of UnitedHealth",
    "dental code for a crown",
    "how do I code an office visit 99213",
]


@pytest.fixture(scope="module")
def retriever(kb_index_dir: Path, embedder: Embedder) -> HybridRetriever:
    return HybridRetriever.from_settings(Settings(index_dir=kb_index_dir), embedder)


def sanity_cases() -> list[dict[str, str]]:
    return [json.loads(line) for line in SANITY.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sanity_set_is_large_enough() -> None:
    cases = sanity_cases()
    assert len(cases) >= 20
    known = {p.stem for p in (REPO_ROOT / "knowledge_base" / "guidance").glob("*.md")}
    assert {c["doc_id"] for c in cases} <= known


@pytest.mark.parametrize("case", sanity_cases(), ids=lambda c: c["doc_id"])
def test_expected_document_is_in_the_top_3(retriever: HybridRetriever, case: dict[str, str]) -> None:
    result = retriever.search(case["question"], k=3)
    assert result.found
    assert case["doc_id"] in [p.doc_id for p in result.passages], [p.doc_id for p in result.passages]


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_fall_below_the_floor(retriever: HybridRetriever, question: str) -> None:
    result = retriever.search(question)
    assert result.best_similarity < retriever.settings.relevance_floor
    assert not result.found


@pytest.mark.parametrize("question", NEAR_MISSES)
def test_billing_sounding_questions_the_guidance_does_not_cover_are_not_found(
    retriever: HybridRetriever, question: str
) -> None:
    # dense similarity alone is moderate here ("code", "Medicare"...); the missing content words decide
    result = retriever.search(question)
    assert not result.found, result.best_similarity


def test_passages_carry_metadata_and_consistent_scores(retriever: HybridRetriever) -> None:
    result = retriever.search("what is the KX threshold for 2025", k=5)
    assert len(result.passages) == 5
    top = result.passages[0]
    assert top.doc_id == "kx-modifier-therapy-threshold" and "KX" in top.codes
    assert top.title and top.section and top.source and top.text
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)
    assert all(p.dense_similarity is not None and -1.0 <= p.dense_similarity <= 1.0 for p in result.passages)
    dense = {p.chunk_id: p.score for p in retriever.dense_search("what is the KX threshold for 2025", 20)}
    assert result.best_similarity == pytest.approx(max(dense.values()))
    for passage in result.passages:  # Chroma's 1 - cosine distance == the dot product of normalised vectors
        if passage.chunk_id in dense:
            assert passage.dense_similarity == pytest.approx(dense[passage.chunk_id], abs=1e-4)


def test_code_boost_lifts_chunks_listing_the_code(retriever: HybridRetriever) -> None:
    question = "which code for unattended electrical stimulation for Medicare"
    plain = retriever.search(question, k=5)
    boosted = retriever.search(question, k=5, codes=["G0283"])
    assert "G0283" in boosted.passages[0].codes
    assert boosted.passages[0].score > plain.passages[0].score
    assert retriever.search("G0283").found  # a bare code the index lists counts as found


def test_dense_and_bm25_searches(retriever: HybridRetriever) -> None:
    dense = retriever.dense_search("balance training after a stroke", 4)
    assert len(dense) == 4 and all(p.score == p.dense_similarity for p in dense)
    assert [p.score for p in dense] == sorted((p.score for p in dense), reverse=True)
    lexical = retriever.bm25_search("Noridian NGS Illinois", 3)
    assert lexical[0].doc_id == "illinois-medicare-contractor" and lexical[0].dense_similarity is None
    assert retriever.bm25_search("xyzzy plugh", 3) == []
    assert retriever.search("   ").passages == []


def test_index_helpers(retriever: HybridRetriever) -> None:
    count = retriever.chunk_count()
    assert count == len(retriever.all_texts()) > 20
    docs = retriever.documents()
    assert docs["eight-minute-rule"].startswith("The CMS 8-minute rule")
    assert "modifiers" in retriever.topics()


def test_langchain_vectorstore_reads_the_same_collection(retriever: HybridRetriever) -> None:
    store = retriever.vectorstore()
    hits = store.similarity_search_with_relevance_scores("who is the Medicare contractor for Illinois", k=2)
    assert hits[0][0].metadata["doc_id"] == "illinois-medicare-contractor"
    assert 0.0 < hits[0][1] <= 1.0


def test_missing_index_says_how_to_build_it(tmp_path: Path, embedder: Embedder) -> None:
    retriever = HybridRetriever.from_settings(Settings(index_dir=tmp_path / "none"), embedder)
    with pytest.raises(IndexMissingError, match="coding-assistant ingest"):
        retriever.search("KX threshold")
    assert not (tmp_path / "none").exists()


def test_unreachable_server_is_reported(tmp_path: Path, embedder: Embedder) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(index_dir=tmp_path, chroma_url=url, chroma_timeout_s=1.0)
    with pytest.raises(StoreUnavailableError, match=f"Cannot reach the Chroma server at {url}"):
        HybridRetriever.from_settings(settings, embedder).check()


def test_embedder_vectors_are_normalised_and_queries_cached(embedder: Embedder) -> None:
    docs = embedder.embed_documents(["modifier 59", "KX threshold"])
    assert len(docs) == 2 and len(docs[0]) == embedder.dimension == 384
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in docs)
    first = embedder.embed_query("cache me please")
    assert embedder.embed_query("cache me please") is first
    assert first == pytest.approx(embedder.embed_documents(["cache me please"])[0], abs=1e-5)


def test_query_cache_is_bounded(embedder: Embedder) -> None:
    small = Embedder(embedder.model_path, cache_size=2)
    small._model = embedder.model  # share the loaded model
    for question in ("KX", "GP", "CQ"):
        small.embed_query(question)
    assert list(small._cache) == ["GP", "CQ"]


def test_a_repeated_search_is_served_from_the_result_cache(embedder: Embedder, settings: Settings) -> None:
    docs = settings.index_dir.parent / "docs"
    docs.mkdir()
    (docs / "gp.md").write_text(
        "# GP\n\n## Rule\n\nModifier GP marks physical therapy lines.\n", encoding="utf-8"
    )
    from assistant.ingest.pipeline import ingest

    ingest([docs], settings, embedder=embedder)
    counting = Embedder(embedder.model_path, cache_size=0, cache_dir=embedder.cache_dir)
    counting._model = embedder.model
    asked: list[str] = []
    original = counting.embed_query
    counting.embed_query = lambda text: asked.append(text) or original(text)  # type: ignore[method-assign]
    retriever = HybridRetriever.from_settings(settings, counting)
    first = retriever.search("GP modifier")
    first.passages.clear()  # a caller changing its copy does not change the cache
    again = retriever.search("GP modifier")
    assert asked == ["GP modifier"] and [p.doc_id for p in again.passages] == ["gp"]
    (docs / "kx.md").write_text(
        "# KX\n\n## Rule\n\nModifier KX attests medical necessity.\n", encoding="utf-8"
    )
    ingest([docs], settings, embedder=embedder)  # a new index version: searched afresh
    assert "kx" in [p.doc_id for p in retriever.search("GP modifier").passages]
    assert asked == ["GP modifier", "GP modifier"]
