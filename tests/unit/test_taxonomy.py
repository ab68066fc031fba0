"""The O*NET/BLS taxonomy: skill aliases and spans, title normalisation, expectations, shipped data."""

from __future__ import annotations

import gzip
import json

import pytest

from tools.taxonomy import core_title, load, strip_seniority
from tools.taxonomy_build import TAXONOMY_FILE, build


@pytest.fixture(scope="module")
def tax():
    return load()


@pytest.mark.parametrize(("alias", "canonical"), [
    ("k8s", "Kubernetes"), ("golang", "Go"), ("Golang", "Go"), ("JS", "JavaScript"), ("Postgres", "PostgreSQL"),
    ("postgresql", "PostgreSQL"), ("AWS", "Amazon Web Services AWS software"), ("SQL", "Structured query language SQL"),
    ("MS Excel", "Microsoft Excel"), ("CI/CD", "Continuous integration and delivery"), ("Go", "Go"),
    ("Python", "Python"), ("python", "Python"), ("C++", "C++"), ("C#", "C#"), (".NET", "Microsoft .NET Framework"),
    ("Node.js", "Node.js"), ("Jira", "Atlassian JIRA"), ("iOS", "Apple iOS"),
])
def test_aliases_resolve(tax, alias: str, canonical: str) -> None:
    assert tax.normalize_skill(alias) == canonical


def test_ambiguous_words_need_their_usual_case(tax) -> None:
    assert tax.normalize_skill("go") is None
    text = "I go to work and excel at what I do. We react quickly."
    assert tax.skill_set(text) == []


def test_extraction_reports_verbatim_spans(tax) -> None:
    text = "Senior SRE: Go, k8s and Postgres; Python/Django, C++ and CI/CD pipelines. Some Node.js."
    mentions = tax.extract_skills(text)
    assert [m.skill for m in mentions] == [
        "Site reliability engineering", "Go", "Kubernetes", "PostgreSQL", "Python", "Django", "C++",
        "Continuous integration and delivery", "Node.js",
    ]
    for m in mentions:
        assert text[m.start:m.end] == m.surface
    assert [m.surface for m in mentions][2:4] == ["k8s", "Postgres"]


def test_expand_skill_lists_aliases(tax) -> None:
    forms = tax.expand_skill("k8s")
    assert forms[0] == "Kubernetes" and "k8s" in forms


@pytest.mark.parametrize(("title", "code", "seniority"), [
    ("Senior Software Engineer", "15-1252.00", "senior"),
    ("Sr. Backend Engineer", "15-1254.00", "senior"),
    ("Site Reliability Engineer", "15-1252.00", None),
    ("Registered Nurse", "29-1141.00", None),
    ("Data Scientist", "15-2051.00", None),
    ("HR Manager", "11-3121.00", "manager"),
    ("Junior Accountant", "13-2011.00", "junior"),
    ("frontend dev", "15-1254.00", None),
])
def test_titles_normalise_to_occupations(tax, title: str, code: str, seniority: str | None) -> None:
    match = tax.normalize_title(title)
    assert match is not None and match.code == code, match
    assert match.seniority == seniority


@pytest.mark.parametrize(("title", "core", "seniority"), [
    ("Sr. Backend Engineer II", "back end engineer", "senior"),
    ("Mid-level Data Analyst", "data analyst", "mid"),
    ("Entry level Data Entry Clerk", "data entry clerk", "junior"),  # "entry" alone is not a seniority word
    ("Data Entry Clerk", "data entry clerk", None),
    ("Head of Sales", "head sales", "director"),  # words that name the role stay
    ("VP of Engineering", "vp engineering", "executive"),
    ("Software Engineer II, Remote", "software engineer", "mid"),
    ("E & I Technician", "e i technician", None),  # a roman numeral counts only at the end
])
def test_seniority_words_leave_the_core_title(tax, title: str, core: str, seniority: str | None) -> None:
    assert tax.split_seniority(title) == (core, seniority)
    assert core_title(title) == core


def test_core_title_can_drop_a_plural() -> None:
    assert core_title("Senior Python Developers", singular=True) == "python developer"
    assert core_title("Senior Python Developers") == "python developers"
    assert core_title("Business Analyst", singular=True) == "business analyst"


def test_strip_seniority_keeps_the_words_as_written() -> None:
    assert strip_seniority(["Senior", "Backend", "Engineer"]) == (["Backend", "Engineer"], "senior")
    assert strip_seniority(["Entry", "level", "Engineering", "Manager"]) == (["Engineering", "Manager"], "manager")
    assert strip_seniority(["Level", "Designer"]) == (["Level", "Designer"], None)


def test_unknown_titles_are_not_forced_onto_an_occupation(tax) -> None:
    assert tax.normalize_title("qwerty zxcv") is None
    assert tax.normalize_title("") is None


def test_experience_expectations_and_wages(tax) -> None:
    dev = tax.experience_expectation("15-1252.00")
    assert dev.job_zone == 4 and dev.typical_education == "Bachelor's degree"
    assert 2 <= dev.p25_years <= dev.median_years <= dev.p75_years <= 10
    cashier = tax.experience_expectation("41-2011.00")
    assert cashier.median_years < dev.median_years
    wages = tax.wages("15-1252.00")
    assert wages["employment"] > 1_000_000 and wages["wage"]["p10"] < wages["wage"]["median"] < wages["wage"]["p90"]
    assert tax.metro_wage("15-1252.00", "0035620") > 100_000  # New York metro


def test_shipped_taxonomy_is_derived_from_the_raw_data(tmp_path, shared_data) -> None:
    data = shared_data
    if not (data / "onet").is_dir():
        pytest.skip(f"raw O*NET data not found at {data}")
    out = tmp_path / "taxonomy.json.gz"
    counts = build(data, out)
    assert counts["occupations"] == 1016 and counts["metros"] > 500
    with gzip.open(out, "rt") as a, gzip.open(TAXONOMY_FILE, "rt") as b:
        assert json.load(a) == json.load(b), "tools/taxonomy_data is stale: run `hire build-taxonomy`"


def test_a_generic_acronym_is_not_one_vendors_product() -> None:
    from tools.taxonomy import load

    tax = load()
    # "CAM Commerce Solutions Retail STAR Point of Sale POS" must not own "POS", nor one vendor's WMS own "WMS"
    assert tax.normalize_skill("POS") is None or "CAM Commerce" not in (tax.normalize_skill("POS") or "")
    assert tax.normalize_skill("WMS") == "Warehouse management system WMS"
    assert tax.normalize_skill("SQL") == "Structured query language SQL"
