"""The Responsible-AI policy check: what is blocked, what is flagged for review, and what must stay ok."""

from __future__ import annotations

import pytest

from tools.hiring import PolicyCheck, QualificationSpec
from tools.policy import PROTECTED, SEVERAL, check_all, check_qualification, check_text, normalise

AGE, SEX, GENDER, RACE, ETHNICITY, RELIGION = "age", "sex", "gender", "race", "ethnicity", "religion"
NATIONAL, DISABILITY, PREGNANCY, FAMILY = "national origin", "disability", "pregnancy", "marital or family status"
ORIENTATION, GENETIC = "sexual orientation", "genetic information"

BLOCKED: list[tuple[str, str]] = [
    # The brief's examples.
    ("under 35", AGE),
    ("candidates under 35", AGE),
    ("aged 25-40", AGE),
    ("must be male", SEX),
    ("female only", SEX),
    ("no candidates planning a family", PREGNANCY),
    ("young and energetic team", AGE),
    ("no older workers", AGE),
    ("must be Christian", RELIGION),
    ("white candidates", RACE),
    ("no disabilities", DISABILITY),
    ("not pregnant", PREGNANCY),
    ("single, no kids", FAMILY),
    ("straight", ORIENTATION),
    ("born in Germany", NATIONAL),
    ("Requires genetic testing", GENETIC),
    ("Genetic tests", GENETIC),
    ("max 10 years of experience because we want young people", AGE),
    ("Under-35s", AGE),
    ("under thirty-five", AGE),
    ("< 35 years old", AGE),
    ("between 25 and 35 years old", AGE),
    ("male candidates", SEX),
    # Age.
    ("Over-50s need not apply", AGE),
    ("Applicants over 45 will not be considered", AGE),
    ("Age: 25-35", AGE),
    ("Maximum age 40", AGE),
    ("In their twenties", AGE),
    ("Twenty-somethings preferred", AGE),
    ("Born after 1990", AGE),
    ("Date of birth required", AGE),
    ("Millennials only", AGE),
    ("Youthful team", AGE),
    ("No retirees", AGE),
    ("Young candidates preferred", AGE),
    ("Looking for young talent", AGE),
    ("We want a young, dynamic team", AGE),
    ("No one older than 40", AGE),
    ("No candidates older than fifty", AGE),
    ("35 or younger", AGE),
    ("Must be between 30 and 40", AGE),
    ("18 to 30 year olds", AGE),
    ("Candidates should be under 40 years of age", AGE),
    ("At least 50 years old", AGE),
    ("Over 40 preferred", AGE),
    ("Ideally under 30", AGE),
    ("People in their 50s", AGE),
    # Sex and gender.
    ("Men only", SEX),
    ("Women preferred", SEX),
    ("Must be a woman", SEX),
    ("Gender: male", SEX),
    ("Preferably a man", SEX),
    ("No transgender applicants", GENDER),
    ("Must be a biological woman", GENDER),
    ("No non-binary applicants", GENDER),
    # Race and ethnicity.
    ("Caucasian only", RACE),
    ("Asian candidates", RACE),
    ("must be white", RACE),
    ("Race: white", RACE),
    ("Skin colour: fair", RACE),
    ("Fair-skinned", RACE),
    ("No Hispanics", ETHNICITY),
    ("Ethnicity: any but Roma", ETHNICITY),
    # Religion.
    ("Muslims need not apply", RELIGION),
    ("No Muslims", RELIGION),
    ("Devout Catholic", RELIGION),
    ("Practising Muslim", RELIGION),
    ("No hijab", RELIGION),
    ("Jewish candidates", RELIGION),
    ("Must share our faith", RELIGION),
    # National origin.
    ("Of Turkish origin", NATIONAL),
    ("Must be German", NATIONAL),
    ("No foreigners", NATIONAL),
    ("Native-born Americans", NATIONAL),
    ("Country of origin: Poland", NATIONAL),
    ("Polish candidates", NATIONAL),
    # Disability.
    ("No wheelchair users", DISABILITY),
    ("Not disabled", DISABILITY),
    ("Must be in perfect health", DISABILITY),
    ("No history of mental illness", DISABILITY),
    ("Must not use a wheelchair", DISABILITY),
    ("HIV negative", DISABILITY),
    # Pregnancy, marital and family status.
    ("Must not become pregnant", PREGNANCY),
    ("Pregnancy test required", PREGNANCY),
    ("No maternity leave plans", PREGNANCY),
    ("No pregnant women", PREGNANCY),
    ("Married candidates preferred", FAMILY),
    ("Must be single", FAMILY),
    ("No kids", FAMILY),
    ("Childless", FAMILY),
    ("Must not have children", FAMILY),
    ("No working mothers", FAMILY),
    ("Marital status: single", FAMILY),
    # Sexual orientation.
    ("No gays", ORIENTATION),
    ("Heterosexual", ORIENTATION),
    ("Sexual orientation: straight", ORIENTATION),
    ("Must be straight", ORIENTATION),
    # Genetic information.
    ("DNA test required", GENETIC),
    ("No family history of cancer", GENETIC),
    ("Genetic screening required", GENETIC),
]

