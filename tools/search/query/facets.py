"""Facets written in a query (``country:DE,NL``, ``years:5-10``, ``open:yes``): their values read into
:class:`~tools.search.types.Facets`, and written back."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pydantic import ValidationError

from tools.search.types import Facets, SearchError
from tools.taxonomy import SENIORITY_LEVELS, Taxonomy


@dataclass(frozen=True)
class FacetTerm:
    """A facet term while the tree is built; lifted out of the top-level AND chain afterwards."""

    name: str
    value: str
    position: int

    def __str__(self) -> str:
        return f"{self.name}:{self.value}"


FACET_EXAMPLES = {"country": "DE,NL", "metro": "0012420", "years": "5-10", "seniority": "senior,lead",
                  "open": "yes", "updated": "2025-01-01", "pool": "network"}
_NUMBER = r"(\d+(?:\.\d+)?)"
_YEARS = [
    (re.compile(rf"{_NUMBER}\s*-\s*{_NUMBER}"), ("years_min", "years_max")),
    (re.compile(rf"{_NUMBER}\+|>=?{_NUMBER}"), ("years_min",)),
    (re.compile(rf"<=?{_NUMBER}"), ("years_max",)),
]


def _facet_fields(facet: FacetTerm, taxonomy: Taxonomy) -> dict:
    """The Facets fields one facet term sets; SearchError with the reason when the value is bad."""
    name, value = facet.name, facet.value.strip()
    items = [v.strip() for v in value.split(",") if v.strip()]

    def bad(reason: str) -> SearchError:
        return SearchError(f"{facet}: {reason} (at character {facet.position + 1})")

    if name == "country":
        wrong = [c for c in items if not re.fullmatch(r"[A-Za-z]{2}", c)]
        if wrong or not items:
            raise bad(f"{', '.join(map(repr, wrong or [value]))} is not a two-letter ISO 3166 country code; "
                      "write e.g. country:DE or country:DE,NL")
        return {"country": [c.upper() for c in items]}
    if name == "metro":
        wrong = [m for m in items if not re.fullmatch(r"\d{7}", m)]
        if wrong or not items:
            raise bad("metro areas are 7-digit BLS area codes, e.g. metro:0012420 (Austin-Round Rock, TX)")
        unknown = [m for m in items if m not in taxonomy.metros]
        if unknown:
            raise bad(f"unknown BLS metro area code {', '.join(unknown)}")
        return {"metro": items}
    if name == "years":
        for pattern, fields in _YEARS:
            match = pattern.fullmatch(value)
            if match:
                numbers = [float(g) for g in match.groups() if g is not None]
                if len(numbers) == 2 and numbers[0] > numbers[1]:
                    raise bad(f"the range runs backwards ({value}); write the smaller number first")
                return dict(zip(fields, numbers, strict=True))
        vague = f"'{value}' is ambiguous; " if re.fullmatch(_NUMBER, value) else ""
        raise bad(f"{vague}write a range years:5-10, at least years:5+, or at most years:<3")
    if name == "seniority":
        wrong = [s for s in items if s.lower() not in SENIORITY_LEVELS]
        if wrong or not items:
            raise bad(f"unknown seniority {', '.join(map(repr, wrong or [value]))}; use one of "
                      f"{', '.join(SENIORITY_LEVELS)}")
        return {"seniority": [s.lower() for s in items]}
    if name == "open":
        answers = {"yes": True, "true": True, "no": False, "false": False}
        if value.lower() not in answers:
            raise bad("use open:yes or open:no (true and false work too)")
        return {"open_to_work": answers[value.lower()]}
    if name == "updated":
        try:
            return {"updated_since": dt.date.fromisoformat(value)}
        except ValueError:
            raise bad("write the date as YYYY-MM-DD, e.g. updated:2025-01-01 (profiles updated since then)") from None
    pools = ("network", "applicants", "all")
    if value.lower() not in pools:
        raise bad("use pool:network, pool:applicants or pool:all")
    return {"pool": value.lower()}


def facets_of(facet_terms: list[FacetTerm], taxonomy: Taxonomy) -> Facets:
    """The Facets the query's facet terms set; SearchError for a bad value or a facet given twice."""
    fields: dict = {}
    seen: dict[str, FacetTerm] = {}
    for facet in facet_terms:
        if facet.name in seen:
            raise SearchError(f"facet '{facet.name}' is given twice ({seen[facet.name]} and {facet}); "
                              f"write one, with a comma list where it takes several values")
        seen[facet.name] = facet
        fields.update(_facet_fields(facet, taxonomy))
    try:
        return Facets(**fields)
    except ValidationError as exc:
        raise SearchError(f"invalid facets: {exc.errors()[0]['msg']}") from None


def render_facets(facets: Facets) -> list[str]:
    """The facets a query set, written back as facet terms (``country:DE``, ``years:5+``)."""
    values = facets.model_dump(exclude_unset=True)
    out = [f"country:{','.join(values['country'])}"] if values.get("country") else []
    out += [f"metro:{','.join(values['metro'])}"] if values.get("metro") else []
    low, high = values.get("years_min"), values.get("years_max")
    if low is not None or high is not None:
        number = "{:g}".format
        out.append(f"years:{number(low)}-{number(high)}" if low is not None and high is not None
                   else f"years:{number(low)}+" if low is not None else f"years:<={number(high)}")
    out += [f"seniority:{','.join(values['seniority'])}"] if values.get("seniority") else []
    out += [f"open:{'yes' if values['open_to_work'] else 'no'}"] if values.get("open_to_work") is not None else []
    out += [f"updated:{values['updated_since'].isoformat()}"] if values.get("updated_since") else []
    out += [f"pool:{values['pool']}"] if "pool" in values else []
    return out

