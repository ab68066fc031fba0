"""The classical intake: recruiter requests and job descriptions → requirements → template qualifications."""

from __future__ import annotations

import pytest

from tools.hiring import HiringRequirements
from tools.requirements import (
    describe,
    display_skill,
    draft_qualifications,
    extract_requirements,
    format_band,
    related_titles,
)
from tools.taxonomy import load

DEMO = "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years"

JOB_DESCRIPTION = """Senior Platform Engineer (m/f/d)

About us
We are a fast-growing fintech company with offices in London and New York. We were founded 10 years ago.

Location: Berlin, Germany (hybrid)

What you'll do
- Build and operate our Kubernetes clusters on AWS
- Mentor other engineers

Requirements:
- 5+ years of experience in backend or infrastructure engineering
- Strong experience with Go or Python
- Hands-on experience with Terraform and Docker
- Experience mentoring engineers
- Bachelor's degree in Computer Science or a related field
- Fluent English; German is a plus

Nice to have:
- Experience with Kafka and PostgreSQL
- Prometheus, Grafana

We offer
- 30 days of vacation
"""

PROSE_JD = """About the company
Acme Health is a digital health startup based in Boston.

We are looking for a Data Scientist to join our analytics team in New York.

What we're looking for
* 3-5 years of experience building machine learning models in production
* Excellent Python and SQL skills
* A PhD or Master's degree in Statistics, Computer Science or a related field
"""


@pytest.fixture(scope="module")
def tax():
    return load()


def _inferred_fields(req: HiringRequirements) -> set[str]:
    return {i.field for i in req.inferred}


# ---- the demo request ----------------------------------------------------------------------------------------


def test_demo_sentence(tax) -> None:
    req = extract_requirements(DEMO, tax)
    assert req.title == "Senior Backend Engineer"
    assert req.occupation_code is not None and req.occupation_code.startswith("15-12")
    assert req.seniority == "senior"
    assert req.years_min == 5 and req.years_max is None
    assert req.location == "Berlin, Germany" and req.country == "DE" and req.metro_code is None
    assert req.must_skills == ["Go", "Kubernetes"]
    assert req.nice_skills == [] and req.languages == [] and req.other == []
    assert req.questions == []
    assert req.salary_band is not None and req.salary_band.median and req.salary_band.area == "United States"
    assert _inferred_fields(req) == {"salary_band"}  # everything else was stated


def test_demo_title_words_are_not_skills(tax) -> None:
    req = extract_requirements("Senior DevOps engineer in Berlin, Terraform", tax)
    assert req.title == "Senior DevOps Engineer"
    assert "DevOps" not in req.must_skills
    assert req.must_skills == ["IBM Terraform"]


# ---- short requests --------------------------------------------------------------------------------------------


def test_registered_nurse_in_austin(tax) -> None:
    req = extract_requirements("Registered nurse in Austin, 3 years ICU experience", tax)
    assert req.title == "Registered Nurse"
    assert req.occupation_code == "29-1141.00"
    assert req.years_min == 3
    assert req.location is not None and req.location.startswith("Austin-Round Rock")
    assert req.country == "US" and req.metro_code == "0012420"
    assert req.other == ["3 years ICU experience"]
    assert req.salary_band is not None and req.salary_band.area.startswith("Austin")
    assert req.seniority == "mid" and "seniority" in _inferred_fields(req)


def test_junior_data_analyst_remote(tax) -> None:
    req = extract_requirements("Junior data analyst, SQL and Python, remote", tax)
    assert req.title == "Junior Data Analyst"
    assert req.occupation is not None and "Analyst" in req.occupation
    assert req.seniority == "junior"
    assert req.remote == "remote" and req.location is None
    assert req.must_skills == ["Structured query language SQL", "Python"]
    assert not any("Where should" in q for q in req.questions)  # remote answers "where"


def test_head_of_sales_in_london(tax) -> None:
    req = extract_requirements("Head of Sales in London", tax)
    assert req.title == "Head of Sales"
    assert req.occupation == "Sales Managers"
    assert req.seniority == "director"
    assert req.location == "London, United Kingdom" and req.country == "GB"
    assert "Sales" not in req.must_skills