FLAGGED: list[tuple[str, str]] = [
    # The brief's examples.
    ("native English speaker", NATIONAL),
    ("recent graduates only", AGE),
    ("digital native", AGE),
    ("culture fit", SEVERAL),
    ("clean-shaven", RELIGION),
    ("able-bodied", DISABILITY),
    ("graduated after 2020", AGE),
    ("no more than 8 years of experience", AGE),
    ("mother tongue German", NATIONAL),
    ("must have a photo", SEVERAL),
    ("citizens only", NATIONAL),
    ("US citizens only", NATIONAL),
    ("US citizen required", NATIONAL),
    # Age proxies and legal minimum ages.
    ("Recent grads", AGE),
    ("New grads only", AGE),
    ("Fresh graduates", AGE),
    ("Class of 2024", AGE),
    ("Graduated within the last 3 years", AGE),
    ("Max 5 years of experience", AGE),
    ("At most 3 years of experience", AGE),
    ("Up to 4 years of professional experience", AGE),
    ("3 years of experience max", AGE),
    ("No more than 2 years out of university", AGE),
    ("Overqualified candidates need not apply", AGE),
    ("Must be 18 or older", AGE),
    ("Must be at least 21 years old", AGE),
    ("No one under 18", AGE),
    ("Must be over 21", AGE),
    # National origin proxies and citizenship.
    ("Native Spanish speaker", NATIONAL),
    ("English as a first language", NATIONAL),
    ("Native German", NATIONAL),
    ("German citizens only", NATIONAL),
    ("Must be a US citizen", NATIONAL),
    ("Citizenship required", NATIONAL),
    ("Green card holders only", NATIONAL),
    ("EU nationals only", NATIONAL),
    ("Nationality: German", NATIONAL),
    ("No accent", NATIONAL),
    ("Neutral accent", NATIONAL),
    # Others.
    ("Cultural fit", SEVERAL),
    ("Must fit our culture", SEVERAL),
    ("Photo required", SEVERAL),
    ("Attach a headshot", SEVERAL),
    ("Good-looking", SEVERAL),
    ("Clean shaven", RELIGION),
    ("No beards", RELIGION),
    ("No head coverings", RELIGION),
    ("Physically fit", DISABILITY),
    ("Perfect eyesight", DISABILITY),
    ("20/20 vision", DISABILITY),
    ("No dreadlocks", RACE),
    ("Minimum height 170 cm", SEX),
    ("One of the guys", SEX),
]

