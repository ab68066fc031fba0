"""What a one-line request's clauses are read as: a place named on its own is the location, context words, the
field some years were spent in and duties are no must-skills, product names alone in a clause still are, and
common recruiter titles resolve to the occupation a recruiter means."""

from __future__ import annotations

import pytest

from tools.requirements import extract_requirements
from tools.skill_phrases import esco_index
from tools.taxonomy import load


@pytest.fixture(scope="module")
def tax():
    return load()


@pytest.mark.parametrize(("text", "city"), [
    ("Dental hygienist, 2 years, Fargo", "Fargo"),  # a metro outside the largest ones, named without "in"
    ("Welder, 3 years, Lubbock", "Lubbock"),
    ("Bookkeeper, Xero, Tempe, hybrid", "Phoenix"),  # a large city inside a metro named after others
    ("Roofer, 2 years residential, Boise", "Boise"),
])
def test_place_named_as_its_own_clause_is_the_location(tax, text: str, city: str) -> None:
    req = extract_requirements(text, tax)
    assert req.location is not None and req.location.startswith(city) and req.country == "US"
    assert not any(city in skill for skill in req.must_skills)


def test_town_in_another_state_is_not_the_metro_of_the_same_name(tax) -> None:
    req = extract_requirements("Correctional officer, Huntsville, TX", tax)
    assert req.location == "Huntsville, TX, United States" and req.metro_code is None


@pytest.mark.parametrize(("text", "unread"), [
    ("Barista, coffee shop, Tulsa", "Coffee shop"),  # a context noun alone in its clause
    ("Roofer, 2 years residential, Boise", "2 years residential"),  # the field the years were spent in
    ("Lab tech, 2 years in a hospital lab, Fargo", "2 years in a hospital lab"),  # where they were spent
    ("Store manager, coach staff, Omaha", "Coach staff"),  # a duty
    ("Maintenance tech, troubleshoot equipment, 2 years, Toledo", "Troubleshoot equipment"),
])
def test_context_fields_and_duties_are_no_must_skills(tax, text: str, unread: str) -> None:
    req = extract_requirements(text, tax)
    assert req.must_skills == []
    assert unread in req.not_understood + req.other


def test_duty_phrase_from_the_skill_vocabulary_is_no_must_skill(tax) -> None:
    req = extract_requirements("Mechanic, 3 years, lead a team, Toledo", tax)
    assert req.must_skills == [] and req.years_min == 3


def test_product_name_alone_in_its_clause_is_a_skill(tax) -> None:
    req = extract_requirements("Dental assistant, 2 years, Eaglesoft, Fargo", tax)
    assert req.must_skills == ["Eaglesoft"]


def test_fragment_of_a_named_method_is_no_skill(tax) -> None:
    req = extract_requirements("Quality engineer, GD&T, Minitab, Toledo", tax)
    assert "Minitab" in req.must_skills
    assert not [s for s in req.must_skills if len(s) < 3]


def test_title_word_is_not_the_product_it_also_names(tax) -> None:
    req = extract_requirements("Project Manager (retail), Jira, Tulsa", tax)
    assert req.title == "Project Manager" and req.occupation_code == "13-1082.00"
    assert "Microsoft Project" not in req.must_skills and "Retail" not in req.must_skills


@pytest.mark.parametrize(("text", "code"), [
    ("Unarmed security officer, Reno", "33-9032.00"),
    ("Auto mechanic in Omaha", "49-3023.00"),
    ("Manufacturing supervisor, Toledo", "51-1011.00"),
    ("Fitness coach, Tulsa", "39-9031.00"),
    ("Kitchen supervisor for a hotel in Reno", "35-1012.00"),
])
def test_recruiter_titles_resolve_to_the_occupation_meant(tax, text: str, code: str) -> None:
    assert extract_requirements(text, tax).occupation_code == code


@pytest.mark.parametrize(("phrase", "duty"), [
    ("supervise cashiers", True), ("Managing vendors", True), ("use hand tools", True),
    ("report writing", False), ("Welding", False), ("civil engineering", False), ("first aid", False),
])
def test_verb_phrases_read_as_duties(phrase: str, duty: bool) -> None:
    assert esco_index().is_verb_phrase(phrase) is duty


def test_acronym_alone_in_its_clause_is_no_skill(tax) -> None:
    req = extract_requirements("Payroll clerk, ADP, 2 years, GL/AP, Tulsa", tax)
    assert not [s for s in req.must_skills if "GL" in s]


def test_tools_listed_in_brackets_are_each_a_skill(tax) -> None:
    req = extract_requirements("Receptionist in Tulsa, Microsoft Office (Outlook, Word)", tax)
    assert {"Microsoft Outlook", "Microsoft Word"} <= set(req.must_skills)
    assert not [s for s in req.must_skills if "Office Outlook" in s]


def test_each_language_keeps_the_level_written_before_it(tax) -> None:
    req = extract_requirements("Chef in Lyon, fluent French and good English", tax)
    assert req.language_levels == {"French": "fluent", "English": "professional"}
    req = extract_requirements("Nanny in Miami, fluent in English and Spanish", tax)
    assert req.language_levels == {"English": "fluent", "Spanish": "fluent"}


def test_place_on_its_own_wins_over_a_city_inside_a_name(tax) -> None:
    req = extract_requirements("Copy editor, Chicago Manual of Style, 2 years, Denver", tax)
    assert req.location is not None and req.location.startswith("Denver")
    assert "Denver" not in req.must_skills


def test_two_titles_joined_by_a_spaced_slash_are_two_titles(tax) -> None:
    req = extract_requirements("Receptionist / Office Assistant in Tulsa, Microsoft Word", tax)
    assert req.title == "Receptionist" and req.occupation_code == "43-4171.00"


def test_licence_before_the_title_is_a_credential_not_part_of_the_title(tax) -> None:
    req = extract_requirements("CDL-B bus driver in Tulsa, 1 year", tax)
    assert req.title == "Bus Driver" and req.occupation_code == "53-3051.00"
    assert req.credentials