def test_truck_driver_in_dallas(tax) -> None:
    req = extract_requirements("Truck driver in Dallas with CDL", tax)
    assert req.occupation == "Heavy and Tractor-Trailer Truck Drivers"
    assert req.location is not None and req.location.startswith("Dallas-Fort Worth")
    assert req.credentials == ["Commercial Driver's License (CDL)"] and req.other == []


def test_go_the_verb_is_not_a_skill(tax) -> None:
    req = extract_requirements("Java developer in Madrid, ready to go. Let's Go!", tax)
    assert "Go" not in req.must_skills
    assert req.must_skills == ["Oracle Java"]


def test_go_the_language_in_the_title(tax) -> None:
    req = extract_requirements("Go developer in Paris", tax)
    assert req.title == "Go Developer"
    assert req.occupation == "Software Developers"
    assert req.must_skills == ["Go"]


def test_seniority_words_are_the_taxonomys(tax) -> None:
    entry = extract_requirements("Entry level software engineer in Berlin", tax)
    assert entry.seniority == "junior" and entry.occupation_code == "15-1252.00"
    assert draft_qualifications(entry, tax)[0].text.startswith("Has worked as a Software Engineer or")
    clerk = extract_requirements("Data entry clerk in Chicago", tax)
    assert clerk.occupation == "Data Entry Keyers" and clerk.seniority is None
    vp = extract_requirements("VP of Sales in New York", tax)
    assert vp.occupation == "Sales Managers" and vp.seniority == "executive"
    numbered = extract_requirements("Software engineer II in Austin", tax)
    assert numbered.title == "Software Engineer" and numbered.other == []


def test_ambiguous_request_asks_questions(tax) -> None:
    req = extract_requirements("I need someone great", tax)
    assert req.occupation_code is None and req.title == ""
    assert req.questions and len(req.questions) <= 3
    assert any("role" in q for q in req.questions)
    assert any("based" in q for q in req.questions)
    assert req.salary_band is None and req.inferred == []


def test_missing_location_is_asked(tax) -> None:
    req = extract_requirements("Backend engineer, Go", tax)
    assert req.questions == ["Where should the person be based, and is remote work an option?"]


# ---- years -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Data engineer in Chicago, 3-5 years", 3, 5),
    ("Data engineer in Chicago, 3 to 5 yrs", 3, 5),
    ("Data engineer in Chicago, five years of experience", 5, None),
    ("Data engineer in Chicago, at least 4 years", 4, None),
    ("Data engineer in Chicago, 6 or more years", 6, None),
    ("Data engineer in Chicago, 7+ years", 7, None),
])
def test_years_phrasings(tax, text: str, low: float, high: float | None) -> None:
    req = extract_requirements(text, tax)
    assert (req.years_min, req.years_max) == (low, high)
    assert "years_min" not in _inferred_fields(req)


def test_age_is_not_experience(tax) -> None:
    req = extract_requirements("Nurse practitioner in Houston, must be 18 years or older", tax)
    assert "years_min" in _inferred_fields(req)  # the 18 was not read as experience
    assert req.other == ["Must be 18 years or older"]  # kept verbatim for the policy check


def test_inferred_years_and_seniority_are_marked(tax) -> None:
    senior = extract_requirements("Senior accountant in Chicago", tax)
    assert senior.years_min == 5
    years = next(i for i in senior.inferred if i.field == "years_min")
    assert "senior" in years.source

    plain = extract_requirements("Accountant in Chicago, QuickBooks", tax)
    expectation = tax.experience_expectation(plain.occupation_code)
    assert plain.years_min == int(expectation.p25_years)
    assert "O*NET" in next(i for i in plain.inferred if i.field == "years_min").source

    stated = extract_requirements("Accountant in Chicago, 6 years, QuickBooks", tax)
    assert stated.seniority == "senior" and "seniority" in _inferred_fields(stated)


# ---- location --------------------------------------------------------------------------------------------------


def test_zurich_without_accent(tax) -> None:
    req = extract_requirements("Python developer in Zurich", tax)
    assert req.location == "Zürich, Switzerland" and req.country == "CH"


