"""Intake measured field by field against the labelled role requests of ``eval/datasets/roles.jsonl``.

How each field is compared (one role, one field: right or wrong; a field's accuracy is the share of roles right):

* ``occupation_code``, ``country``, ``remote``, ``work_authorization``: exact equality (codes, enums).
* ``title``: the two titles' core (:func:`tools.taxonomy.core_title`: seniority words and filler dropped, lower
  case, singular) are equal.
* ``location``: the city (the text before the first comma) equal case-insensitively, or one of the principal
  places a US metro area is named by, split at hyphens and slashes ("Dallas" = "Dallas-Fort Worth-Arlington, TX,
  United States", "Louisville" = "Louisville/Jefferson County, KY-IN, United States"); no location expected means
  none must be given.
* ``seniority``, ``years_min``: equal when the request states them; when it does not, intake must not state one
  either (a value recorded as inferred in ``req.inferred`` is fine).
* skills (``must_skills``, ``nice_skills``): the two sets are equal after normalising each name with the taxonomy
  (:meth:`Taxonomy.normalize_skill`); an expected name also matches a predicted one whose name ends with it
  ("SolidWorks" and "Dassault Systemes SolidWorks": the vendor dropped).
* credentials (``credentials``, ``nice_credentials``): the two sets are equal after making each name canonical
  through the credential vocabulary (:func:`tools.credentials.canonical_credential`, as the matcher reads a
  qualification's credentials: "CPA" = "Certified Public Accountant (CPA)", "CDL-A" = "CDL Class A"; a form two
  credentials share goes to the one of the expected occupation: "CMA" of a medical assistant); a name the
  vocabulary does not know is folded instead: lower case, letters and digits only, the words
  licence/license/certification/certificate/certified/card dropped ("RN licence" = "RN license" = "RN").
* languages (``languages``, ``nice_languages``): case-insensitive set equality; ``language_levels``: the
  expected levels, by language, equal (extra levels given for other languages do not count against it).

Values intake records as inferred (``req.inferred``: typical skills it adds) are left out of list fields: the
dataset labels what the request states. List fields also get a micro F1 over all roles (``list_f1``), for a finer
view than all-or-nothing.

A drafted qualification is *checkable* when it names skills, titles, years, a location, languages, credentials or a
work authorisation and is not marked ``review`` (left to the recruiter).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from tools.credentials import canonical_credential
from tools.hiring import HiringRequirements, QualificationSpec
from tools.taxonomy import Taxonomy, core_title

FIELDS: tuple[str, ...] = (
    "title", "occupation_code", "location", "country", "remote", "seniority", "years_min", "must_skills",
    "nice_skills", "credentials", "nice_credentials", "languages", "language_levels", "nice_languages",
    "work_authorization",
)
LIST_FIELDS = ("must_skills", "nice_skills", "credentials", "nice_credentials", "languages", "nice_languages")
_CREDENTIAL_FILLER = {"licence", "license", "licensed", "certification", "certificate", "certified", "card"}


def fold_credential(name: str) -> str:
    """'RN licence' → 'rn', 'CompTIA A+ certification' → 'comptiaa', 'EPA 608' → 'epa608'."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _CREDENTIAL_FILLER]
    return "".join(words)


def credential_key(name: str, occupation: str | None = None) -> str:
    """The canonical vocabulary name of a credential as written, or its folded name when the vocabulary lacks it."""
    return canonical_credential(name, occupation) or fold_credential(name)


def skill_key(name: str, taxonomy: Taxonomy) -> str:
    return (taxonomy.normalize_skill(name) or name).casefold()


def _skill_matches(expected: str, predicted: str, taxonomy: Taxonomy) -> bool:
    e, p = skill_key(expected, taxonomy), skill_key(predicted, taxonomy)
    return e == p or p.endswith(" " + expected.casefold()) or e.endswith(" " + predicted.casefold())


def _pairs(expected: list[str], predicted: list[str], same: Callable[[str, str], bool]) -> tuple[int, int, int]:
    """(matched, predicted but not expected, expected but not predicted), each item matched at most once."""
    left = list(predicted)
    tp = 0
    for e in expected:
        hit = next((p for p in left if same(e, p)), None)
        if hit is not None:
            left.remove(hit)
            tp += 1
    return tp, len(left), len(expected) - tp


