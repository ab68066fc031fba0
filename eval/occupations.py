"""``make eval``: judgement across occupations, measured on the labelled role requests of ``eval/datasets``.

Three parts, one report:

(a) intake on every request (:func:`tools.requirements.extract_requirements`, then
    :func:`~tools.requirements.draft_qualifications`): accuracy per field and its mean (comparison rules in
    :mod:`eval.intake_fields`), and the share of drafted qualifications some kind of check can read;
(b) shortlist occupation precision@10 on a generated pool covering the requests' occupations
    (:mod:`eval.occupation_pool`), the classical flow run as ``hire demo -y`` runs it;
(c) skill extraction precision/recall/F1 on the TECH and HOUSE validation splits (:mod:`eval.skill_extraction`;
    reported, never a threshold).

Thresholds: every intake field ≥ 0.95, ≥ 90% of qualifications checkable, mean precision@10 ≥ 0.9. The command
prints a table, writes the JSON report (``var/eval/occupations.json`` unless ``--out``) and exits 1 when a threshold
is missed. ``--small``: the first request of each major group and a smaller pool.

``python -m eval.occupations [--small] [--out PATH] [--pool-dir DIR] [--no-shortlist] [--roles PATH]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eval import skill_extraction
from eval.intake_fields import FIELDS, score_roles
from tools.requirements import draft_qualifications, extract_requirements
from tools.taxonomy import Taxonomy, load

ROOT = Path(__file__).resolve().parents[1]
ROLES = ROOT / "eval" / "datasets" / "roles.jsonl"
DEFAULT_OUT = ROOT / "var" / "eval" / "occupations.json"
THRESHOLDS = {"field_accuracy": 0.95, "checkable_share": 0.90, "precision_at_10": 0.90}
POOL_SIZES = {"full": (150, 3000), "small": (40, 600)}  # (profiles per target occupation, background profiles)

console = Console(width=160)


def load_roles(path: Path = ROLES, *, small: bool = False) -> list[dict[str, Any]]:
    """The labelled requests; ``small``: the first of each major group."""
    roles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if small:
        firsts: dict[str, dict[str, Any]] = {}
        for role in roles:
            firsts.setdefault(role["group"], role)
        roles = list(firsts.values())
    return roles


def intake(roles: list[dict[str, Any]], taxonomy: Taxonomy) -> dict[str, Any]:
    rows = []
    for role in roles:
        req = extract_requirements(role["request"], taxonomy)
        rows.append((role, req, draft_qualifications(req, taxonomy)))
    return score_roles(rows, taxonomy)


def shortlists(roles: list[dict[str, Any]], pool_dir: Path | None, sizes: tuple[int, int]) -> dict[str, Any]:
    from eval.occupation_pool import build_pool, shortlist_precision

    folder = pool_dir or Path(tempfile.mkdtemp(prefix="hire-eval-"))
    try:
        started = time.perf_counter()
        pool = build_pool(folder, [r["expected"]["occupation_code"] for r in roles], *sizes)
        pool["build_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        result = shortlist_precision(folder, roles)
        result["run_s"] = round(time.perf_counter() - started, 1)
        return {**result, "pool": pool}
    finally:
        if pool_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def verdicts(report: dict[str, Any]) -> list[str]:
    """The thresholds the report misses, in words."""
    missed = []
    for name, value in report["intake"]["field_accuracy"].items():
        if value < THRESHOLDS["field_accuracy"]:
            missed.append(f"intake {name} accuracy {value:.2f} < {THRESHOLDS['field_accuracy']}")
    if report["intake"]["checkable_share"] < THRESHOLDS["checkable_share"]:
        missed.append(f"checkable share {report['intake']['checkable_share']:.2f} < {THRESHOLDS['checkable_share']}")
    shortlist = report.get("shortlist")
    if shortlist and shortlist["precision_at_10"] < THRESHOLDS["precision_at_10"]:
        missed.append(f"occupation precision@10 {shortlist['precision_at_10']:.2f} < {THRESHOLDS['precision_at_10']}")
    return missed


def print_report(report: dict[str, Any]) -> None:
    fields = Table("field", "accuracy", "list F1", title=f"Intake on {report['intake']['roles']} role requests")
    for name in FIELDS:
        f1 = report["intake"]["list_f1"].get(name)
        fields.add_row(name, f"{report['intake']['field_accuracy'][name]:.2f}", "" if f1 is None else f"{f1:.2f}")
    fields.add_row("mean", f"{report['intake']['mean_accuracy']:.2f}", "")
    fields.add_row("qualifications checkable", f"{report['intake']['checkable_share']:.2f}",
                   f"of {report['intake']['qualifications']}")
    console.print(fields)
    shortlist = report.get("shortlist")
    if shortlist:
        pool = shortlist["pool"]
        console.print(f"Shortlist occupation precision@10: {shortlist['precision_at_10']:.2f} "
                      f"over {shortlist['roles']} roles (pool of {pool['profiles']:,} profiles built in "
                      f"{pool['build_s']} s; runs "
                      f"{shortlist['run_s']} s)")
    skills = Table("split", "strict P", "strict R", "strict F1", "mapped P", "mapped R", "mapped F1", "coverage",
                   title="Skill extraction, validation splits (report only)")
    for name, r in report["skill_extraction"].items():
        if "missing" in r:
            skills.add_row(name, "missing", "", "", "", "", "", "")
            continue
        s, m = r["strict"], r["mapped"]
        skills.add_row(name, *(f"{x:.2f}" for x in (s["precision"], s["recall"], s["f1"], m["precision"],
                                                     m["recall"], m["f1"], r["coverage"])))
    console.print(skills)
    for line in report["missed"]:
        console.print(f"[red]missed:[/red] {line}")


def run(*, small: bool = False, roles_path: Path = ROLES, pool_dir: Path | None = None,
        shortlist: bool = True, skills_dir: Path = skill_extraction.DEFAULT_DATA) -> dict[str, Any]:
    started = time.perf_counter()
    taxonomy = load()
    roles = load_roles(roles_path, small=small)
    report: dict[str, Any] = {"form": "small" if small else "full", "roles_file": str(roles_path),
                              "thresholds": THRESHOLDS, "intake": intake(roles, taxonomy)}
    if shortlist:
        report["shortlist"] = shortlists(roles, pool_dir, POOL_SIZES["small" if small else "full"])
    report["skill_extraction"] = skill_extraction.run(skills_dir, taxonomy)
    report["missed"] = verdicts(report)
    report["wall_s"] = round(time.perf_counter() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="one request per major group and a small pool")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON report")
    parser.add_argument("--roles", type=Path, default=ROLES, help="the labelled role requests (JSON lines)")
    parser.add_argument("--pool-dir", type=Path, help="keep the generated pool in this folder (default: temporary)")
    parser.add_argument("--no-shortlist", action="store_true", help="skip the pool and the shortlists")
    args = parser.parse_args(argv)
    report = run(small=args.small, roles_path=args.roles, pool_dir=args.pool_dir, shortlist=not args.no_shortlist)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print_report(report)
    console.print(f"[dim]Report: {args.out} ({report['wall_s']} s)[/dim]")
    return 1 if report["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