OK: list[str] = [
    # The brief's examples.
    "5+ years of Go", "fluent German", "authorised to work in the EU", "Experience with Kubernetes",
    "Senior backend engineer", "Based in Berlin", "Bachelor's degree in Computer Science", "lift 50 lbs",
    "Experience mentoring junior engineers", "Youth counselling experience", "Java",
    "female health product experience", "5-10 years of experience",
    # Skills and tools.
    "Python 3.10 or above", "Java 17 and above", "Node 18 or above", "iOS 16 or later", "React Native",
    "Cloud-native architecture", "Native iOS development", "Race condition debugging", "White-box testing",
    "Black-box testing", "Single sign-on (SSO)", "Single-page applications", "Single-threaded performance tuning",
    "Gradient descent optimisation", "Straight-through processing", "Experience with genetic algorithms",
    "Six Sigma Black Belt", "Whiteboarding sessions", "AWS certified", "Expert in Go (Golang)",
    "Experience with Black Duck scanning", "Accent colour design system", "Experience with photo editing",
    "Photography portfolio", "Experience maintaining a 15-year-old codebase", "C# and .NET",
    # Years, seniority, degrees.
    "3 to 5 years of experience in fintech", "10+ years of experience", "Over 10 years of Python",
    "Managed a team of over 20 engineers", "Led teams of over 50 people", "Entry-level role", "Junior developer",
    "Master's degree", "PhD in physics", "High school diploma or equivalent", "Mature codebase maintenance",
    # Locations, languages, legal requirements.
    "Right to work in the UK", "No visa sponsorship available", "Valid driver's license", "Willing to travel 25%",
    "Relocate to Munich", "Fluent in Spanish and English", "Professional working proficiency in French",
    "Native-level Japanese", "Speaks Mandarin", "Experience with English-speaking clients",
    "US citizenship required for security clearance", "Software Engineer (m/f/d)", "Willing to work weekends",
    "Stand for long periods", "Able-bodied, able to lift 50 lbs",
    # Work with groups, sectors and markets.
    "Aged care nursing experience", "Experience in a young startup", "Young company, fast growth",
    "Islamic finance experience", "Experience marketing to Gen Z", "Experience caring for older adults",
    "Experience working with young people", "Family law experience",
    "Midwifery: experience caring for pregnant women", "Experience recruiting female engineers",
    "Experience in Latin American markets", "Experience in women's health", "Disability services experience",
    "Experience building accessible products for people with disabilities",
    "Experience supporting LGBTQ+ employee resource groups", "Experience with HIV research",
    # Numbers that are not ages.
    "Served in over 30 countries", "Reduce p99 latency to under 50 ms", "Salary under 60k",
    "Experience with Kubernetes at scale, over 100 nodes", "Practising lawyer", "Straightforward communicator",
    "Team player", "",
    # Wording that only looks like a condition on candidates.
    "Young talent programme manager", "Single parent support worker", "Born leader", "Straight A student",
    "Must be a German speaker", "Must be based in Germany", "Experience in family planning services",
    "Experience with older versions of Windows", "Native Android and iOS apps", "Black hat SEO knowledge",
    "Over 18 months of experience", "Teaching children aged 5-11", "Must be able to work nights",
]


@pytest.mark.parametrize(("text", "category"), BLOCKED)
def test_blocked(text: str, category: str) -> None:
    result = check_text(text)
    assert result.status == "blocked", result
    assert result.category == category
    assert result.matched
    assert result.explanation and result.explanation.startswith("Blocked")


@pytest.mark.parametrize(("text", "category"), FLAGGED)
def test_flagged(text: str, category: str) -> None:
    result = check_text(text)
    assert result.status == "flagged", result
    assert result.category == category
    assert result.matched
    assert result.explanation and "Suggested rewording:" in result.explanation


@pytest.mark.parametrize("text", OK)
def test_ok(text: str) -> None:
    assert check_text(text) == PolicyCheck(status="ok")


def test_enough_cases_of_each_class() -> None:
    assert len(BLOCKED) >= 35 and len(FLAGGED) >= 26 and len(OK) >= 30


