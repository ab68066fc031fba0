"""Which chat messages start a background run."""

from __future__ import annotations

import pytest

from app.runtime.intents import wants_background_run


@pytest.mark.parametrize("text", [
    "go source for this role overnight",
    "Run this in the background",
    "evaluate everyone",
    "Evaluate all candidates please",
    "Can you run this in the background?",
    "please keep searching over night",
    "source everybody who matches",
    "Start a background run for this project",
    "do a full run while I'm away",
    "Judge every candidate",
    "Screen all of them overnight",
    "Do it in the background",
])
def test_requests_for_a_background_run(text: str) -> None:
    assert wants_background_run(text)


@pytest.mark.parametrize("text", [
    "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years",
    "Show me the talent pool for software developers in Austin",
    "Why is candidate 1 ranked low?",
    "approve",
    "",
    "Registered nurse in Austin, 3 years ICU experience",
    "How is the background run going?",
    "What does a background run do?",
    "Is the overnight run finished?",
    "Stop the background run",
    "cancel the run in the background",
    "Don't run this in the background",
    "Evaluate candidate 3 again",
    "Everyone on the team likes candidate 2",
    "/dashboard",
])
def test_other_messages(text: str) -> None:
    assert not wants_background_run(text)