def test_country_only(tax) -> None:
    req = extract_requirements("Backend engineer in Germany, Go", tax)
    assert req.country == "DE" and req.location is None and req.metro_code is None
    assert not any("based" in q for q in req.questions)
    location = next(q for q in draft_qualifications(req, tax) if q.location)
    assert location.text == "Based in or able to work from Germany"


def test_state_disambiguates_a_city(tax) -> None:
    oregon = extract_requirements("Data engineer in Portland, OR", tax)
    maine = extract_requirements("Data engineer in Portland, ME", tax)
    assert oregon.location != maine.location
    assert maine.location is not None and ", ME" in maine.location


@pytest.mark.parametrize(("text", "remote"), [
    ("Designer in Toronto, hybrid", "hybrid"), ("Designer, fully remote", "remote"),
    ("Designer in Toronto, on-site", "onsite"), ("Designer in Toronto", "unknown"),
])
def test_remote_words(tax, text: str, remote: str) -> None:
    assert extract_requirements(text, tax).remote == remote


# ---- languages and skills --------------------------------------------------------------------------------------


def test_spoken_languages(tax) -> None:
    req = extract_requirements("Software engineer in Munich, fluent German and English, Java", tax)
    assert req.languages == ["German", "English"]
    assert req.must_skills == ["Oracle Java"]


def test_german_speaker(tax) -> None:
    req = extract_requirements("Customer service representative in Berlin, German speaker", tax)
    assert req.languages == ["German"]


def test_nice_to_have_clauses(tax) -> None:
    req = extract_requirements("Backend engineer in Berlin, Go, Kubernetes; Docker or Terraform are a plus", tax)
    assert req.must_skills == ["Go", "Kubernetes"]
    assert req.nice_skills == ["Docker", "IBM Terraform"]


def test_no_stated_skills_infers_typical_ones(tax) -> None:
    req = extract_requirements("Software engineer in Seattle", tax)
    assert req.must_skills == []
    inferred = [i.value for i in req.inferred if i.field == "nice_skills"]
    assert len(inferred) == 3 and req.nice_skills == inferred
    assert all(s in {name for name, _hot, _demand in tax.occupations[req.occupation_code].tech} for s in inferred)


# ---- job descriptions ------------------------------------------------------------------------------------------


def test_pasted_job_description(tax) -> None:
    req = extract_requirements(JOB_DESCRIPTION, tax)
    assert req.title == "Senior Platform Engineer"
    assert req.seniority == "senior" and req.years_min == 5
    assert req.location == "Berlin, Germany" and req.remote == "hybrid"
    assert {"Go", "Python", "IBM Terraform", "Docker"} <= set(req.must_skills)
    assert {"Apache Kafka", "PostgreSQL", "Prometheus"} <= set(req.nice_skills)
    assert not set(req.nice_skills) & set(req.must_skills)
    assert req.languages == ["English"]  # German is only a plus
    assert "Experience mentoring engineers" in req.other
    assert "Bachelor's degree in Computer Science or a related field" in req.other
    assert "Computer science" not in req.must_skills
    assert len(req.other) <= 6


def test_prose_job_description(tax) -> None:
    req = extract_requirements(PROSE_JD, tax)
    assert req.title == "Data Scientist" and req.occupation == "Data Scientists"
    assert req.location is not None and req.location.startswith("New York")  # not the company's Boston
    assert (req.years_min, req.years_max) == (3, 5)
    assert req.must_skills == ["Machine learning", "Python", "Structured query language SQL"]


def test_title_line_of_a_job_description(tax) -> None:
    text = "Title: Registered Nurse\nLocation: Austin, TX\nRequirements:\n- BLS certification\n- 2+ years med-surg"
    req = extract_requirements(text, tax)
    assert req.occupation_code == "29-1141.00"
    assert req.metro_code == "0012420" and req.years_min == 2
    assert req.credentials == ["BLS certification"] and "BLS certification" not in req.other


# ---- qualifications --------------------------------------------------------------------------------------------