def test_protected_categories() -> None:
    assert PROTECTED == (AGE, SEX, GENDER, RACE, ETHNICITY, RELIGION, NATIONAL, DISABILITY, PREGNANCY, FAMILY,
                         ORIENTATION, GENETIC)
    used = {c for _, c in BLOCKED + FLAGGED}
    assert used <= set(PROTECTED) | {SEVERAL}
    assert set(PROTECTED) <= {c for _, c in BLOCKED}


@pytest.mark.parametrize(("text", "words"), [
    ("under 35", ("ADEA", "2000/78/EC")),
    ("must be male", ("Title VII", "2006/54/EC")),
    ("white candidates", ("Title VII", "2000/43/EC")),
    ("no disabilities", ("Americans with Disabilities Act",)),
    ("Genetic tests", ("GINA",)),
])
def test_blocked_explanations_cite_the_law(text: str, words: tuple[str, ...]) -> None:
    explanation = check_text(text).explanation or ""
    assert all(w in explanation for w in words)


@pytest.mark.parametrize(("text", "suggestion"), [
    ("native English speaker", "fluent"),
    ("recent graduates only", "years of experience"),
    ("no more than 8 years of experience", "minimum experience"),
    ("able-bodied", "lift"),
])
def test_flagged_explanations_suggest_a_neutral_rewording(text: str, suggestion: str) -> None:
    result = check_text(text)
    assert "proxy" in (result.explanation or "")
    assert suggestion in (result.explanation or "").split("Suggested rewording:")[1]


def test_citizenship_mentions_the_security_clearance_exception() -> None:
    assert "security clearance" in (check_text("US citizens only").explanation or "")


def test_minimum_legal_age_is_flagged_not_blocked() -> None:
    assert check_text("Must be 18 or older").status == "flagged"
    assert "minimum age" in (check_text("Must be 18 or older").explanation or "")
    assert check_text("Must be 40 or older").status == "blocked"
    assert check_text("Under 18").status == "blocked"


def test_blocked_beats_flagged() -> None:
    result = check_text("Native English speaker, under 30, culture fit")
    assert (result.status, result.category, result.matched) == ("blocked", AGE, "under 30")


def test_matched_holds_the_triggering_words() -> None:
    assert check_text("Senior engineer; male candidates preferred").matched == "male candidates"
    assert check_text("Strong Go skills and a culture fit").matched == "culture fit"


@pytest.mark.parametrize("text", [
    "FEMALE ONLY", "F\u00e9male only", "fe\u200bmale only", "female\u00a0 only", "Under\u200b35",
    "under\u201335s", "Applicants aged fifty and over", "Candidates younger than thirty",
])
def test_normalisation_defeats_simple_evasions(text: str) -> None:
    assert check_text(text).status == "blocked"


def test_normalise() -> None:
    assert normalise("  Under\u200b  Thirty-Five  ") == "under 35"
    assert normalise("Caf\u00e9 \u2013 na\u00efve \u2019s") == "cafe - naive 's"
    assert normalise("twenty one, nineteen, forty") == "21, 19, 40"


def test_check_qualification_sets_policy_and_keeps_other_fields() -> None:
    q = QualificationSpec(text="Must be under 35", kind="nice", weight=2.0, skills=["Go"], titles=["SRE"],
                          years_min=3, location="Berlin", languages=["German"], inferred=True, id=7)
    checked = check_qualification(q)
    assert checked.policy.status == "blocked" and checked.policy.category == AGE
    assert checked.model_dump(exclude={"policy"}) == q.model_dump(exclude={"policy"})
    assert q.policy.status == "ok"  # the original is untouched


def test_check_all_keeps_order() -> None:
    qs = [QualificationSpec(text=t) for t in ("5+ years of Go", "native English speaker", "female only")]
    assert [q.policy.status for q in check_all(qs)] == ["ok", "flagged", "blocked"]
    assert [q.text for q in check_all(qs)] == [q.text for q in qs]
    assert check_all([]) == []
