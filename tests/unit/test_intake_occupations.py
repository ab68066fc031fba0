"""The classical intake across occupations: role phrases resolve to the right O*NET occupation in every major
group, inferred skills are the occupation's own, and every clause of a request is either read as a kind of
qualification, a stated requirement the recruiter reviews, or offered back as not understood."""

from __future__ import annotations

import pytest

from tools.hiring import HiringRequirements, QualificationSpec, qualification_factor
from tools.requirements import describe, draft_qualifications, extract_requirements, typical_skills
from tools.requirements.document import parse
from tools.requirements.infer import is_general_software
from tools.requirements.skills import find_nice_spans
from tools.taxonomy import load

OFFICE_TOOLS = ("Excel", "Outlook", "Word", "PowerPoint", "Microsoft Office")

# (request, title, O*NET code): common recruiter titles from all 22 SOC major groups, with headcounts, plurals,
# shifts and places around them.
ROLE_REQUESTS: list[tuple[str, str, str]] = [
    ("Marketing manager in Chicago, SEO and Google Analytics", "Marketing Manager", "11-2021.00"),
    ("HR generalist in San Jose, 5 years experience", "HR Generalist", "13-1071.00"),
    ("Recruiter in San Francisco, full-cycle recruiting", "Recruiter", "13-1071.00"),
    ("Logistics coordinator in Memphis, SAP, shipping and receiving", "Logistics Coordinator", "13-1081.00"),
    ("Accountant in Chicago, Excel", "Accountant", "13-2011.00"),
    ("Looking for 2 senior software engineers in Berlin, Go and Kubernetes", "Senior Software Engineer",
     "15-1252.00"),
    ("Civil engineer in Austin, AutoCAD", "Civil Engineer", "17-2051.00"),
    ("Environmental scientist in Denver", "Environmental Scientist", "19-2041.00"),
    ("Social worker in Philadelphia, case management", "Social Worker", "21-1021.00"),
    ("Paralegal in New York, litigation experience", "Paralegal", "23-2011.00"),
    ("Teacher for our elementary school in Sacramento", "Teacher", "25-2021.00"),
    ("High school math teacher in Sacramento", "High School Math Teacher", "25-2031.00"),
    ("Graphic designer in Seattle, Figma and Adobe Illustrator", "Graphic Designer", "27-1024.00"),
    ("Hiring 3 registered nurses for the ICU night shift in Houston", "Registered Nurse", "29-1141.00"),
    ("Dental hygienist in San Diego", "Dental Hygienist", "29-1292.00"),
    ("Physical therapist in Minneapolis, outpatient experience", "Physical Therapist", "29-1123.00"),
    ("Pharmacy technician in Columbus, Ohio", "Pharmacy Technician", "29-2052.00"),
    ("Hiring a CNA for night shift in Tampa, FL", "CNA", "31-1131.00"),
    ("Medical assistant in Phoenix, AZ, phlebotomy a plus", "Medical Assistant", "31-9092.00"),
    ("Security guard in Las Vegas, clean background check", "Security Guard", "33-9032.00"),
    ("Line cook in Chicago, 2 years experience", "Line Cook", "35-2014.00"),
    ("Barista in Portland, Oregon, latte art a plus", "Barista", "35-3023.01"),
    ("Janitor for night shift in Boston", "Janitor", "37-2011.00"),
    ("Landscaper in Charlotte, NC, mowing experience", "Landscaper", "37-3011.00"),
    ("Hairstylist for a salon in Miami", "Hairstylist", "39-5012.00"),
    ("Childcare worker in Raleigh, early childhood education", "Childcare Worker", "39-9011.00"),
    ("Cashier for our store in Orlando, cash handling, evenings and weekends", "Cashier", "41-2011.00"),
    ("Retail sales associate in Atlanta, Georgia, customer service", "Retail Sales Associate", "41-2031.00"),
    ("Insurance agent in Indianapolis", "Insurance Agent", "41-3021.00"),
    ("Real estate agent in Phoenix", "Real Estate Agent", "41-9022.00"),
    ("Bank teller in Kansas City, cash handling, customer service", "Bank Teller", "43-3071.00"),
    ("Bookkeeper in Austin with QuickBooks", "Bookkeeper", "43-3031.00"),
    ("Administrative assistant in Miami, scheduling", "Administrative Assistant", "43-6014.00"),
    ("Farmworker in Fresno, CA, harvesting experience, seasonal", "Farmworker", "45-2092.00"),
    ("Licensed electrician in Denver, 4 years experience", "Licensed Electrician", "47-2111.00"),
    ("Hiring electricians in Denver", "Electrician", "47-2111.00"),
    ("Plumber in Seattle, WA with own tools", "Plumber", "47-2152.00"),
    ("Carpenter in Nashville, framing and finish carpentry", "Carpenter", "47-2031.00"),
    ("Heavy equipment operator in Salt Lake City", "Heavy Equipment Operator", "47-2073.00"),
    ("Roofer in Dallas", "Roofer", "47-2181.00"),
    ("HVAC technician in Dallas, 3+ years experience", "HVAC Technician", "49-9021.00"),
    ("Auto mechanic in Tulsa", "Auto Mechanic", "49-3023.00"),
    ("Welder in Houston, TIG welding", "Welder", "51-4121.00"),
    ("Machinist in Cleveland, CNC programming, blueprint reading", "Machinist", "51-4041.00"),
    ("Need 5 forklift operators in Memphis", "Forklift Operator", "53-7051.00"),
    ("Truck driver in Atlanta, Georgia, clean driving record", "Truck Driver", "53-3032.00"),
    ("Need 10 warehouse associates for the night shift in Columbus, Ohio", "Warehouse Associate", "53-7062.00"),
]
# SOC major groups of desk work, where office software may be typical.
OFFICE_GROUPS = {"11", "13", "23", "43"}