def test_draft_qualifications_order_and_fields(tax) -> None:
    req = extract_requirements(DEMO + ", fluent German, Docker is a plus. Experience mentoring engineers.", tax)
    quals = draft_qualifications(req, tax)
    texts = [q.text for q in quals]
    assert texts[0] == "Has worked as a Backend Engineer or in a similar software developer role"
    assert texts[1:] == [
        "5+ years of professional experience",
        "Hands-on experience with Go",
        "Hands-on experience with Kubernetes",
        "Based in or able to work from Berlin, Germany",
        "Fluent German",
        "Experience mentoring engineers.",
        "Experience with Docker",
    ]
    title, years, go, kube, place, german, other, docker = quals
    assert title.titles[0] == "Backend Engineer" and 1 < len(title.titles) <= 6
    assert all(t.split()[-1] == "Engineer" for t in title.titles)
    assert years.years_min == 5 and years.kind == "must"
    assert go.skills == ["Go"] and kube.skills == ["Kubernetes"] and go.weight == 1.0
    assert place.location == "Berlin, Germany"
    assert german.languages == ["German"]
    assert other.kind == "must" and not (other.skills or other.titles or other.languages)
    assert docker.kind == "nice" and docker.weight == 0.5 and docker.skills == ["Docker"] and not docker.inferred
    assert all(q.policy.status == "ok" for q in quals)


def test_remote_role_has_no_location_qualification(tax) -> None:
    req = extract_requirements("Junior data analyst, SQL and Python, remote", tax)
    assert not any(q.location for q in draft_qualifications(req, tax))


def test_inferred_items_are_nice_and_flagged(tax) -> None:
    req = extract_requirements("Registered nurse in Boston", tax)
    quals = draft_qualifications(req, tax)
    assert all(q.kind == "must" for q in quals if not q.inferred)
    inferred = [q for q in quals if q.inferred]
    assert inferred and all(q.kind == "nice" for q in inferred)
    assert {s for q in inferred for s in q.skills} == set(req.nice_skills)


def test_aliases_group_to_canonical(tax) -> None:
    req = HiringRequirements(title="Backend Engineer", must_skills=["k8s", "Kubernetes", "golang"])
    skills = [q.skills for q in draft_qualifications(req, tax) if q.skills]
    assert skills == [["Kubernetes"], ["Go"]]


def test_related_titles_share_the_head_noun(tax) -> None:
    titles = related_titles("Truck Driver", "53-3032.00", tax)
    assert titles and len(titles) <= 5 and all(t.endswith("Driver") for t in titles)


# ---- summary and determinism -----------------------------------------------------------------------------------


def test_describe(tax) -> None:
    text = describe(extract_requirements(DEMO, tax))
    assert "Role: Senior Backend Engineer" in text
    assert "(15-1254.00)" in text or "(15-12" in text
    assert "Must-have skills: Go, Kubernetes" in text
    assert "Location: Berlin, Germany" in text
    assert "BLS May 2025, national) (inferred)" in text
    assert "Salary band: $" in text and "median $" in text


def test_describe_marks_inferred_and_questions(tax) -> None:
    text = describe(extract_requirements("Senior nurse", tax))
    assert "Experience: 5+ years (inferred)" in text
    assert "Questions:" in text


def test_format_band() -> None:
    from tools.hiring import SalaryBand

    band = SalaryBand(p25=98000, median=131450, p75=165000)
    assert format_band(band) == "$98,000 – $165,000 (median $131,450, BLS May 2025, national)"


def test_display_skill(tax) -> None:
    assert display_skill("Amazon Web Services AWS software", tax) == "AWS"
    assert display_skill("IBM Terraform", tax) == "Terraform"
    assert display_skill("Microsoft Excel", tax) == "Microsoft Excel"


@pytest.mark.parametrize("text", [DEMO, JOB_DESCRIPTION, "Truck driver in Dallas with CDL", "I need someone great"])
def test_deterministic(tax, text: str) -> None:
    first = extract_requirements(text, tax)
    second = extract_requirements(text, tax)
    assert first == second
    assert draft_qualifications(first, tax) == draft_qualifications(second, tax)
    assert describe(first) == describe(second)
