"""Credentials, spoken languages with levels and work authorisation: the vocabulary finder, intake, the matcher's
verdicts with verbatim evidence, and the generated talent pool."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import pytest

from graphs.llm import judge_messages
from tools.credentials import (
    all_credentials,
    canonical_credential,
    find_authorization,
    find_credentials,
    level_in,
    satisfying,
    typical_credentials,
)
from tools.generator import generate
from tools.hiring import QualificationSpec
from tools.matching import Matcher
from tools.matching.kinds import REVIEW_REASON
from tools.matching.load import Candidate
from tools.requirements import draft_qualifications, extract_requirements


def names(text: str, occupation: str | None = None) -> list[str]:
    return [m.name for m in find_credentials(text, occupation)]


# ---- the vocabulary ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["CDL-A", "Class A CDL", "CDL class A", "CDL (Class A)", "class-a cdl",
                                  "Class A Commercial Driver's License", "Commercial Drivers License Class A"])
def test_the_ways_of_writing_a_class_a_cdl_are_one_credential(text: str) -> None:
    assert names(f"Driver, {text}, 5 years") == ["CDL Class A"]
    assert canonical_credential(text) == "CDL Class A"


def test_two_credentials_in_one_phrase_are_two_mentions() -> None:
    found = find_credentials("ICU nurse, BLS and ACLS certified")
    assert [(m.name, m.surface) for m in found] == [("BLS certification", "BLS"),
                                                    ("ACLS certification", "ACLS certified")]


@pytest.mark.parametrize("text", [
    "Median wage per BLS data is $60,000; BLS projects 5% growth.",
    "Salary benchmarked against the Bureau of Labor Statistics (BLS) survey.",
    "Drove a Customer Success Manager (CSM) team of 8.",
    "Cut CPA by 30% on paid search campaigns.",
    "Coded procedures with CPT and ICD-10 codes for billing.",
    "Read the CIA triad of confidentiality, integrity and availability.",
])
def test_look_alike_abbreviations_are_not_credentials(text: str) -> None:
    assert names(text) == []


def test_a_shared_abbreviation_is_told_apart_by_its_context() -> None:
    assert names("CMA certified, 6 years of management accounting and cost analysis") == [
        "Certified Management Accountant (CMA)"]
    assert names("CMA (AAMA) certified; took vitals and prepared patients") == [
        "Medical assistant certification (CMA/RMA)"]


@pytest.mark.parametrize(("text", "occupation", "expected"), [
    ("Medical social worker, LCSW required, 2+ years hospital experience", "21-1022.00",
     ["Licensed Clinical Social Worker (LCSW)"]),
    ("Civil Engineer, PE license required, AutoCAD Civil 3D", "17-2051.00", ["Professional Engineer (PE) licence"]),
    ("Corporate lawyer, admitted to the New York bar, 4+ years M&A", "23-1011.00",
     ["Bar admission (licensed attorney)"]),
    ("High school math teacher, certified to teach mathematics 7-12", "25-2031.00", ["Teaching certificate"]),
    ("CNA for a nursing home in Tampa, state CNA certification, CPR", "31-1131.00",
     ["Certified Nursing Assistant (CNA)", "Certified Nursing Assistant (CNA)", "CPR and First Aid certification"]),
    ("Dental assistant, radiography certificate, 2 years, Dentrix", "31-9091.00", ["Dental radiography certificate"]),
    ("Automotive technician, ASE certified, 3 years dealership experience", "49-3023.00", ["ASE certification"]),
    ("Welder, AWS certified, MIG and TIG, 3 years", "51-4121.00", ["AWS D1.1 welding certification"]),
    ("Plumber, journeyman plumbing license, valid driver's license", "47-2152.00",
     ["Journeyman plumber licence", "Driver's licence"]),
    ("Landscaper, pesticide applicator license a plus", "37-3011.00", ["Pesticide applicator licence"]),
    ("Title examiner, notary public a plus", "23-2093.00", ["Notary public commission"]),
    ("HR Generalist, SHRM-CP or CPHR preferred", "13-1071.00",
     ["SHRM-CP", "Chartered Professional in Human Resources (CPHR)"]),
    ("Safety specialist, CSP preferred, OSHA 30", "19-5011.00", ["Certified Safety Professional (CSP)", "OSHA 30"]),
    ("Personal trainer, NASM or ACE certification, CPR/AED", "39-9031.00",
     ["NASM Certified Personal Trainer", "ACE Certified Personal Trainer", "CPR and First Aid certification"]),
    ("Bartender, a TIPS or ServSafe Alcohol certification", "35-3011.00",
     ["Responsible alcohol service certification", "Responsible alcohol service certification"]),
    ("Kitchen manager, ServSafe Manager certification", "35-1012.00", ["ServSafe Manager certification"]),
    ("Line cook, ServSafe food handler, 2 years", "35-2014.00", ["Food handler card"]),
    ("Firefighter/EMT, EMT-B certification, Firefighter I and II", "33-2011.00",
     ["EMT certification", "EMT certification", "Firefighter II certification"]),
    ("Paralegal, paralegal certificate preferred", "23-2011.00", ["Paralegal certificate"]),
    ("Insurance sales agent, state property and casualty license", "41-3021.00",
     ["Property and casualty insurance licence"]),
    ("Medical assistant, CMA or RMA, 1 year clinic experience", "31-9092.00",
     ["Medical assistant certification (CMA/RMA)", "Medical assistant certification (CMA/RMA)"]),
    ("Industrial engineer, Lean and Six Sigma, Green Belt preferred", "17-2112.00", ["Lean Six Sigma Green Belt"]),
])
def test_credentials_of_many_occupations_are_found_in_requests(text: str, occupation: str,
                                                               expected: list[str]) -> None:
    assert names(text, occupation) == expected


@pytest.mark.parametrize("text", [
    "Valid driver's license and a clean driving record",
    "Must keep a clean driving record",
])
def test_a_clean_driving_record_is_not_a_licence(text: str) -> None:
    assert "Clean driving record" not in names(text)
    assert names(text) == (["Driver's licence"] if "license" in text else [])


def test_a_form_two_credentials_share_is_read_by_its_context() -> None:
    assert names("Welder, AWS certified, MIG and TIG") == ["AWS D1.1 welding certification"]
    assert names("Cloud engineer, AWS certified, EC2 and Lambda") == ["AWS certification (Amazon Web Services)"]
    assert names("AWS certified") == []  # nothing says which
    assert names("Passed the Cisco CNA exam years ago, network admin") == []
    assert names("Lives near the green belt; urban planning degree") == []
    assert canonical_credential("CMA", "31-9092.00") == "Medical assistant certification (CMA/RMA)"
    assert canonical_credential("CMA", "13-2011.00") == "Certified Management Accountant (CMA)"
    assert canonical_credential("PTCB certified") == "Certified Pharmacy Technician (CPhT)"
    assert canonical_credential("journeyman plumbing license") == "Journeyman plumber licence"


def test_an_asked_for_credential_that_another_includes_is_dropped() -> None:
    nurse = extract_requirements("LPN in Minneapolis, current LPN license, CPR/BLS certification")
    assert nurse.credentials == ["LPN/LVN licence", "BLS certification"]
    driver = extract_requirements("Truck driver in Memphis, CDL-A required, Class B CDL a plus")
    assert driver.credentials == ["CDL Class A"] and driver.nice_credentials == []
    trainer = extract_requirements("Personal trainer in Boston, NASM or ACE certification")
    assert trainer.credentials == ["NASM Certified Personal Trainer", "ACE Certified Personal Trainer"]
    hr = extract_requirements("HR manager in Chicago, PHR or SPHR required")
    assert hr.credentials == ["Professional in Human Resources (PHR)"]  # the weaker alternative: SPHR satisfies it


def test_an_abbreviation_counts_in_a_request_of_its_own_occupation() -> None:
    engineer = extract_requirements("Structural engineer in Denver, PE preferred, EIT required")
    assert engineer.credentials == ["Engineer in Training (EIT/FE)"]
    assert engineer.nice_credentials == ["Professional Engineer (PE) licence"]
    assert extract_requirements("Private equity analyst in New York, PE experience, Excel").credentials == []
    assert names("Coached PE classes at the middle school") == []


def test_abbreviations_count_in_a_certifications_section() -> None:
    text = "Summary\nNurse with 6 years of experience.\n\nLicenses & Certifications\nBLS\nPALS\n"
    assert names(text) == ["BLS certification", "PALS certification"]


@pytest.mark.parametrize(("text", "status"), [
    ("Pursuing the PMP certification", "in_progress"), ("CPA candidate, 3 of 4 sections passed", "in_progress"),
    ("ACLS (expired 2021)", "expired"), ("Expired ACLS", "expired"), ("ACLS - issued 2023", "held"),
])
def test_status_of_a_mention(text: str, status: str) -> None:
    [mention] = find_credentials(text)
    assert mention.status == status


def test_every_credential_has_sources_occupations_and_valid_links() -> None:
    creds = all_credentials()
    assert len(creds) >= 50
    for cred in creds.values():
        assert cred.source and cred.occupations and cred.aliases
        assert all(other in creds for other in cred.satisfied_by), cred.name
        assert all(0 < share <= 1 for share in cred.share.values())
    assert satisfying("CDL Class C") == ["CDL Class C", "CDL Class A", "CDL Class B"]
    assert {c.name for c, _share in typical_credentials("53-3032.00")} >= {"CDL Class A", "CDL Class B"}


def test_every_written_form_is_found_under_a_certifications_heading() -> None:
    for cred in all_credentials().values():
        for form in (*cred.aliases, *cred.exact):
            text = f"Experience\nDid the work.\n\nLicenses & Certifications\n{form} - issued 2020\n"
            found = names(text, cred.occupations[0])
            assert found and found[0] in satisfying(cred.name) + [cred.name] or any(
                form in c.aliases + c.exact for c in all_credentials().values() if c.name in found), (form, found)


@pytest.mark.parametrize(("text", "level"), [
    ("fluent", "fluent"), ("C1", "fluent"), ("Native or bilingual proficiency", "native"), ("B2", "professional"),
    ("Professional working proficiency", "professional"), ("A2", "basic"), ("conversational", "basic"),
])
def test_language_levels_and_cefr(text: str, level: str) -> None:
    assert level_in(text) == level


def test_work_authorisation_statements() -> None:
    text = "Authorized to work in the US. Will not require visa sponsorship."
    found = find_authorization(text)
    assert [(a.country, a.held, text[a.start:a.end]) for a in found] == [
        ("US", True, "Authorized to work in the US"), (None, True, "Will not require visa sponsorship")]
    [needs] = find_authorization("Work authorization: will require H-1B sponsorship")
    assert needs.held is False
    [negated] = find_authorization("Not authorized to work in Canada")
    assert (negated.country, negated.held) == ("CA", False)


# ---- intake ------------------------------------------------------------------------------------------------


def test_cdl_driver_request() -> None:
    req = extract_requirements("Regional CDL class A truck driver in Dallas, Texas, 2+ years, clean driving record, "
                               "hazmat endorsement a plus")
    assert req.credentials == ["CDL Class A"]
    assert req.nice_credentials == ["Hazmat endorsement (H)"]
    assert not any("hazmat" in o.lower() for o in req.other)
    quals = {q.text: q for q in draft_qualifications(req)}
    assert quals["Holds a CDL Class A licence"].credentials == ["CDL Class A"]
    assert quals["Holds a CDL Class A licence"].kind == "must"
    hazmat = quals["Holds a hazmat endorsement (H)"]
    assert hazmat.kind == "nice" and hazmat.credentials[0] == "Hazmat endorsement (H)"


def test_nurse_and_accountant_requests() -> None:
    nurse = extract_requirements("ICU registered nurse in Houston, BLS and ACLS certified")
    assert nurse.credentials == ["BLS certification", "ACLS certification"]
    texts = [q.text for q in draft_qualifications(nurse)]
    assert "Holds a BLS certification" in texts and "Holds an ACLS certification" in texts
    accountant = extract_requirements("Staff accountant in Chicago, 3+ years, CPA a plus")
    assert accountant.credentials == [] and accountant.nice_credentials == ["Certified Public Accountant (CPA)"]
    assert accountant.other == []


@pytest.mark.parametrize(("text", "must", "nice", "levels"), [
    ("Customer support agent in Miami, fluent Spanish", ["Spanish"], [], {"Spanish": "fluent"}),
    ("Customer service rep in Phoenix, bilingual Spanish a plus", [], ["Spanish"], {"Spanish": "fluent"}),
    ("Bilingual English/Spanish customer service representative in Houston", ["English", "Spanish"], [],
     {"English": "fluent", "Spanish": "fluent"}),
    ("Software engineer in London, German (C1) preferred", [], ["German"], {"German": "fluent"}),
])
def test_languages_with_levels(text: str, must: list[str], nice: list[str], levels: dict[str, str]) -> None:
    req = extract_requirements(text)
    assert (req.languages, req.nice_languages, req.language_levels) == (must, nice, levels)
    quals = [q for q in draft_qualifications(req) if q.languages]
    assert [(q.text, q.kind) for q in quals] == [(f"Fluent {x}", "must") for x in must] + [
        (f"Fluent {x}", "nice") for x in nice]
    assert all(q.language_level == "fluent" for q in quals)
    assert not any("Spanish" in o or "bilingual" in o.lower() for o in req.other)


def test_a_native_speaker_is_asked_as_fluent() -> None:
    req = extract_requirements("Spanish teacher in Madrid, native Spanish speaker")
    assert req.language_levels == {"Spanish": "native"}
    [spanish] = [q for q in draft_qualifications(req) if q.languages]
    assert (spanish.text, spanish.language_level) == ("Fluent Spanish", "fluent")


def test_work_authorisation_and_remote_within_a_country() -> None:
    req = extract_requirements("Remote (US only) accountant, CPA required, must be authorized to work in the US")
    assert (req.remote, req.country, req.work_authorization) == ("remote", "US", "US")
    assert req.credentials == ["Certified Public Accountant (CPA)"] and req.other == []
    quals = {q.text: q for q in draft_qualifications(req)}
    assert quals["Authorised to work in the United States"].work_authorization == "US"
    assert quals["Based in the United States (remote within the country)"].location == "United States"
    uk = extract_requirements("Data analyst in Manchester, must have the right to work in the UK")
    assert uk.work_authorization == "GB"
    canada = extract_requirements("Project manager, remote within Canada, no visa sponsorship")
    assert (canada.remote, canada.country, canada.work_authorization) == ("remote", "CA", "CA")


# ---- the matcher -------------------------------------------------------------------------------------------

DRIVER = """Maria Lopez
Truck Driver at Blue Logistics
Dallas-Fort Worth-Arlington, TX, United States

