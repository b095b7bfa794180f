"""Embedding backends: the bundled e5 model and an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from newsdesk.embed import (
    E5Embedder,
    Embedder,
    EmbeddingFailed,
    OpenAIEmbedder,
    UnknownEmbedder,
    bound_text,
    make_embedder,
)

# invented sentences
SAME_EN = "A magnitude 6.8 earthquake struck southern Peru, damaging homes near Arequipa."
SAME_RU = "Землетрясение магнитудой 6,8 произошло на юге Перу, повреждены дома около Арекипы."
OTHER = "The central bank of Korea raised its base interest rate to 3 percent on Thursday."


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


def test_e5_vectors_are_normalised_float32(e5: E5Embedder) -> None:
    vecs = e5.embed_passages([SAME_EN, SAME_RU, OTHER, ""])
    assert isinstance(e5, Embedder)
    assert vecs.shape == (4, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert e5.embed_passages([]).shape == (0, 384)


def test_e5_cross_lingual_same_story_beats_unrelated(e5: E5Embedder) -> None:
    en, ru, other = e5.embed_passages([SAME_EN, SAME_RU, OTHER])
    assert float(en @ ru) > float(en @ other) + 0.05
    q = e5.embed_queries(["earthquake in Peru"])[0]
    assert float(q @ en) > float(q @ other)


def test_e5_batches_give_the_same_vectors(e5: E5Embedder) -> None:
    small = E5Embedder(batch_size=1)
    assert np.allclose(
        small.embed_passages([SAME_EN, OTHER]), e5.embed_passages([SAME_EN, OTHER]), atol=1e-5
    )


def test_bound_text_keeps_title_and_cuts_at_sentence() -> None:
    text = "First sentence here. Second sentence is longer than the first one. Third."
    out = bound_text("Title", text, 50)
    assert out.startswith("Title\nFirst sentence here.")
    assert "Third" not in out and len(out) <= 50
    assert bound_text(None, "Only text", 100) == "Only text"
    assert bound_text("Same", "Same. Body", 100) == "Same\nBody"


def test_make_embedder_rejects_unknown_names() -> None:
    assert isinstance(make_embedder("e5"), E5Embedder)
    with pytest.raises(UnknownEmbedder):
        make_embedder("word2vec")


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """A minimal OpenAI-compatible /v1/embeddings endpoint serving real e5 vectors."""

    model: E5Embedder
    bodies: list[dict[str, Any]]

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append({"path": self.path, "auth": self.headers.get("Authorization"), **req})
        if self.path == "/broken/v1/embeddings":
            self._send(500, {"error": {"message": "boom"}})
            return
        texts = req["input"]
        vecs = self.model.embed_passages(texts)
        if self.path == "/short/v1/embeddings":
            vecs = vecs[:, :10]
        data = []
        for i, v in reversed(list(enumerate(vecs))):  # out of order: clients must sort by index
            emb: Any = base64.b64encode(v.tobytes()).decode() if i % 2 else v.tolist()
            data.append({"object": "embedding", "index": i, "embedding": emb})
        self._send(200, {"object": "list", "data": data, "model": req["model"]})


@pytest.fixture
def embeddings_server(e5: E5Embedder) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    bodies: list[dict[str, Any]] = []
    handler = type("H", (_EmbeddingsHandler,), {"model": e5, "bodies": bodies})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", bodies
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_openai_backend_batches_and_matches_local_vectors(
    e5: E5Embedder, embeddings_server: tuple[str, list[dict[str, Any]]]
) -> None:
    base, bodies = embeddings_server
    emb = OpenAIEmbedder(f"{base}/v1", "e5-small", dim=384, api_key="k", batch_size=2)
    texts = [SAME_EN, SAME_RU, OTHER, "fourth text", "fifth text"]
    vecs = emb.embed_passages(texts)
    emb.close()
    assert np.allclose(vecs, e5.embed_passages(texts), atol=1e-5)
    assert [len(b["input"]) for b in bodies] == [2, 2, 1]
    assert all(b["model"] == "e5-small" and b["auth"] == "Bearer k" for b in bodies)
    assert "input_type" not in bodies[0]


def test_openai_backend_prefixes_and_input_type(
    embeddings_server: tuple[str, list[dict[str, Any]]],
) -> None:
    base, bodies = embeddings_server
    emb = OpenAIEmbedder(f"{base}/v1", "m", dim=384, query_prefix="query: ", send_input_type=True)
    emb.embed_queries(["rates"])
    assert bodies[-1]["input"] == ["query: rates"] and bodies[-1]["input_type"] == "query"


def test_openai_backend_reports_server_errors(
    embeddings_server: tuple[str, list[dict[str, Any]]],
) -> None:
    base, _ = embeddings_server
    with pytest.raises(EmbeddingFailed, match="500"):
        OpenAIEmbedder(f"{base}/broken/v1", "m", dim=384).embed_passages(["x"])
    with pytest.raises(EmbeddingFailed, match="expected"):
        OpenAIEmbedder(f"{base}/short/v1", "m", dim=384).embed_passages(["x"])
    with pytest.raises(EmbeddingFailed, match="failed"):
        OpenAIEmbedder("http://127.0.0.1:9/v1", "m", dim=384, timeout=2).embed_passages(["x"])
