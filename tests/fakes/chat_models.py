"""A scripted fake chat model for graph logic: structured outputs come from a script, in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field


class ScriptedChatModel(GenericFakeChatModel):
    """A chat model whose structured outputs come from a script, in order, each for the schema it names."""

    messages: Any = Field(default_factory=lambda: iter(()))
    script: list[BaseModel] = Field(default_factory=list)
    prompts: list[tuple[str, list[BaseMessage]]] = Field(default_factory=list)

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Runnable:
        def reply(messages: Sequence[BaseMessage]) -> BaseModel:
            if not self.script:
                pytest.fail(f"the model was asked for a {schema.__name__} but the script is used up")
            answer = self.script.pop(0)
            if type(answer) is not schema:
                pytest.fail(f"the model was asked for a {schema.__name__}; the script has a {type(answer).__name__}")
            self.prompts.append((schema.__name__, list(messages)))
            return answer

        return RunnableLambda(reply)

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        return self
