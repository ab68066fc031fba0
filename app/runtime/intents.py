"""What a recruiter's words ask of the runtime, read before the conversation graph sees them."""

from __future__ import annotations

import re

_TRIGGERS = re.compile(
    r"\bin the background\b"
    r"|\bbackground (?:run|job|search|sourcing|evaluation)\b"
    r"|\bover ?night\b"
    r"|\bwhile i(?:'m| am) (?:away|asleep|out|gone|offline|sleeping)\b"
    r"|\b(?:evaluate|judge|screen|assess|score|check|source|find|go through|rank)\s+"
    r"(?:every(?:one|body|\s+(?:candidate|match|profile|applicant)s?)"
    r"|all\s+(?:of\s+)?(?:the\s+|them\b|those\b)?(?:candidates|matches|profiles|people|applicants)?)"
    r"|\b(?:full|complete|exhaustive|deep) (?:run|search|sourcing(?: run)?)\b",
)
# "stop / cancel the background run", "don't run it overnight": not a request to start one
_NEGATION = re.compile(r"\b(?:don'?t|do not|never|no need|not now|stop|cancel|pause|abort|halt)\b")
# "how is the background run going?", "what does a background run do?": a question about runs, not a request
_WH_QUESTION = re.compile(r"^(?:what|how|why|when|where|which|who)\b")
_YES_NO_QUESTION = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had)\b.*\?$")


def wants_background_run(text: str) -> bool:
    """True when the message asks to source and evaluate this role in the background ("go source for this
    role overnight", "run this in the background", "evaluate everyone"); False for questions about runs and
    for requests to stop one."""
    said = " ".join(text.lower().replace("’", "'").split())
    if not said or _NEGATION.search(said):
        return False
    if _WH_QUESTION.match(said) or _YES_NO_QUESTION.match(said):
        return False
    return _TRIGGERS.search(said) is not None
