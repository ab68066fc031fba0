"""The classical planner starts the hiring flow for a role of any occupation, and answers questions."""

from __future__ import annotations

import pytest

from graphs.rules import plan
from graphs.state import Situation

HIRING = "Source and evaluate candidates for a role."


@pytest.mark.parametrize("request_text", [
    "Medical social worker, LCSW required, in Boston",
    "Bookkeeper in Denver",
    "Line cook, ServSafe, nights",
    "Dental hygienist in Austin, licensed in Texas",
    "Forklift operator in Memphis, 1+ years",
    "Backend engineer in Berlin, Go and Kubernetes",
    "CNA for a nursing home in Orlando, CPR, weekends",
    "RN in Phoenix, BLS",
    "Regional Sales Director - Remote\nWe are hiring a sales director to grow our market share in the Midwest. You "
    "will manage six account managers, own the regional forecast and salary budget, and report to the VP of Sales.",
])
def test_a_role_of_any_occupation_starts_the_hiring_flow(request_text: str) -> None:
    p = plan(request_text, Situation(request=request_text))
    assert p.goal == HIRING
    assert [s.agent for s in p.steps] == ["intake", "sourcing", "evaluation"]


@pytest.mark.parametrize("request_text", [
    "what can the assistant do for me today",
    "thanks, that is all",
    "Who ranked first?",
])
def test_questions_and_small_talk_are_answered(request_text: str) -> None:
    assert plan(request_text, Situation(request=request_text)).goal != HIRING
