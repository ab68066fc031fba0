"""Revising approved qualifications: the classical rule and the checks every brain's edits pass."""

from __future__ import annotations

from tools.hiring import PolicyCheck, QualificationSpec
from tools.revision import (
    NoSuchQualification,
    QualificationEdit,
    Revision,
    RevisionEdits,
    apply_edits,
    classical_edits,
    revise_qualifications,
)

QUALS = [
    QualificationSpec(text="5+ years of professional Python development", skills=["Python"], years_min=5, id=11),
    QualificationSpec(text="Hands-on experience with Kubernetes", skills=["Kubernetes"], id=12),
    QualificationSpec(text="Experience with Terraform", kind="nice", weight=2.0, skills=["Terraform"], id=13),
    QualificationSpec(text="Works as a backend engineer", titles=["Backend Engineer"], id=14),
]


def _revised(result: Revision | NoSuchQualification) -> Revision:
    assert isinstance(result, Revision), result
    return result


def test_loosening_makes_a_must_have_nice_to_have() -> None:
    revision = _revised(revise_qualifications(QUALS, "loosen the Kubernetes requirement", "Kubernetes"))
    assert revision.changes == ["“Hands-on experience with Kubernetes” is now nice to have"]
    kube = revision.qualifications[1]
    assert (kube.kind, kube.weight, kube.id) == ("nice", 0.5, None)
    # the others are untouched, ids kept
    assert [(q.text, q.kind, q.id) for q in revision.qualifications if q is not kube] == [
        (q.text, q.kind, q.id) for q in QUALS if q is not QUALS[1]]


def test_tightening_makes_a_nice_to_have_a_must_have() -> None:
    revision = _revised(revise_qualifications(QUALS, "Make Terraform mandatory", "Terraform"))
    assert revision.changes == ["“Experience with Terraform” is now a must-have"]
    assert [(q.kind, q.weight, q.id) for q in revision.qualifications][2] == ("must", 1.0, None)


def test_dropping_removes_and_a_nice_to_have_weighs_half() -> None:
    dropped = _revised(revise_qualifications(QUALS, "drop the python requirement", "python"))
    assert dropped.changes == ["removed “5+ years of professional Python development”"]
    assert [q.text for q in dropped.qualifications] == [q.text for q in QUALS[1:]]

    lighter = _revised(revise_qualifications(QUALS, "relax terraform", "terraform"))
    assert lighter.changes == ["“Experience with Terraform” weighs less"]
    assert [(q.kind, q.weight) for q in lighter.qualifications][2] == ("nice", 1.0)


def test_the_target_is_matched_on_sentence_skills_and_titles_without_filler_words() -> None:
    # "the ... requirement" are filler; "backend engineer" is found among the titles and in the sentence
    assert named_changes("soften the backend engineer requirement", "the backend engineer requirement") == [
        "“Works as a backend engineer” is now nice to have"]
    # every word must be there: "go" is not in the Python qualification
    result = revise_qualifications(QUALS, "loosen python and go", "python go")
    assert isinstance(result, NoSuchQualification)


def named_changes(instruction: str, target: str) -> list[str]:
    return _revised(revise_qualifications(QUALS, instruction, target)).changes


def test_no_such_qualification_says_what_there_is() -> None:
    for target in ("Rust", "", None, "the requirement"):
        result = revise_qualifications(QUALS, "loosen it", target)
        assert isinstance(result, NoSuchQualification)
        assert result.current == [q.text for q in QUALS]
    missing = revise_qualifications(QUALS, "drop Rust", "Rust")
    assert isinstance(missing, NoSuchQualification)
    assert missing.message == ("No qualification mentions “Rust”. Current: 5+ years of professional Python "
                               "development; Hands-on experience with Kubernetes; Experience with Terraform; "
                               "Works as a backend engineer")


def test_classical_edits_name_qualifications_by_index() -> None:
    assert classical_edits(QUALS, "relax terraform", "terraform").edits == [
        QualificationEdit(action="reweight", index=2, weight=1.0)]


def test_edits_out_of_range_repeated_or_changing_nothing_are_ignored() -> None:
    edits = RevisionEdits(edits=[
        QualificationEdit(action="remove", index=9),
        QualificationEdit(action="remove", index=-1),
        QualificationEdit(action="loosen"),  # no index
        QualificationEdit(action="require", index=0),  # already a must-have
        QualificationEdit(action="loosen", index=2),  # already nice to have
        QualificationEdit(action="reweight", index=2, weight=2.0),  # the weight it has
        QualificationEdit(action="add"),  # nothing to add
    ])
    result = apply_edits(QUALS, edits, "whatever")
    assert isinstance(result, NoSuchQualification) and result.target == "whatever"

    first_wins = RevisionEdits(edits=[QualificationEdit(action="loosen", index=1),
                                      QualificationEdit(action="remove", index=1),
                                      QualificationEdit(action="reweight", index=2, weight=4.0)])
    revision = _revised(apply_edits(QUALS, first_wins, None))
    assert revision.changes == ["“Hands-on experience with Kubernetes” is now nice to have",
                                "“Experience with Terraform” weighs more"]
    assert len(revision.qualifications) == len(QUALS)


def test_every_revision_passes_the_policy_check_again() -> None:
    edits = RevisionEdits(edits=[
        QualificationEdit(action="add", qualification=QualificationSpec(
            text="Candidates under 35", policy=PolicyCheck(status="ok"), id=99)),
        QualificationEdit(action="add", qualification=QualificationSpec(text="Speaks German", kind="nice",
                                                                         languages=["German"])),
    ])
    revision = _revised(apply_edits(QUALS, edits, None))
    assert revision.changes == ["added “Candidates under 35”", "added “Speaks German”"]
    under, german = revision.qualifications[-2:]
    assert (under.policy.status, under.policy.category, under.id) == ("blocked", "age", None)
    assert german.policy.status == "ok" and german.kind == "nice"