@pytest.fixture(scope="module")
def tax():
    return load()


def _structured(q: QualificationSpec) -> bool:
    """A qualification some kind of check reads (title, years, skills, place, languages, credentials, work
    authorisation), or one the recruiter reviews."""
    return q.review or bool(q.titles or q.years_min or q.skills or q.location or q.languages or q.credentials
                            or q.work_authorization)


def _inferred_skills(req: HiringRequirements) -> list[str]:
    return [i.value for i in req.inferred if i.field == "nice_skills"]


# ---- occupations -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "title", "code"), ROLE_REQUESTS)
def test_role_resolves_in_every_group(tax, text: str, title: str, code: str) -> None:
    req = extract_requirements(text, tax)
    assert (req.title, req.occupation_code) == (title, code)
    quals = draft_qualifications(req, tax)
    assert quals[0].text.startswith("Has worked as ") and quals[0].titles
    assert all(_structured(q) for q in quals), [q.text for q in quals if not _structured(q)]
    for q in quals:  # no clause with the role in it copied in as a qualification
        assert not (q.review and title.lower().split()[-1] in q.text.lower()), q.text
        assert not q.text.lower().startswith(("hiring", "need", "looking")), q.text
    if code[:2] not in OFFICE_GROUPS:
        assert not [s for s in req.nice_skills if any(tool in s for tool in OFFICE_TOOLS)], req.nice_skills


def test_all_major_groups_are_covered() -> None:
    groups = {code[:2] for _, _, code in ROLE_REQUESTS}
    assert groups == {"11", "13", "15", "17", "19", "21", "23", "25", "27", "29", "31", "33", "35", "37", "39",
                      "41", "43", "45", "47", "49", "51", "53"}


@pytest.mark.parametrize(("text", "title"), [
    ("Hiring 3 registered nurses for the ICU night shift in Houston", "Registered Nurse"),
    ("Welders needed in Tulsa", "Welder"),
    ("Need 5 forklift operators in Memphis", "Forklift Operator"),
])
def test_titles_are_singular_without_headcount(tax, text: str, title: str) -> None:
    req = extract_requirements(text, tax)
    assert req.title == title
    assert draft_qualifications(req, tax)[0].text.startswith(f"Has worked as a {title} or in a similar")


def test_title_qualification_offers_similar_roles(tax) -> None:
    req = extract_requirements("Registered nurse in Houston", tax)
    assert draft_qualifications(req, tax)[0].text == "Has worked as a Registered Nurse or in a similar role"


@pytest.mark.parametrize("text", ["Retail sales associate in Atlanta", "Warehouse associate in Louisville, KY",
                                  "Sales associate in Reno"])
def test_associate_as_the_role_noun_is_no_seniority(tax, text: str) -> None:
    req = extract_requirements(text, tax)
    assert req.seniority is None and "junior" not in describe(req)


def test_associate_before_the_role_is_junior(tax) -> None:
    req = extract_requirements("Associate accountant in Boston", tax)
    assert (req.title, req.occupation_code, req.seniority) == ("Associate Accountant", "13-2011.00", "junior")


