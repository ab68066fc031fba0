"""Settings: the HIRE_ prefix, defaults, and .env.example mirroring every field."""

from __future__ import annotations

import re
from pathlib import Path

from app.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_env_prefix_and_derived_values(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HIRE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HIRE_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("HIRE_LLM_MODEL", "qwen")
    monkeypatch.setenv("HIRE_EVALUATOR_MODEL", "judge")
    monkeypatch.setenv("HIRE_CHROMA_URL", "")  # empty means unset
    s = Settings(_env_file=None)
    assert s.db_url == f"sqlite:///{tmp_path / 'hire.db'}"
    assert s.role_endpoint("planner") == ("http://127.0.0.1:9/v1", "qwen")
    assert s.role_endpoint("evaluator") == ("http://127.0.0.1:9/v1", "judge")
    assert s.chroma_url == ""


def test_classical_brain_is_the_default(monkeypatch) -> None:
    for key in list(__import__("os").environ):
        if key.startswith("HIRE_"):
            monkeypatch.delenv(key)
    s = Settings(_env_file=None)
    assert s.role_endpoint("writer") == ("", "")
    assert s.embedding_model_path.endswith("model")
    assert Path(s.embedding_model_path).is_dir()


def test_env_example_mirrors_every_setting() -> None:
    example = (REPO / ".env.example").read_text()
    keys = re.findall(r"^HIRE_([A-Z0-9_]+)=", example, flags=re.M)
    assert sorted(k.lower() for k in keys) == sorted(Settings.model_fields)
    assert all(f.description for f in Settings.model_fields.values())
