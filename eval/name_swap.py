"""Name-swap audit of the classical matcher: the same resume under many names must score and be judged the same.

Every resume of the public fairness set (``resumes_to_rank.json``) is judged under a neutral name and under each
name tried: the fairness set's first-and-last-name lists (as given and title-cased), its census surnames after a
neutral first name, and names that are also places, skills or job titles ("Georgia Smith", "Pat Scala").
Qualifications: the classical intake's for "<role> in Atlanta, Georgia" plus qualifications that name exactly
those places, skills and titles. ``python -m eval.name_swap`` prints one JSON line: the judgements made and how
many differed from the neutral name's (score or any verdict), by kind of name, with a few examples.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from tools.hiring import QualificationSpec
from tools.matching import Candidate, Matcher
from tools.policy import check_all
from tools.requirements import draft_qualifications, extract_requirements

NEUTRAL = "Pat Lee"
BAIT = ["Georgia", "Austin", "Dallas", "Madison", "Paris", "Florence", "Jordan", "Carolina", "Ruby", "Julia", "Scala",
        "Dean", "Mason", "Judge", "Baker", "Porter"]
BAIT_QUALS = [
    QualificationSpec(text="Georgia"),
    QualificationSpec(text="Based in Austin", location="Austin, TX"),
    QualificationSpec(text="Ruby, Julia or Scala", skills=["Ruby", "Julia", "Scala"]),
    QualificationSpec(text="Has been a dean or a judge", titles=["Dean", "Judge", "Baker", "Porter", "Mason"]),
    QualificationSpec(text="Dallas Madison Paris Florence Jordan Carolina"),
]


def names(folder: Path) -> dict[str, list[str]]:
    full = [n for f in ("top_mens_names.json", "top_womens_names.json")
            for group in json.loads((folder / f).read_text(encoding="utf-8")).values() for n in group]
    with open(folder / "Names_2010Census_Top1000.csv", encoding="utf-8-sig") as fh:
        surnames = [r[0].title() for r in list(csv.reader(fh))[3:] if r and r[0].isalpha()]
    bait = [f"{b} Smith" for b in BAIT] + [f"Pat {b}" for b in BAIT]
    bait += [f"{b} {c}" for b in BAIT for c in BAIT if b != c]
    return {"lists": full + [n.title() for n in full] + [f"Pat {s}" for s in surnames], "place, skill, title": bait}


def run(folder: Path) -> dict:
    data = json.loads((folder / "resumes_to_rank.json").read_text(encoding="utf-8"))
    groups = names(folder)
    started = time.perf_counter()
    out: dict = {"resumes": sum(len(v["resumes"]) for v in data.values()), "by_kind": {}, "examples": []}
    for kind, tried in groups.items():
        out["by_kind"][kind] = {"names": len(tried), "judgements": 0, "differences": 0}
    for job, entry in data.items():
        req = extract_requirements(f"{job} in Atlanta, Georgia\n{entry['jd']}")
        matcher = Matcher([*check_all(draft_qualifications(req)), *BAIT_QUALS])
        for resume in entry["resumes"]:
            def outcome(name: str, resume: str = resume, matcher: Matcher = matcher) -> tuple[float, list[str]]:
                c = Candidate(1, resume.replace("{name}", name))
                return matcher.score(c), [v.verdict for v in matcher.judge(c).verdicts]

            base = outcome(NEUTRAL)
            for kind, tried in groups.items():
                for name in tried:
                    got = outcome(name)
                    out["by_kind"][kind]["judgements"] += 1
                    if got != base:
                        out["by_kind"][kind]["differences"] += 1
                        if len(out["examples"]) < 5:
                            out["examples"].append({"job": job, "name": name, "score": got[0], "neutral": base[0]})
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("HIRE_SHARED_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--fairness", type=Path, default=default / "fairness", help="The fairness set's folder.")
    args = parser.parse_args()
    if not (args.fairness / "resumes_to_rank.json").exists():
        sys.exit(f"no fairness set at {args.fairness}")
    print(json.dumps(run(args.fairness)))


if __name__ == "__main__":
    main()