# ---- inferred skills -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["53-3032.00", "29-1141.00", "35-2014.00", "47-2111.00", "47-2031.00",
                                  "31-1131.00", "37-2011.00", "33-9032.00", "49-9021.00", "51-4121.00"])
def test_no_office_software_inferred_outside_desk_work(tax, code: str) -> None:
    assert not [s for s in typical_skills(code, tax) if is_general_software(s, tax)]


def test_truck_driver_infers_no_office_software(tax) -> None:
    req = extract_requirements("Truck driver in Atlanta, Georgia", tax)
    assert not [s for s in req.nice_skills if "Microsoft" in s]
    assert "Microsoft" not in " ".join(q.text for q in draft_qualifications(req, tax))


def test_nurse_infers_clinical_software(tax) -> None:
    inferred = typical_skills("29-1141.00", tax)
    assert inferred and all("Microsoft" not in s for s in inferred)
    assert {"Epic Systems", "MEDITECH software"} & set(inferred)


def test_office_work_may_infer_one_office_tool(tax) -> None:
    admin = typical_skills("43-6014.00", tax)
    assert len([s for s in admin if is_general_software(s, tax)]) == 1
    accountant = typical_skills("13-2011.00", tax)
    assert "Intuit QuickBooks" in accountant and len([s for s in accountant if is_general_software(s, tax)]) <= 1


def test_in_demand_technologies_come_first(tax) -> None:
    inferred = typical_skills("15-2051.00", tax)
    demanded = {name for name, _hot, demand in tax.occupations["15-2051.00"].tech if demand}
    assert inferred and set(inferred) <= demanded


# ---- every clause read -----------------------------------------------------------------------------------------


def test_nurse_request_has_no_fragments(tax) -> None:
    text = ("Hiring 3 registered nurses for the ICU night shift in Houston, BLS and ACLS certified, bilingual Spanish "
            "a plus")
    req = extract_requirements(text, tax)
    assert req.title == "Registered Nurse" and req.metro_code is not None
    quals = draft_qualifications(req, tax)
    assert all(_structured(q) for q in quals)
    texts = " | ".join(q.text for q in quals)
    assert "Hiring" not in texts and "3 registered" not in texts.lower() and "night shift" not in texts
    assert "For the ICU night shift" in req.not_understood  # the unit is offered back, not made a qualification
    assert "Not understood: For the ICU night shift" in describe(req)
    assert any("ICU" in q for q in req.questions)
    certified = [q for q in quals if "BLS" in q.text or q.credentials]
    assert certified and all(q.kind == "must" for q in certified)


def test_data_scientist_keeps_multi_word_skills(tax) -> None:
    req = extract_requirements("Looking for a data scientist in NYC who knows Python, A/B testing and stakeholder "
                               "management", tax)
    assert req.must_skills == ["Python", "A/B testing", "Stakeholder management"]
    assert req.other == [] and req.not_understood == []
    texts = [q.text for q in draft_qualifications(req, tax)]
    assert "Hands-on experience with A/B testing" in texts and "Hands-on experience with Testing" not in texts
    assert not [t for t in texts if t.startswith("Looking")]


@pytest.mark.parametrize("skill", ["machine learning", "customer service", "stakeholder management"])
def test_multi_word_skills_stay_whole(tax, skill: str) -> None:
    req = extract_requirements(f"Analyst in Denver with SQL, {skill}", tax)
    assert skill in [s.lower() for s in req.must_skills]


def test_state_after_a_city_is_part_of_the_place(tax) -> None:
    req = extract_requirements("Truck driver in Atlanta, Georgia, clean driving record, able to lift 50 lbs", tax)
    assert req.location and req.location.startswith("Atlanta") and req.metro_code is not None
    quals = draft_qualifications(req, tax)
    assert not [q for q in quals if q.text.strip(" .") == "Georgia"]
    reviewed = {q.text: q for q in quals if q.review}
    assert set(reviewed) == {"Clean driving record", "Able to lift 50 lbs"}
    assert all(qualification_factor(q) == 0 for q in reviewed.values())
    assert "Other: Clean driving record — needs your review" in describe(req)


def test_portland_maine_by_state_name(tax) -> None:
    req = extract_requirements("Welder in Portland, Maine", tax)
    assert req.metro_code is not None and "ME" in tax.metros[req.metro_code][0]


