"""Run a sentence-transformers model with ONNX Runtime: no torch on the question path.

The graph is exported once from the model folder's own weights (``torch.onnx.export`` of the transformer,
the only step that needs torch) and kept in a cache folder, named for the weights file it came from.
Tokenisation uses the folder's ``tokenizer.json``; pooling (mean or CLS, from ``1_Pooling/config.json``)
and L2 normalisation are done here in numpy, so vectors match sentence-transformers' to about 1e-6.

Example:
    >>> encoder = OnnxEncoder.load(model_path, cache_dir=Path(".cache/models"))   # doctest: +SKIP
    >>> encoder.encode(["modifier 59 with 97140"], batch_size=64).shape            # doctest: +SKIP
    (1, 384)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
import warnings
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def pooling_mode(model_path: Path) -> str | None:
    """ "mean" or "cls" when the folder is a transformer + pooling (+ normalise) model ONNX can run."""
    modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    pooling = _read_json(model_path / modules[1].get("path", "1_Pooling") / "config.json")
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    return (
        {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}.get(modes[0])
        if len(modes) == 1 and (model_path / "tokenizer.json").is_file()
        else None
    )


def graph_path(model_path: Path, cache_dir: Path) -> Path:
    """Where the graph exported from this model's weights lives (a new weights file: a new name)."""
    weights = next((model_path / n for n in WEIGHT_FILES if (model_path / n).is_file()), model_path)
    stat = weights.stat()
    key = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    return cache_dir / f"{model_path.name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"


def export_graph(model_path: Path, target: Path) -> Path:
    """Export the transformer of ``model_path`` to ``target`` (written to a temporary name, then renamed)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    class _Hidden(torch.nn.Module):
        def __init__(self, model: Any):
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_path)).eval()
    sample = torch.ones((1, 8), dtype=torch.int64)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    log.info("exporting %s to ONNX (once): %s", model_path.name, target)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(model),
            (sample, sample, torch.zeros_like(sample)),
            str(partial),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    os.replace(partial, target)
    return target


class OnnxEncoder:
    """Tokenizer + ONNX Runtime session + pooling: ``encode(texts)`` gives L2-normalised float32 rows."""

    def __init__(self, tokenizer: Any, session: Any, pooling: str):
        self.tokenizer = tokenizer
        self.session = session
        self.pooling = pooling
        self._feeds = {i.name for i in session.get_inputs()}
        self.dimension = int(session.get_outputs()[0].shape[-1])

    @classmethod
    def load(cls, model_path: Path, cache_dir: Path) -> OnnxEncoder:
        """Open the cached graph (exporting it first when missing); ValueError for an unsupported model."""
        pooling = pooling_mode(model_path)
        if pooling is None:
            raise ValueError(f"{model_path} is not a transformer + mean/CLS pooling model")
        graph = graph_path(model_path, cache_dir)
        if not graph.is_file():
            export_graph(model_path, graph)
        import onnxruntime
        from tokenizers import Tokenizer

        max_tokens = int(_read_json(model_path / "sentence_bert_config.json").get("max_seq_length", 256))
        tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: no optimiser chatter on stderr
        session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        return cls(tokenizer, session, pooling)

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self._feeds})[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Vectors of ``texts`` in order; batches hold texts of similar length (less padding)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._batch([texts[i] for i in rows])
        return out
