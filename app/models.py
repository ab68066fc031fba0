"""The chat-model factory: one OpenAI-compatible client per reasoning role, made on first use.

Each role (planner, evaluator, writer) may have its own endpoint and model (see ``Settings.role_endpoint``).
A role without an endpoint has no model: ``get`` returns ``None`` and the classical brain answers that step.
Clients are built lazily and cached per role, so importing this module (or any graph) opens no connection
and needs no key.
"""

from __future__ import annotations

import threading
from typing import Literal, get_args

from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from app.settings import Settings

Role = Literal["planner", "evaluator", "writer"]
ROLES: tuple[Role, ...] = get_args(Role)
# Many OpenAI-compatible servers (llama.cpp) serve one model and ignore the name; a name is still required.
FALLBACK_MODEL_NAME = "default"
# Local servers accept any key, but the OpenAI client refuses to start without one.
PLACEHOLDER_API_KEY = "not-needed"


class ModelFactory:
    """Builds and caches the chat model of each role from the process settings."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._models: dict[str, ChatOpenAI] = {}
        self._lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self._settings

    def endpoint(self, role: Role) -> tuple[str, str]:
        """(base URL, model name) the role uses; an empty base URL means the classical brain."""
        _check_role(role)
        return self._settings.role_endpoint(role)

    def configured(self, role: Role) -> bool:
        """Whether the role has an LLM endpoint (otherwise the classical brain answers it)."""
        return bool(self.endpoint(role)[0])

    def get(self, role: Role) -> ChatOpenAI | None:
        """The role's chat model, made on the first call and reused after; ``None`` when not configured."""
        base_url, model_name = self.endpoint(role)
        if not base_url:
            return None
        with self._lock:
            model = self._models.get(role)
            if model is None:
                model = self._build(base_url, model_name)
                self._models[role] = model
            return model

    def _build(self, base_url: str, model_name: str) -> ChatOpenAI:
        s = self._settings
        api_key = SecretStr(s.llm_api_key.get_secret_value() or PLACEHOLDER_API_KEY)
        return ChatOpenAI(
            base_url=base_url,
            model=model_name or FALLBACK_MODEL_NAME,
            api_key=api_key,
            timeout=s.llm_timeout_s,
            max_retries=s.llm_max_retries,  # the OpenAI client retries with exponential backoff
            temperature=0,
            seed=s.llm_seed,
            # Self-hosted servers implement Chat Completions; never route to the Responses API by model name.
            use_responses_api=False,
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown model role {role!r}; expected one of {', '.join(ROLES)}")