@pytest.mark.parametrize(("text", "stated"), [
    ("Registered nurse in Houston, night shift availability", "Night shift availability"),
    ("Warehouse associate in Louisville, able to lift 50 lbs", "Able to lift 50 lbs"),
    ("Plumber in Seattle, own tools and a valid driver's license", "Own tools and a valid driver's license"),
])
def test_uncheckable_requirements_are_for_review(tax, text: str, stated: str) -> None:
    req = extract_requirements(text, tax)
    quals = [q for q in draft_qualifications(req, tax) if q.text == stated]
    assert len(quals) == 1 and quals[0].review and quals[0].kind == "must"
    assert not (quals[0].skills or quals[0].titles)


@pytest.mark.parametrize("text", ["Janitor for night shift in Boston", "Cook for the weekend shift in Reno",
                                  "Need 10 warehouse associates for the night shift in Columbus, Ohio"])
def test_shift_headcount_and_place_are_no_qualifications(tax, text: str) -> None:
    req = extract_requirements(text, tax)
    assert req.other == [] and req.not_understood == []
    kinds = [bool(q.titles) or bool(q.location) or q.inferred for q in draft_qualifications(req, tax)]
    assert all(kinds)


def test_not_understood_is_offered_not_drafted(tax) -> None:
    req = extract_requirements("Customer service rep in Dallas with customer service, cash handling and a great "
                               "attitude", tax)
    assert req.not_understood == ["A great attitude"]
    assert req.must_skills == ["Customer service", "Cash handling"]
    assert "attitude" not in " ".join(q.text for q in draft_qualifications(req, tax))
    assert "Not understood: A great attitude" in describe(req)
    assert any("A great attitude" in q for q in req.questions)


# ---- nice to have ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Data analyst in Boston, SQL, Tableau a plus",
    "Data analyst in Boston, SQL, Tableau preferred",
    "Data analyst in Boston, SQL; nice to have: Tableau",
    "Data analyst in Boston, SQL, bonus: Tableau",
    "Data analyst in Boston, SQL, ideally Tableau",
])
def test_nice_markers_make_nice_skills(tax, text: str) -> None:
    req = extract_requirements(text, tax)
    assert req.must_skills == ["Structured query language SQL"] and req.nice_skills[:1] == ["Tableau"]


def test_a_plus_after_an_item_does_not_spread_forward(tax) -> None:
    req = extract_requirements("Accountant in Chicago, CPA a plus, Excel", tax)
    assert "Microsoft Excel" in req.must_skills


def test_cpa_a_plus_is_kept_as_nice(tax) -> None:
    text = "Senior accountant in Chicago, CPA a plus"
    req = extract_requirements(text, tax)
    quals = draft_qualifications(req, tax)
    cpa = [q for q in quals if "CPA" in q.text or any("CPA" in c for c in q.credentials)]
    assert cpa and all(q.kind == "nice" for q in cpa)
    doc = parse(text)
    at = text.index("CPA")
    assert any(start <= at < end for start, end in find_nice_spans(doc, []))


def test_nice_spans_cover_credentials_and_languages() -> None:
    text = "Truck driver in Dallas, CDL required, hazmat endorsement preferred, Spanish is a bonus"
    spans = find_nice_spans(parse(text), [])
    for word, nice in (("hazmat", True), ("Spanish", True), ("CDL", False)):
        at = text.index(word)
        assert any(start <= at < end for start, end in spans) is nice, word


def test_review_qualification_from_a_nice_clause_is_nice(tax) -> None:
    req = extract_requirements("Forklift operator in Memphis, forklift certification a plus", tax)
    quals = [q for q in draft_qualifications(req, tax) if "certification" in q.text.lower() or q.credentials]
    assert quals and all(q.kind == "nice" for q in quals)


def test_years_before_a_skill_phrase(tax) -> None:
    req = extract_requirements("Sales rep in Denver, must have a car, 2 years B2B sales", tax)
    assert req.years_min == 2 and "B2B sales" in req.must_skills
    assert req.other == ["Must have a car"] and req.not_understood == []


@pytest.mark.parametrize("credential", ["hazmat endorsement", "guard card", "journeyman license", "PTCB certified"])
def test_credential_phrases_are_no_skills(tax, credential: str) -> None:
    req = extract_requirements(f"Truck driver in Dallas, {credential}", tax)
    assert credential.lower() not in [s.lower() for s in req.must_skills + req.nice_skills]
