"""The ONNX Runtime backend: same vectors as sentence-transformers, exported once, no torch when asking."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.embeddings import Embedder, TorchEncoder
from assistant.retrieval.onnx_encoder import OnnxEncoder, graph_path, pooling_mode

pytestmark = pytest.mark.integration

TEXTS = [
    "How many units for 24 minutes of 97112 and 23 minutes of 97110?",
    "KX",
    "modifier 59 " * 300,  # longer than the model's 256 tokens: truncated alike
]


@pytest.fixture(scope="module")
def torch_vectors(embedder: Embedder) -> np.ndarray:
    return TorchEncoder(embedder.model_path).encode(TEXTS, batch_size=2)


def test_onnx_vectors_match_sentence_transformers(embedder: Embedder, torch_vectors: np.ndarray) -> None:
    assert isinstance(embedder.model, OnnxEncoder)  # the default backend
    onnx = embedder.encode(TEXTS)  # one padded batch of mixed lengths
    assert onnx.shape == torch_vectors.shape == (3, 384)
    assert np.abs(onnx - torch_vectors).max() < 1e-4
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([embedder.encode([t])[0] for t in TEXTS])
    assert np.abs(one_by_one - onnx).max() < 1e-4  # padding does not change a vector


def test_graph_is_exported_once_and_named_for_the_weights(embedder: Embedder, tmp_path: Path) -> None:
    graph = graph_path(embedder.model_path, embedder.cache_dir)
    assert graph.is_file()
    stamp = graph.stat().st_mtime_ns
    Embedder(embedder.model_path, cache_dir=embedder.cache_dir).embed_query("8-minute rule")
    assert graph.stat().st_mtime_ns == stamp  # reused, not exported again
    assert graph_path(embedder.model_path, tmp_path).name == graph.name


def test_question_path_does_not_import_torch(embedder: Embedder) -> None:
    embedder.embed_query("warm the graph")  # the graph exists in the shared cache folder
    code = (
        "import sys; from pathlib import Path; from assistant.retrieval.embeddings import Embedder; "
        f"e = Embedder(cache_dir=Path({str(embedder.cache_dir)!r})); v = e.embed_query('GP modifier'); "
        "print(len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["384", "False", "False"]


def test_unsupported_model_falls_back_to_torch(
    embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = tmp_path / "max-pooled"
    shutil.copytree(embedder.model_path, model)
    config = model / "1_Pooling" / "config.json"
    pooling = json.loads(config.read_text())
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    config.write_text(json.dumps(pooling))
    assert pooling_mode(model) is None and pooling_mode(embedder.model_path) == "mean"
    other = Embedder(model, cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.WARNING):
        assert isinstance(other.model, TorchEncoder)
    assert "using torch" in caplog.text
    assert not (tmp_path / "cache").exists()  # nothing exported for a model ONNX cannot run


def test_torch_backend_on_request(embedder: Embedder, torch_vectors: np.ndarray) -> None:
    chosen = Embedder(embedder.model_path, backend="torch")
    assert isinstance(chosen.model, TorchEncoder)
    assert np.abs(chosen.encode(TEXTS) - torch_vectors).max() < 1e-6
