"""A candidate's name is never evidence: the same resume scores and is judged the same under any name.

Names that are also places (Georgia, Austin, ...), skills (Ruby, Julia, Scala) and titles (Dean, Baker, ...)
are tried against qualifications that name exactly those things, on the public fairness set's resumes and on a
generated profile whose stored full name is also in its text; every first and last name of the fairness set's
lists is tried once. The evaluator model never reads the name, and a quote of it is rejected.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fakes.chat_models import ScriptedChatModel

from eval.name_swap import BAIT, BAIT_QUALS, NEUTRAL
from graphs.brain import Brain
from graphs.llm import JudgeOutput
from tools.hiring import Evidence, QualificationSpec, QualificationVerdict
from tools.matching import Candidate, Matcher, verify_evidence
from tools.matching.suspicious import mask_identity
from tools.policy import check_all
from tools.requirements import draft_qualifications, extract_requirements

FAIRNESS = Path(__file__).resolve().parents[3] / "shared" / "data" / "fairness"
PLAIN = """{name}
Support Specialist
Savannah, GA
{email} | (912) 555-0142

Summary
Support specialist with 6 years of experience in customer support, Zendesk and SQL.

Experience
Support Specialist at Peach Services
Jan 2019 - Present
Resolved tickets in Zendesk; wrote SQL reports.

Skills
Zendesk, SQL, Customer service
"""
needs_fairness = pytest.mark.skipif(not FAIRNESS.exists(), reason="the public fairness set is not here")


def _outcome(matcher: Matcher, text: str, full_name: str | None = None) -> tuple[float, list[str], list[str]]:
    c = Candidate(1, text, full_name=full_name)
    judged = matcher.judge(c)
    return matcher.score(c), [v.verdict for v in judged.verdicts], [e.quote for v in judged.verdicts
                                                                     for e in v.evidence]


def _fairness() -> list[tuple[Matcher, str]]:
    data = json.loads((FAIRNESS / "resumes_to_rank.json").read_text(encoding="utf-8"))
    out = []
    for job, entry in data.items():
        req = extract_requirements(f"{job} in Atlanta, Georgia\n{entry['jd']}")
        matcher = Matcher([*check_all(draft_qualifications(req)), *BAIT_QUALS])
        out += [(matcher, resume) for resume in entry["resumes"]]
    return out


def _list_names() -> list[str]:
    names = [n for f in ("top_mens_names.json", "top_womens_names.json")
             for group in json.loads((FAIRNESS / f).read_text(encoding="utf-8")).values() for n in group]
    with open(FAIRNESS / "Names_2010Census_Top1000.csv", encoding="utf-8-sig") as fh:
        surnames = [r[0].title() for r in list(csv.reader(fh))[3:] if r and r[0].isalpha()]
    return names + [n.title() for n in names] + [f"Pat {s}" for s in surnames]


def test_a_place_named_candidate_does_not_meet_a_place_by_her_name() -> None:
    req = extract_requirements("Senior support specialist in Atlanta, Georgia, 5+ years, Zendesk and SQL")
    matcher = Matcher([*check_all(draft_qualifications(req)), *BAIT_QUALS])
    base = _outcome(matcher, PLAIN.format(name=NEUTRAL, email="pat.lee@mail.test"))
    for first in BAIT:
        for name in (f"{first} Smith", f"Pat {first}", f"{first} {BAIT[(BAIT.index(first) + 3) % len(BAIT)]}"):
            email = f"{name.lower().replace(' ', '.')}@mail.test"
            got = _outcome(matcher, PLAIN.format(name=name, email=email))
            assert got[:2] == base[:2], name
            assert not any(part in q for q in got[2] for part in name.split()), name  # no quote holds the name


def test_a_stored_full_name_is_masked_wherever_it_is_written() -> None:
    matcher = Matcher(BAIT_QUALS)
    text = PLAIN.format(name="Summary", email="x@mail.test").replace("Summary\nSupport", "Support", 1)
    text = text.replace("Zendesk and SQL.", "Zendesk and SQL. References: Ruby Judge, Savannah.")
    neutral = text.replace("Ruby Judge", "Pat Lee")
    assert _outcome(matcher, text, "Ruby Judge")[:2] == _outcome(matcher, neutral, "Pat Lee")[:2]


@needs_fairness
def test_fairness_resumes_with_bait_names_score_and_judge_the_same() -> None:
    for matcher, resume in _fairness():
        base = _outcome(matcher, resume.replace("{name}", NEUTRAL))
        for first in BAIT:
            for name in (f"{first} Smith", f"{first.upper()} {first.upper()}SON"):
                assert _outcome(matcher, resume.replace("{name}", name))[:2] == base[:2], (name, resume[:60])


@needs_fairness
def test_every_name_of_the_fairness_lists_leaves_scores_and_verdicts_alone() -> None:
    cases = _fairness()
    names = _list_names()
    assert len(names) >= 2500
    bases = [_outcome(m, r.replace("{name}", NEUTRAL))[:2] for m, r in cases]
    differences = []
    for i, name in enumerate(names):  # every name once, on resumes in turn
        matcher, resume = cases[i % len(cases)]
        if _outcome(matcher, resume.replace("{name}", name))[:2] != bases[i % len(cases)]:
            differences.append(name)
    assert differences == []


# ---- the evaluator model --------------------------------------------------------------------------------
def test_mask_identity_keeps_offsets_and_hides_name_and_contact() -> None:
    text = PLAIN.format(name="Georgia Baker", email="georgia.baker@mail.test")
    masked = mask_identity(text)
    assert len(masked) == len(text)
    assert "Georgia" not in masked and "555" not in masked and "@" not in masked
    assert "Savannah, GA" in masked and "Zendesk and SQL" in masked


async def test_the_evaluator_never_reads_the_name_and_a_quote_of_it_is_rejected() -> None:
    text = PLAIN.format(name="Georgia Baker", email="georgia.baker@mail.test")
    quals = [QualificationSpec(text="Georgia"), QualificationSpec(text="Zendesk", skills=["Zendesk"])]
    at, zd = text.index("Georgia Baker"), text.index("Resolved tickets in Zendesk")
    name_quote = Evidence(start=at, end=at + len("Georgia"), quote="Georgia")
    genuine = Evidence(start=zd, end=zd + len("Resolved tickets in Zendesk"), quote="Resolved tickets in Zendesk")
    model = ScriptedChatModel(script=[JudgeOutput(verdicts=[
        QualificationVerdict(qualification=0, verdict="meets", evidence=[name_quote], reason="Named Georgia."),
        QualificationVerdict(qualification=1, verdict="meets", evidence=[genuine], reason="Uses Zendesk."),
    ], summary="Strong.")])
    candidate = Candidate(3, text)
    judged = await Brain(evaluator=model).judge(candidate, quals, Matcher(quals))
    assert [v.verdict for v in judged.verdicts] == ["no_evidence", "meets"]
    ((_schema, messages),) = model.prompts
    prompt = "\n".join(str(m.content) for m in messages)
    profile = prompt[prompt.index("<candidate_profile id="):prompt.rindex("</candidate_profile>")]
    assert "Georgia" not in profile and "georgia.baker" not in prompt and "Resolved tickets in Zendesk" in profile
    # the verifier alone rejects it too, whichever brain wrote the judgement
    rechecked = verify_evidence(judged.model_copy(update={"verdicts": [
        judged.verdicts[0].model_copy(update={"verdict": "meets", "evidence": [name_quote]}), judged.verdicts[1]]}),
        candidate, quals)
    assert [v.verdict for v in rechecked.verdicts] == ["no_evidence", "meets"]
