"""Where the role is: a city, US metro area or country named in the request."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from tools.places import CITY_ALIASES, COUNTRIES, INTERNATIONAL_HUBS, US_STATES
from tools.requirements.document import Document, overlaps
from tools.requirements.role import Role
from tools.taxonomy import Taxonomy
from tools.text import strip_accents_aligned

_LOCATION_CUE_RE = re.compile(r"(?:\b(?:in|at|near|around|from|based|located|relocate to|office|offices|hub|"
                              r"within|of)\s*(?:in\s+)?|\blocation\s*:\s*)$", re.IGNORECASE)
_TOP_METROS = 60  # uncued US city names count only for the largest metros ("Mobile", "Reading" are words too)
_CLAUSE_BEFORE_RE = re.compile(r"(?:^|[,;|\n(]|\s[-–—])[ \t]*$")
_CLAUSE_AFTER_RE = re.compile(r"\s*(?:$|[,;|\n)]|\.(?:\s|$)|\s[-–—]\s)")


@dataclass(frozen=True, slots=True)
class Place:
    """A city, US metro area or international hub."""

    location: str
    country: str
    metro_code: str | None
    display: str  # for salary bands and qualification text


@dataclass(slots=True)
class _PlaceIndex:
    names: dict[str, list[tuple[Place, bool]]] = field(default_factory=dict)  # folded name → (place, top metro)
    pattern: re.Pattern[str] | None = None


def _metro_cities(name: str) -> tuple[list[str], list[str]]:
    """('Dallas-Fort Worth-Arlington, TX') → (['Dallas', 'Fort Worth', 'Arlington'], ['TX'])."""
    cities, _, states = name.rpartition(", ")
    return [c.strip() for c in re.split(r"-+|/", cities) if c.strip()], states.split("-")


@cache
def _place_index(taxonomy: Taxonomy) -> _PlaceIndex:
    index = _PlaceIndex()
    for city, country, _locale, _weight in INTERNATIONAL_HUBS:
        place = Place(city, country, None, city)
        index.names.setdefault(strip_accents_aligned(city.split(",")[0]), []).append((place, True))
    employment: Counter[str] = Counter()
    for rows in taxonomy.metro_employment.values():
        for area, emp, _median in rows:
            employment[area] += emp or 0
    top = {area for area, _ in employment.most_common(_TOP_METROS)}
    secondary: list[tuple[str, tuple[Place, bool]]] = []
    for area, _n in sorted(employment.items(), key=lambda kv: (-kv[1], kv[0])):
        name = taxonomy.metros.get(area, ("", ""))[0]
        if not name or "nonmetropolitan" in name:
            continue
        place = Place(f"{name}, United States", "US", area, name)
        cities, _states = _metro_cities(name)
        index.names.setdefault(strip_accents_aligned(cities[0]), []).append((place, area in top))
        secondary += [(strip_accents_aligned(c), (place, area in top)) for c in cities[1:]]
    for name, entry in secondary:
        if name not in index.names:
            index.names[name] = [entry]
    for alias, target in CITY_ALIASES.items():
        if strip_accents_aligned(target) in index.names:
            index.names[strip_accents_aligned(alias)] = index.names[strip_accents_aligned(target)]
    alternation = "|".join(re.escape(n) for n in sorted(index.names, key=len, reverse=True))
    index.pattern = re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")
    return index


_STATE_CODES = {name: code for code, name in US_STATES.items()}
_STATE_AFTER_RE = re.compile(r"\s*,?\s*(?:([A-Z]{2})|(" + "|".join(sorted(map(re.escape, _STATE_CODES), key=len,
                                                                     reverse=True)) + r"))(?![\w])")


def _state_after(text: str) -> tuple[str, int] | None:
    """The US state written after a city ("Atlanta, GA", "Atlanta, Georgia"): its USPS code and where it ends."""
    m = _STATE_AFTER_RE.match(text)
    if not m or (m.group(1) and m.group(1) not in US_STATES):
        return None
    return m.group(1) or _STATE_CODES[m.group(2)], m.end()


def _pick_place(entries: list[tuple[Place, bool]], state: str | None, city: str) -> tuple[Place, bool]:
    """The place a name means; a US state that no metro of that name lies in makes it a town outside the metros
    ("Huntsville, TX" is not the Huntsville, AL metro)."""
    if state:
        for place, _top in entries:
            if place.country == "US" and state in _metro_cities(place.display)[1]:
                return place, True
        if any(place.country == "US" for place, _top in entries):
            return Place(f"{city}, {state}, United States", "US", None, f"{city}, {state}"), True
    return entries[0]


def find_place(doc: Document, taxonomy: Taxonomy, skip: list[tuple[int, int]],
                role: Role | None) -> tuple[Place, int, int] | None:
    """The best city or metro mention: a Location: line, the role's sentence, a cued mention ("in Berlin")."""
    index = _place_index(taxonomy)
    assert index.pattern is not None
    folded = strip_accents_aligned(doc.text)
    ranked: list[tuple[tuple[int, int], Place, int, int]] = []
    for m in index.pattern.finditer(folded):
        if overlaps((m.start(), m.end()), skip) or not doc.text[m.start()].isupper():
            continue
        state = _state_after(doc.text[m.end():])
        place, top = _pick_place(index.names[m.group()], state[0] if state else None, doc.text[m.start():m.end()])
        end = m.end() + state[1] if state and place.country == "US" else m.end()  # the state is part of the place
        segment = next((s for s in doc.segments if s.start <= m.start() < s.end), None)
        section = segment.section if segment else ""
        cued = section == "location" or bool(_LOCATION_CUE_RE.search(doc.text[max(0, m.start() - 25):m.start()]))
        cued = cued or _whole_clause(doc.text, m.start(), end)
        if not (cued or top or place.country != "US"):
            continue
        with_role = bool(role and segment and segment.start <= role.start < segment.end)
        tier = 0 if section == "location" else 1 if with_role and cued else 2 if with_role else \
            3 if cued and section != "about" else 4  # 'admitted to the New York bar, ..., NYC': NYC
        ranked.append(((tier, m.start()), place, m.start(), end))
    if not ranked:
        return None
    _, place, start, end = min(ranked, key=lambda r: r[0])
    return place, start, end


def _whole_clause(text: str, start: int, end: int) -> bool:
    """Whether a place name (with its state) is a clause of its own: 'Welder, 3 years, Boise' or 'Boise, ID.'."""
    before = text[start - 20:start] if start > 20 else text[:start]
    return bool(_CLAUSE_BEFORE_RE.search(before)) and bool(_CLAUSE_AFTER_RE.match(text[end:]))


def find_country(text: str, skip: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """The first country named outside ``skip``: (ISO code, start, end)."""
    names = sorted(COUNTRIES, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    for m in pattern.finditer(text):
        if not overlaps((m.start(), m.end()), skip):
            return COUNTRIES[m.group()], m.start(), m.end()
    return None
