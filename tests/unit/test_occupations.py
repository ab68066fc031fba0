"""The occupation family: its SOC broad occupation, the title anchor, who is in it, and the shortlist's order."""

from __future__ import annotations

from tools.hiring import CandidateJudgement, Evidence, HiringRequirements, QualificationSpec, QualificationVerdict
from tools.occupations import (
    OccupationFamily,
    PersonOccupations,
    broad_group,
    family_order,
    in_family,
    occupation_family,
)

NURSE = HiringRequirements(title="ICU Registered Nurse", occupation_code="29-1141.03",
                           occupation="Critical Care Nurses")
NURSE_QUALS = [QualificationSpec(text="Has worked as an ICU nurse", titles=["ICU Registered Nurse", "ICU RN"])]
ACCOUNTANT = HiringRequirements(title="Accountant", occupation_code="13-2011.00")
ACCOUNTANT_QUALS = [QualificationSpec(text="Has worked as an Accountant", titles=["Accountant"]),
                    QualificationSpec(text="QuickBooks", skills=["Intuit QuickBooks"])]


def test_the_family_is_the_soc_broad_occupation() -> None:
    assert broad_group("29-1141.03") == "29-114" and broad_group(None) is None and broad_group("junk") is None
    family = occupation_family(NURSE, NURSE_QUALS)

    assert family is not None and family.groups == {"29-114"}
    assert family.describe() == "Critical Care Nurses (SOC 29-1140)"
    # every registered-nurse speciality is in it; nurse practitioners, LPNs and software developers are not
    assert all(family.contains_code(c) for c in ("29-1141.00", "29-1141.01", "29-1141.03"))
    assert not any(family.contains_code(c) for c in ("29-1171.00", "29-2061.00", "15-1252.00", None))


def test_the_anchor_holds_the_roles_titles_and_the_familys_but_no_ambiguous_word() -> None:
    family = occupation_family(NURSE, NURSE_QUALS)
    assert family is not None
    titles = set(family.titles)

    assert {"ICU Nurse", "RN", "Registered Nurse"} <= titles
    # "Nurse" alone is as much a practical nurse's or an aide's title; "ICU RN" is covered by "RN"
    assert "Nurse" not in titles and "ICU RN" not in titles
    assert not any(t.lower().startswith(("junior ", "senior ")) for t in titles)
    truck = occupation_family(HiringRequirements(title="Truck Driver", occupation_code="53-3032.00"), [])
    assert truck is not None and "Truck Driver" in truck.titles and "Driver" not in truck.titles


def test_a_title_the_recruiter_approved_from_another_occupation_widens_the_family() -> None:
    quals = [*ACCOUNTANT_QUALS, QualificationSpec(text="Or a bookkeeper", titles=["Bookkeeper"])]
    family = occupation_family(ACCOUNTANT, quals)

    assert family is not None and family.groups == {"13-201", "43-303"}
    assert "Bookkeeper" in family.titles
    # a blocked or review-only qualification does not
    blocked = QualificationSpec(text="Or a bookkeeper", titles=["Bookkeeper"], review=True)
    assert occupation_family(ACCOUNTANT, [*ACCOUNTANT_QUALS, blocked]).groups == {"13-201"}  # type: ignore[union-attr]


def test_who_is_in_the_family() -> None:
    family = occupation_family(ACCOUNTANT, ACCOUNTANT_QUALS)
    assert family is not None

    assert in_family(family, PersonOccupations(("13-2011.00",), ("Staff Accountant",))) is True
    # any job in their history counts
    assert in_family(family, PersonOccupations(("39-5012.00", "13-2011.00"), ("Haircutter", "Accountant"))) is True
    assert in_family(family, PersonOccupations(("47-2021.00",), ("Bricklayer",))) is False
    # no recorded occupation: the titles are resolved through the taxonomy
    assert in_family(family, PersonOccupations((), ("Senior Staff Accountant",))) is True
    assert in_family(family, PersonOccupations((), ("Registered Nurse",))) is False
    assert in_family(family, PersonOccupations((), ())) is None and in_family(family, None) is None


def _judged(pid: int, title: str, *, quote: str = "") -> CandidateJudgement:
    evidence = [Evidence(start=0, end=len(quote), quote=quote)] if quote else []
    return CandidateJudgement(profile_id=pid, verdicts=[
        QualificationVerdict(qualification=0, verdict=title, evidence=evidence, reason="title"),  # type: ignore[arg-type]
        QualificationVerdict(qualification=1, verdict="meets", reason="skill")])


FAMILY = OccupationFamily(frozenset({"13-201"}), ("Accountants and Auditors",), ("Accountant",))


def test_someone_outside_the_family_goes_below_those_in_it() -> None:
    ranked = [_judged(1, "does_not"), _judged(2, "meets", quote="Accountant at X"), _judged(3, "partly"),
              _judged(4, "does_not")]
    members = {1: False, 2: True, 3: True, 4: False}

    out = family_order(ranked, members, ACCOUNTANT_QUALS, FAMILY)

    assert [j.profile_id for j in out] == [2, 3, 1, 4]
    assert out[2].warnings == ["Outside the role's occupation, Accountants and Auditors (SOC 13-2010): ranked after "
                               "the candidates in it, whatever the score."]
    # 4 was below everyone in the family already: no reason needed, nothing changes
    assert out[3].warnings == [] and out[0].warnings == [] and out[1].warnings == []


def test_someone_outside_the_family_stays_above_only_with_a_reason_shown() -> None:
    ranked = [_judged(1, "meets", quote="Accountant Assistant at Polar"), _judged(2, "meets", quote="Accountant"),
              _judged(3, "does_not")]
    members = {1: False, 2: True, 3: None}

    out = family_order(ranked, members, ACCOUNTANT_QUALS, FAMILY)

    assert [j.profile_id for j in out] == [1, 2, 3]
    assert out[0].warnings == ["Outside the role's occupation, Accountants and Auditors (SOC 13-2010): ranked by "
                               "score above candidates in it because “Has worked as an Accountant” is met: "
                               "“Accountant Assistant at Polar”."]
    # an unknown occupation keeps its place without a note
    assert out[2].warnings == []