Summary
Truck Driver with 6 years of experience. Known for safe regional routes and on-time deliveries.

Experience
Truck Driver at Blue Logistics
Jan 2020 - Present
Drove regional routes across Texas and delivered loads on schedule.

Licenses & Certifications
CDL Class A - issued 2019, Texas
ACLS (expired 2021)
Pursuing the PMP certification

Languages
English (Native)
Spanish (Professional working proficiency)

Additional Information
Authorized to work in the United States.
"""

COURIER = """John Smith
Delivery Driver
Berlin, Germany

Summary
Delivery driver with 3 years of experience in the city and a good safety record on every route.

Licenses & Certifications
CDL-B

Work authorization: will require visa sponsorship
"""


def judge(text: str, quals: list[QualificationSpec], **kw) -> list[tuple[str, str, list[str]]]:
    candidate = Candidate(profile_id=1, text=text, **kw)
    judgement = Matcher(quals).judge(candidate)
    for v in judgement.verdicts:
        for e in v.evidence:
            assert text[e.start:e.end] == e.quote
    return [(v.verdict, v.reason, [e.quote for e in v.evidence]) for v in judgement.verdicts]


def test_credential_verdicts_with_evidence() -> None:
    quals = [QualificationSpec(text="Holds a CDL Class A licence", credentials=["CDL Class A"]),
             QualificationSpec(text="Holds a CDL Class B licence", credentials=satisfying("CDL Class B")),
             QualificationSpec(text="Holds an ACLS certification", credentials=["ACLS certification"]),
             QualificationSpec(text="PMP", credentials=["Project Management Professional (PMP)"]),
             QualificationSpec(text="Holds a BLS certification", credentials=["BLS certification"])]
    driver = judge(DRIVER, quals, location="Dallas-Fort Worth-Arlington, TX, United States", country="US")
    assert driver[0][:1] == ("meets",) and driver[0][2] == ["CDL Class A - issued 2019, Texas"]
    assert driver[1][0] == "meets" and "includes CDL Class B" in driver[1][1]
    assert driver[2][0] == "partly" and "expired" in driver[2][1] and driver[2][2] == ["ACLS (expired 2021)"]
    assert driver[3][0] == "partly" and "in progress" in driver[3][1]
    assert driver[4] == ("no_evidence", "No mention of BLS certification", [])
    courier = judge(COURIER, quals[:2], location="Berlin, Germany", country="DE")
    assert courier[0][0] == "does_not" and courier[0][2] == ["CDL-B"]
    assert courier[1][0] == "meets"


def test_credentials_as_a_model_writes_them() -> None:
    quals = [QualificationSpec(text="CDL B", credentials=["Class B CDL"]),
             QualificationSpec(text="FAA A&P", credentials=["FAA Airframe and Powerplant (A&P)"])]
    driver = judge(DRIVER + "FAA Airframe and Powerplant certificate\n", quals)
    assert driver[0][0] == "meets" and "includes CDL Class B" in driver[0][1]
    assert driver[1][0] == "meets" and driver[1][2] == ["FAA Airframe and Powerplant certificate"]
    assert judge(COURIER, quals[1:])[0] == ("no_evidence", "No mention of FAA Airframe and Powerplant (A&P)", [])


def test_language_verdicts() -> None:
    quals = [QualificationSpec(text="Fluent Spanish", languages=["Spanish"], language_level="fluent"),
             QualificationSpec(text="Professional Spanish", languages=["Spanish"], language_level="professional"),
             QualificationSpec(text="Fluent English", languages=["English"], language_level="professional"),
             QualificationSpec(text="Speaks German", languages=["German"])]
    driver = judge(DRIVER, quals, location="Dallas-Fort Worth-Arlington, TX, United States", country="US")
    assert driver[0][0] == "partly" and "fluent asked" in driver[0][1]
    assert driver[0][2] == ["Spanish (Professional working proficiency)"]
    assert driver[1][0] == "meets"
    assert driver[2][0] == "meets" and driver[2][2] == ["English (Native)"]
    assert driver[3] == ("no_evidence", "No mention of German", [])
    courier = judge(COURIER, quals[2:3], location="Berlin, Germany", country="DE")
    assert courier[0][0] == "meets" and "written in English" in courier[0][1]
    spanish_only = judge(COURIER, quals[:1], location="Berlin, Germany", country="DE")
    assert "English" not in spanish_only[0][1]


def test_work_authorisation_verdicts() -> None:
    qual = [QualificationSpec(text="Authorised to work in the United States", work_authorization="US")]
    stated = judge(DRIVER, qual, location="Dallas-Fort Worth-Arlington, TX, United States", country="US")
    assert stated[0][:1] == ("meets",) and stated[0][2] == ["Authorized to work in the United States"]
    unstated = DRIVER.replace("Authorized to work in the United States.", "Enjoys hiking.")
    based = judge(unstated, qual, location="Dallas-Fort Worth-Arlington, TX, United States", country="US")
    assert based[0][0] == "partly" and "work authorisation not stated" in based[0][1]
    abroad = judge(COURIER.replace("Work authorization: will require visa sponsorship", ""), qual,
                   location="Berlin, Germany", country="DE")
    assert abroad[0][0] == "no_evidence"
    needs = judge(COURIER.replace("Berlin, Germany", "Austin, TX, United States"), qual,
                  location="Austin, TX, United States", country="US")
    assert needs[0][0] == "does_not"


def test_review_qualifications_are_not_checked_or_scored() -> None:
    quals = [QualificationSpec(text="Clean driving record", review=True),
             QualificationSpec(text="Holds a CDL Class A licence", credentials=["CDL Class A"])]
    candidate = Candidate(profile_id=1, text=DRIVER)
    matcher = Matcher(quals)
    verdicts = matcher.judge(candidate).verdicts
    assert (verdicts[0].verdict, verdicts[0].reason) == ("no_evidence", REVIEW_REASON)
    assert matcher.score(candidate) == 1.0


def test_the_evaluator_prompt_carries_the_new_fields() -> None:
    quals = [QualificationSpec(text="Fluent Spanish", languages=["Spanish"], language_level="fluent"),
             QualificationSpec(text="Holds a CDL Class B licence", credentials=["CDL Class B", "CDL Class A"]),
             QualificationSpec(text="Clean driving record", review=True)]
    prompt = "\n".join(str(m.content) for m in judge_messages(1, "text", quals))
    assert 'languages="Spanish" level="fluent">Fluent Spanish<' in prompt
    assert 'credentials="CDL Class B; CDL Class A">' in prompt
    assert 'review="true">Clean driving record<' in prompt


# ---- the generated pool ------------------------------------------------------------------------------------

# The first 300 profiles of seed 7 as generated before credentials and languages were added: every field then
# written must stay the same.
OLD_FIELDS_SHA256 = "c04702910f76bda66b4a908fec2ec5174769a8e089eb0f2a68efc1c0765983f6"
_NEW_SECTIONS_RE = re.compile(r"\n\n(?:Licenses & Certifications|Languages|Additional Information)\n")


def test_earlier_generated_fields_are_unchanged() -> None:
    digest = hashlib.sha256()
    for p in generate(300, seed=7):
        truth = {k: v for k, v in (p.ground_truth or {}).items() if k not in ("credentials", "languages")}
        m = _NEW_SECTIONS_RE.search(p.raw_text)
        old_text = p.raw_text[:m.start() + 1] if m else p.raw_text
        row = [p.full_name, p.current_title, p.location, p.skills, truth, old_text]
        digest.update(json.dumps(json.loads(json.dumps(row, default=str)), sort_keys=True, default=str).encode())
    assert digest.hexdigest() == OLD_FIELDS_SHA256


def test_generated_credentials_and_languages_are_written_and_found() -> None:
    pool = list(generate(1500, seed=3))
    with_credentials = [p for p in pool if p.ground_truth and p.ground_truth["credentials"]]
    assert len(with_credentials) > 150
    for p in with_credentials:
        section = p.raw_text.index("\nLicenses & Certifications\n")
        found: dict[str, str] = {}
        for m in find_credentials(p.raw_text[section:], p.occupation_code):
            found.setdefault(m.name, m.status)
        assert found == p.ground_truth["credentials"]
    drivers = [p for p in pool if (p.occupation_code or "").startswith("53-3032")]
    cdl = [p for p in drivers if any(c.startswith("CDL") for c in p.ground_truth["credentials"])]
    assert drivers and 0.6 < len(cdl) / len(drivers) < 1.0  # most drivers, not all: the check discriminates
    spanish = Counter(("TX" in (p.location or "")) for p in pool if "Spanish" in p.ground_truth["languages"])
    texans = sum(1 for p in pool if "TX" in (p.location or ""))
    assert spanish[True] / max(texans, 1) > spanish[False] / (len(pool) - texans)
    assert all("\nLanguages\n" in p.raw_text for p in pool if p.ground_truth["languages"])
