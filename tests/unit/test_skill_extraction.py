"""Skill extraction from job text: ESCO skill phrases next to the O*NET vocabulary, and its precision guards."""

from __future__ import annotations

import pytest

from tools.requirements import extract_requirements
from tools.skill_phrases import PhraseIndex, esco_index, stem
from tools.taxonomy import load


@pytest.fixture(scope="module")
def tax():
    return load()


def _skills(tax, text: str) -> list[str]:
    return [m.skill for m in tax.extract_skills(text)]


@pytest.mark.parametrize(("text", "skill", "surface"), [
    ("Fluent German and English are required", "German", "German"),
    ("Fluent German and English are required", "English", "English"),
    ("You will be leading a team of five engineers", "lead a team", "leading a team"),
    ("Experience with cloud technologies", "cloud technologies", "cloud technologies"),
    ("Strong stakeholder management", "manage relationships with stakeholders", "stakeholder management"),
    ("Staff management and shift scheduling", "manage staff", "Staff management"),
    ("Wind turbine maintenance on site", "maintain wind turbines", "Wind turbine maintenance"),
    ("Comfortable cooperating with colleagues across sites", "cooperate with colleagues",
     "cooperating with colleagues"),
    ("A background in molecular biology", "molecular biology", "molecular biology"),
    ("You are a team player", "work in teams", "team player"),
])
def test_esco_phrases_are_found_with_their_span(tax, text: str, skill: str, surface: str) -> None:
    found = {m.skill: m for m in tax.extract_skills(text)}
    assert skill in found
    mention = found[skill]
    assert text[mention.start:mention.end] == mention.surface == surface


def test_the_o_net_vocabulary_keeps_its_names(tax) -> None:
    assert _skills(tax, "Python and Kubernetes on AWS") == ["Python", "Kubernetes", "Amazon Web Services AWS software"]


def test_a_longer_esco_phrase_covers_a_product_word(tax) -> None:
    assert _skills(tax, "Experience of Cloud Technologies") == ["cloud technologies"]


@pytest.mark.parametrize("text", [
    "Reporting to the Head of Sales",
    "Pricing, mapping and testing, etc.",
    "We print less paper than last year",
    "Experience in energy and history is welcome",
])
def test_plain_words_are_not_skills(tax, text: str) -> None:
    assert tax.extract_skills(text) == []


def test_curated_case_sensitive_words_keep_their_rule(tax) -> None:
    assert _skills(tax, "MS Project and Word") == ["Microsoft Project", "Microsoft Word"]
    assert _skills(tax, "5 years of public accounting") == []
    assert _skills(tax, "Accounting") == ["Accounting"]


def test_a_vendor_product_is_found_by_its_product_name(tax) -> None:
    assert _skills(tax, "3D models in SolidWorks and dashboards in QlikView") == [
        "Dassault Systemes SolidWorks", "Qlik Tech QlikView"]
    assert _skills(tax, "solidworks") == []  # a product name is matched as written


def test_a_capitalised_label_needs_its_capital(tax) -> None:
    assert _skills(tax, "LESS and Sass for our styles") == ["LESS", "Sass"]
    assert [p.label for p in esco_index().find("CSS/SASS and less")] == ["CSS", "Sass"]


def test_normalize_skill_knows_esco_labels(tax) -> None:
    assert tax.normalize_skill("Java (computer programming)") == tax.normalize_skill("java") == "Oracle Java"
    assert tax.normalize_skill("Cloud Technologies") == "cloud technologies"
    assert tax.normalize_skill("Reporting") is None  # a plain word, no longer 'Reporting software'


@pytest.mark.parametrize(("a", "b"), [("solving", "solve"), ("teams", "team"), ("planning", "plan"),
                                      ("technologies", "technology"), ("processes", "process"),
                                      ("installed", "install")])
def test_inflected_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_a_small_vocabulary_is_matched_by_the_same_rules() -> None:
    index = PhraseIndex(["solve problems", "German", "history", "manage budgets"])
    found = [(p.label, p.start, p.end) for p in index.find("Solving problems in german and German; budget management")]
    assert found == [("solve problems", 0, 16), ("German", 31, 37), ("manage budgets", 39, 56)]


def test_the_shipped_vocabulary_is_the_esco_label_list() -> None:
    index = esco_index()
    assert len(index.labels) > 13_000
    assert "manage relationships with stakeholders" in index.labels


def test_intake_keeps_languages_apart_from_skills(tax) -> None:
    req = extract_requirements("Customer success manager in Berlin, fluent German and English, Salesforce", tax)
    assert "Salesforce software" in req.must_skills
    assert "German" not in req.must_skills and "English" not in req.must_skills