def _list_counts(name: str, expected: list[str], predicted: list[str], taxonomy: Taxonomy,
                 occupation: str | None = None) -> tuple[int, int, int]:
    if name.endswith("skills"):
        return _pairs(expected, list(dict.fromkeys(predicted)), lambda e, p: _skill_matches(e, p, taxonomy))
    if name.endswith("credentials"):
        fold: Callable[[str], str] = lambda x: credential_key(x, occupation)  # noqa: E731
    else:
        fold = str.casefold
    return _pairs(sorted({fold(x) for x in expected}), sorted({fold(x) for x in predicted}), lambda e, p: e == p)


def _inferred(req: HiringRequirements, name: str) -> bool:
    return any(i.field == name for i in req.inferred)


def stated(req: HiringRequirements, name: str) -> list[str]:
    """A list field's values less those intake records as inferred (typical skills it added, not the request's)."""
    inferred = {i.value for i in req.inferred if i.field == name}
    return [v for v in getattr(req, name) if v not in inferred]


def _city(location: str | None) -> str | None:
    return location.split(",")[0].strip().casefold() if location else None


def location_right(want: str | None, got: str | None) -> bool:
    """The expected city is the given place's city, or one of the principal cities a US metro area is named by
    ("Dallas" in "Dallas-Fort Worth-Arlington, TX, United States")."""
    city, given = _city(want), _city(got)
    if city is None or given is None:
        return city == given
    return city == given or city in (part.strip() for part in re.split(r"[-/]", given))


def field_right(name: str, expected: dict[str, Any], req: HiringRequirements, taxonomy: Taxonomy) -> bool:
    """Whether intake got one field of one role right, by the rule of the module docstring."""
    want = expected.get(name)
    got = getattr(req, name)
    if name == "title":
        return core_title(want or "", singular=True) == core_title(got or "", singular=True)
    if name == "location":
        return location_right(want, got)
    if name in ("seniority", "years_min"):
        if want is None:
            return got is None or _inferred(req, name)
        return got is not None and not _inferred(req, name) and (
            float(got) == float(want) if name == "years_min" else got == want)
    if name in LIST_FIELDS:
        tp, fp, fn = _list_counts(name, list(want or []), stated(req, name), taxonomy, expected.get("occupation_code"))
        return fp == 0 and fn == 0
    if name == "language_levels":
        levels = {k.casefold(): v for k, v in (got or {}).items()}
        return all(levels.get(k.casefold()) == v for k, v in (want or {}).items())
    return want == got


def checkable(q: QualificationSpec) -> bool:
    """Some kind of check can read the qualification: it names what to look for and is not left for review."""
    named = (q.skills or q.titles or q.years_min is not None or q.location or q.languages or q.credentials
             or q.work_authorization)
    return bool(named) and not q.review


def score_roles(rows: Iterable[tuple[dict[str, Any], HiringRequirements, list[QualificationSpec]]],
                taxonomy: Taxonomy) -> dict[str, Any]:
    """Per-field accuracy, its mean, list micro F1, the checkable share, and each role's wrong fields."""
    right = dict.fromkeys(FIELDS, 0)
    counts = {name: [0, 0, 0] for name in LIST_FIELDS}
    quals = quals_checkable = n = 0
    per_role: list[dict[str, Any]] = []
    for role, req, drafted in rows:
        n += 1
        wrong = []
        for name in FIELDS:
            if field_right(name, role["expected"], req, taxonomy):
                right[name] += 1
            else:
                wrong.append({"field": name, "expected": role["expected"].get(name), "got": getattr(req, name)})
        for name in LIST_FIELDS:
            tp, fp, fn = _list_counts(name, list(role["expected"].get(name) or []), stated(req, name), taxonomy,
                                      role["expected"].get("occupation_code"))
            for i, v in enumerate((tp, fp, fn)):
                counts[name][i] += v
        quals += len(drafted)
        quals_checkable += sum(checkable(q) for q in drafted)
        per_role.append({"id": role["id"], "wrong": wrong,
                         "qualifications": len(drafted), "checkable": sum(checkable(q) for q in drafted)})
    accuracy = {name: round(right[name] / n, 4) if n else 0.0 for name in FIELDS}
    return {
        "roles": n,
        "field_accuracy": accuracy,
        "mean_accuracy": round(sum(accuracy.values()) / len(accuracy), 4) if n else 0.0,
        "list_f1": {name: f1(*counts[name]) for name in LIST_FIELDS},
        "qualifications": quals,
        "checkable_share": round(quals_checkable / quals, 4) if quals else 0.0,
        "per_role": per_role,
    }


def f1(tp: int, fp: int, fn: int) -> float | None:
    """F1 of the counts; None when nothing was expected and nothing given (no evidence either way)."""
    if tp + fp + fn == 0:
        return None
    return round(2 * tp / (2 * tp + fp + fn), 4)
