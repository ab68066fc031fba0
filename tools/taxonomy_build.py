"""Build the compact taxonomy shipped in ``tools/taxonomy_data/`` from O*NET 29.2 and BLS OEWS May 2025.

The project ships the derived file so a fresh clone works without the raw data; this module is how that
file is made again when the sources change::

    hire build-taxonomy --data-dir ../shared/data

O*NET content is used under CC BY 4.0 (see ``tools/taxonomy_data/ATTRIBUTION.txt``); BLS OEWS data is a
work of the US government and in the public domain.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

TAXONOMY_FILE = Path(__file__).parent / "taxonomy_data" / "taxonomy.json.gz"

# O*NET element ids of the two distributions the generator and intake use.
_RELATED_WORK_EXPERIENCE = "3.A.1"  # scale RW, categories 1..11
_REQUIRED_EDUCATION = "2.D.1"  # scale RL, categories 1..12
_TOP_BASIC_SKILLS = 8


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _first_sentence(text: str) -> str:
    head, _, _ = text.partition(". ")
    return head.rstrip(".") + "."


def _number(text: str) -> int | None:
    """BLS figures; '*' and '#' mark suppressed or top-coded values, which become None."""
    value = text.replace(",", "")
    return int(float(value)) if value.replace(".", "").isdigit() else None


def build(data_dir: Path, out: Path = TAXONOMY_FILE) -> dict[str, int]:
    """Read the raw O*NET and BLS files under ``data_dir`` and write the compact taxonomy to ``out``."""
    onet = data_dir / "onet"
    bls = data_dir / "bls_oews"
    occupations: dict[str, dict] = {}
    for row in _rows(onet / "occupation_data.csv"):
        code = row["O*NET-SOC Code"]
        occupations[code] = {
            "title": row["Title"],
            "description": _first_sentence(row["Description"]),
            "soc": code[:7],
            "job_zone": None,
            "tech": [],
            "skills": [],
            "rw": [0.0] * 11,
            "rl": [0.0] * 12,
        }
    for row in _rows(onet / "job_zones.csv"):
        if row["O*NET-SOC Code"] in occupations:
            occupations[row["O*NET-SOC Code"]]["job_zone"] = int(row["Job Zone"])
    for row in _rows(onet / "technology_skills.csv"):
        occ = occupations.get(row["O*NET-SOC Code"])
        if occ is not None:
            occ["tech"].append([row["Example"], row["Hot Technology"] == "Y", row["In Demand"] == "Y"])
    importance: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in _rows(onet / "skills.csv"):
        if row["Scale ID"] == "IM" and row["O*NET-SOC Code"] in occupations:
            importance[row["O*NET-SOC Code"]].append((float(row["Data Value"]), row["Element Name"]))
    for code, values in importance.items():
        values.sort(key=lambda v: (-v[0], v[1]))
        occupations[code]["skills"] = [[name, value] for value, name in values[:_TOP_BASIC_SKILLS]]
    for row in _rows(onet / "education_training_and_experience.csv"):
        occ = occupations.get(row["O*NET-SOC Code"])
        if occ is None:
            continue
        if row["Element ID"] == _RELATED_WORK_EXPERIENCE and row["Scale ID"] == "RW":
            occ["rw"][int(float(row["Category"])) - 1] = float(row["Data Value"])
        elif row["Element ID"] == _REQUIRED_EDUCATION and row["Scale ID"] == "RL":
            occ["rl"][int(float(row["Category"])) - 1] = float(row["Data Value"])

    titles: dict[str, list] = {}
    for row in _rows(onet / "alternate_titles.csv"):
        code = row["O*NET-SOC Code"]
        if code not in occupations:
            continue
        for title in (row["Alternate Title"], row["Short Title"]):
            if title and title.lower() not in titles:
                titles[title.lower()] = [title, code, "alternate"]
    for row in _rows(onet / "sample_of_reported_titles.csv"):
        code = row["O*NET-SOC Code"]
        if code in occupations and row["Reported Job Title"].lower() not in titles:
            titles[row["Reported Job Title"].lower()] = [row["Reported Job Title"], code, "reported"]
    for code, occ in occupations.items():
        titles[occ["title"].lower()] = [occ["title"], code, "occupation"]

    national: dict[str, dict] = {}
    for row in _rows(bls / "oews_national.csv"):
        if row["display_level"] != "3":
            continue

        national[row["soc_code"]] = {
            "title": row["occupation"],
            "employment": _number(row["employment"]),
            "wage": {k: _number(row[f"annual_{k}"]) for k in ("mean", "p10", "p25", "median", "p75", "p90")},
        }
    metros: dict[str, list] = {}
    metro_emp: dict[str, list] = defaultdict(list)
    for row in _rows(bls / "oews_metro.csv"):
        metros.setdefault(row["area_code"], [row["area"], row["state_code"]])
        emp = int(row["employment"]) if row["employment"].isdigit() else 0
        median = int(row["annual_median"]) if row["annual_median"].isdigit() else None
        if emp:
            metro_emp[row["soc_code"]].append([row["area_code"], emp, median])

    doc = {
        "version": "onet-29.2+oews-2025-05",
        "occupations": occupations,
        "titles": sorted(titles.values(), key=lambda t: t[0].lower()),
        "bls_national": national,
        "metros": metros,
        "metro_employment": dict(metro_emp),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(doc, fh, separators=(",", ":"), sort_keys=True)
    return {
        "occupations": len(occupations),
        "titles": len(titles),
        "bls_occupations": len(national),
        "metros": len(metros),
        "metro_rows": sum(len(v) for v in metro_emp.values()),
    }
