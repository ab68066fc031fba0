"""The measurement across occupations: its report as ``hire eval --small`` writes it, and its metrics on
hand-checked cases (the thresholds themselves are not asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eval import skill_extraction
from eval.intake_fields import FIELDS, checkable, field_right, fold_credential, location_right, score_roles
from eval.occupation_pool import build_pool, precision_at_top, shortlist_precision
from eval.occupations import load_roles
from tools.hiring import HiringRequirements, Inferred, QualificationSpec
from tools.taxonomy import load

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tax():
    return load()


def test_the_data_set_covers_every_major_group_three_times(tax) -> None:
    roles = load_roles()
    groups = {}
    for role in roles:
        groups.setdefault(role["group"], []).append(role)
        assert role["expected"]["occupation_code"] in tax.occupations
        assert role["expected"]["occupation_code"].startswith(role["group"])
        assert set(role["expected"]) == set(FIELDS)
    assert sorted(groups) == ["11", "13", "15", "17", "19", "21", "23", "25", "27", "29", "31", "33", "35", "37",
                              "39", "41", "43", "45", "47", "49", "51", "53"]
    assert all(len(rows) == 3 for rows in groups.values())
    assert [r["id"] for r in load_roles(small=True)] == [f"{g}-1" for g in sorted(groups)]


def test_hire_eval_small_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "app.cli", "eval", "--small", "--no-shortlist", "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    report = json.loads(out.read_text())
    assert done.returncode == (1 if report["missed"] else 0), done.stderr
    assert "Intake on 22 role requests" in done.stdout
    assert report["form"] == "small"
    intake = report["intake"]
    assert intake["roles"] == 22 and len(intake["per_role"]) == 22
    assert set(intake["field_accuracy"]) == set(FIELDS)
    assert all(0.0 <= v <= 1.0 for v in intake["field_accuracy"].values())
    mean = sum(intake["field_accuracy"].values()) / len(FIELDS)
    assert intake["mean_accuracy"] == pytest.approx(mean, abs=1e-4)
    per_role_right = sum(len(FIELDS) - len(r["wrong"]) for r in intake["per_role"])
    assert per_role_right / (22 * len(FIELDS)) == pytest.approx(mean, abs=1e-3)
    assert intake["qualifications"] == sum(r["qualifications"] for r in intake["per_role"]) > 0
    checkable_n = sum(r["checkable"] for r in intake["per_role"])
    assert intake["checkable_share"] == pytest.approx(checkable_n / intake["qualifications"], abs=1e-4)
    assert "shortlist" not in report
    for split in ("tech", "house"):
        scores = report["skill_extraction"][split]
        if "missing" in scores:
            continue
        for kind in ("strict", "mapped"):
            s = scores[kind]
            assert s["precision"] == pytest.approx(s["tp"] / (s["tp"] + s["fp"]), abs=1e-4)
            assert s["recall"] == pytest.approx(s["tp"] / (s["tp"] + s["fn"]), abs=1e-4)
    assert report["thresholds"] == {"field_accuracy": 0.95, "checkable_share": 0.9, "precision_at_10": 0.9}


def test_field_comparisons_on_hand_checked_cases(tax) -> None:
    expected = {"title": "Senior Backend Engineer", "occupation_code": "15-1252.00", "location": "Dallas",
                "country": "US", "remote": "unknown", "seniority": None, "years_min": 5, "must_skills": ["Go", "k8s"],
                "nice_skills": [], "credentials": ["RN licence", "BLS"], "nice_credentials": [],
                "languages": ["Spanish"], "language_levels": {"Spanish": "fluent"}, "nice_languages": [],
                "work_authorization": None}
    req = HiringRequirements(
        title="Sr. Backend Engineers", occupation_code="15-1252.00", country="US",
        location="Dallas-Fort Worth-Arlington, TX, United States", seniority="senior", years_min=5.0,
        must_skills=["Go", "Kubernetes"], nice_skills=["Docker"], credentials=["BLS", "RN license"],
        languages=["spanish"], language_levels={"Spanish": "fluent", "English": "basic"},
        inferred=[Inferred(field="seniority", value="senior", source="5 years stated"),
                  Inferred(field="nice_skills", value="Docker", source="typical")])
    assert all(field_right(name, expected, req, tax) for name in FIELDS)
    req.inferred = []  # the same values, now claimed as stated: seniority and the nice skill are wrong
    assert [n for n in FIELDS if not field_right(n, expected, req, tax)] == ["seniority", "nice_skills"]
    assert not field_right("location", {"location": "Austin"}, req, tax)
    assert not field_right("must_skills", {"must_skills": ["Go"]}, req, tax)
    assert field_right("must_skills", {"must_skills": ["SolidWorks"]},
                       HiringRequirements(title="x", must_skills=["Dassault Systemes SolidWorks"]), tax)


def test_folding_and_places() -> None:
    assert fold_credential("RN licence") == fold_credential("RN license") == fold_credential("RN") == "rn"
    assert fold_credential("CDL-A") == fold_credential("CDL A") == "cdla"
    assert fold_credential("EPA 608 certification") == "epa608"
    assert location_right("Ontario", "Riverside-San Bernardino-Ontario, CA, United States")
    assert location_right(None, None) and not location_right(None, "Berlin, Germany")
    assert not location_right("Austin", "Dallas-Fort Worth-Arlington, TX, United States")


@pytest.mark.parametrize(("expected", "given"), [
    (["CPA"], ["Certified Public Accountant (CPA)"]),
    (["CDL-A"], ["CDL Class A"]),
    (["hazmat endorsement"], ["Hazmat endorsement (H)"]),
    (["forklift certification"], ["Forklift operator certification"]),
    (["Network+"], ["CompTIA Network+"]),
    (["PTCB"], ["Certified Pharmacy Technician (CPhT)"]),
    (["CPR", "first aid"], ["CPR and First Aid certification"]),
    (["CMA", "RMA"], ["Medical assistant certification (CMA/RMA)"]),
    (["RN license", "BLS"], ["BLS certification", "Registered Nurse (RN) licence"]),
    (["Notary stamp"], ["notary stamp"]),  # unknown to the vocabulary: folded
])
def test_credential_names_compare_through_the_vocabulary(tax, expected: list[str], given: list[str]) -> None:
    want = {"occupation_code": "31-9092.00", "credentials": expected}
    assert field_right("credentials", want, HiringRequirements(title="x", credentials=given), tax)


@pytest.mark.parametrize(("expected", "given"), [
    (["CPA"], ["Certified Management Accountant (CMA)"]),
    (["CMA"], ["Certified Management Accountant (CMA)"]),  # a medical assistant's CMA is the other one
    (["CDL-A"], ["CDL Class B"]),
    (["ServSafe Manager"], ["Food handler card"]),
    (["RN license", "BLS"], ["Registered Nurse (RN) licence"]),
])
def test_different_credentials_stay_different(tax, expected: list[str], given: list[str]) -> None:
    want = {"occupation_code": "31-9092.00", "credentials": expected}
    assert not field_right("credentials", want, HiringRequirements(title="x", credentials=given), tax)


def test_skills_and_metro_places_compare_as_the_product_names_them(tax) -> None:
    req = HiringRequirements(title="x", must_skills=["Intuit QuickBooks", "Salesforce software"],
                             location="Louisville/Jefferson County, KY-IN, United States")
    assert field_right("must_skills", {"must_skills": ["QuickBooks", "Salesforce"]}, req, tax)
    assert not field_right("must_skills", {"must_skills": ["QuickBooks"]}, req, tax)
    assert location_right("Louisville", req.location) and location_right("Jefferson County", req.location)
    assert not location_right("Lexington", req.location)


def test_accuracy_and_checkable_share_on_two_roles(tax) -> None:
    base = {name: None for name in FIELDS} | {"remote": "unknown", "language_levels": {}}
    base |= {name: [] for name in ("must_skills", "nice_skills", "credentials", "nice_credentials", "languages",
                                   "nice_languages")}
    roles = [{"id": "a", "expected": {**base, "title": "Welder", "occupation_code": "51-4121.00"}},
             {"id": "b", "expected": {**base, "title": "Plumber", "occupation_code": "47-2152.00"}}]
    reqs = [HiringRequirements(title="Welder", occupation_code="51-4121.00"),
            HiringRequirements(title="Plumber", occupation_code="47-2111.00", remote="remote")]
    quals = [[QualificationSpec(text="Has worked as a welder", titles=["Welder"]),
              QualificationSpec(text="Clean driving record", review=True)],
             [QualificationSpec(text="Team spirit")]]
    result = score_roles(zip(roles, reqs, quals, strict=True), tax)
    assert result["field_accuracy"]["occupation_code"] == 0.5
    assert result["field_accuracy"]["remote"] == 0.5
    assert result["field_accuracy"]["title"] == 1.0
    assert result["mean_accuracy"] == pytest.approx((len(FIELDS) - 1) / len(FIELDS), abs=1e-4)
    assert result["qualifications"] == 3 and result["checkable_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert [w["field"] for w in result["per_role"][1]["wrong"]] == ["occupation_code", "remote"]
    assert checkable(QualificationSpec(text="CPA", credentials=["CPA"]))
    assert not checkable(QualificationSpec(text="CPA", credentials=["CPA"], review=True))


def test_skill_extraction_scores_on_a_hand_checked_case(tax) -> None:
    sentences = [skill_extraction.Sentence("Java and teamwork", frozenset({"Java (computer programming)",
                                                                          "work in teams"})),
                 skill_extraction.Sentence("We are a friendly bunch", frozenset()),
                 skill_extraction.Sentence("Fluent English", frozenset({"English"}))]
    predicted = {"Java and teamwork": ["Java", "work in teams"], "We are a friendly bunch": ["Kubernetes"],
                 "Fluent English": []}
    result = skill_extraction.evaluate(sentences, tax, lambda text, _tax: predicted[text])
    # strict: "work in teams" right; "Java" is not the ESCO label; Kubernetes wrong; English missed
    assert result["strict"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333, "tp": 1, "fp": 2, "fn": 2}
    # mapped: "Java" and "Java (computer programming)" normalise to the same skill
    assert (result["mapped"]["tp"], result["mapped"]["fp"], result["mapped"]["fn"]) == (2, 1, 1)
    assert result["coverage"] == 0.5 and result["sentences_with_gold"] == 2 and result["gold_labels"] == 3


def test_precision_at_ten_counts_gaps_as_misses() -> None:
    codes = ["15-1252.00"] * 6 + ["15-1253.00", None, "43-4051.00"]
    assert precision_at_top(codes, ["15-1252"]) == 0.6
    assert precision_at_top(codes, ["15-125"]) == 0.7
    assert precision_at_top(["29-1141.00"] * 12, ["29-1141"]) == 1.0


def test_shortlist_precision_on_a_tiny_pool(tmp_path: Path) -> None:
    role = {"id": "15-1", "request": "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years",
            "family": ["15-125"], "expected": {"occupation_code": "15-1252.00"}}
    pool = build_pool(tmp_path / "pool", ["15-1252.00"], per_occupation=30, background=30)
    assert pool["profiles"] == 60 and pool["embedded"] == 60
    result = shortlist_precision(tmp_path / "pool", [role])
    row = result["per_role"][0]
    assert row["rows"] > 0 and row["errors"] == []
    assert row["precision_at_10"] == precision_at_top(row["top_occupations"], ["15-125"])
    assert result["precision_at_10"] == row["precision_at_10"]


def test_intake_across_every_occupation_group_holds_its_figures(tax) -> None:
    """The 66 labelled requests: every field at the 0.95 goal except must-have skills (0.86 when written, a floor
    against regression), and at least 90 % of the drafted qualifications checkable by a kind."""
    from eval.occupations import intake

    report = intake(load_roles(), tax)
    below = {f: a for f, a in report["field_accuracy"].items() if a < 0.95}
    assert set(below) <= {"must_skills"}, below
    assert report["field_accuracy"]["must_skills"] >= 0.85
    assert report["checkable_share"] >= 0.9
