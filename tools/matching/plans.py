"""Qualifications compiled once per :class:`~tools.matching.matcher.Matcher`: what to look for, and how.

One alternation regex per skill or language qualification (any-case forms run on the lower-cased text,
exact-case forms such as "Go", "R", "Excel" on the text itself), title cores, place names, stemmed key words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tools.hiring import LanguageLevel, QualificationSpec
from tools.matching.evidence import Document, glued
from tools.places import COUNTRIES_FOLDED, INTERNATIONAL_HUBS, US_STATES
from tools.taxonomy import CASE_SENSITIVE, Taxonomy
from tools.text import fold

__all__ = [
    "PlacePlan",
    "Plan",
    "TermPlan",
    "TitlePlan",
    "WordPlan",
    "city_names",
    "country_of",
    "language_plan",
    "place_plan",
    "skill_plan",
    "term_matches",
    "which_stem",
    "word_plan",
]

# ---- skills --------------------------------------------------------------------------------------------
_LEFT_GLUE = ".+#&-"  # a mention may not follow a word or one of these ("ASP.NET" is not ".NET")
_RIGHT = r"(?![\w+#]|[.&-]\w)"
_SEP_RE = re.compile(r"[\s/-]+")
# Skill names that are also ordinary words or letters: a match must look like technology.
_AMBIGUOUS = frozenset({"Go", "R", "C", "D", "J"})

# ---- free text -----------------------------------------------------------------------------------------
_STOP_WORDS = frozenset("""
a about above across after again against all also an and any are as at be been being both but by can could
did do does doing done during each either etc for from further had has have having he her here hers him his how
i if in into is it its itself just least less like may me more most must my no nor not of off on once only or
other our ours out over own per plus same she should so some such than that the their them then there these they
this those through to too under until up upon us very via was we well were what when where which while who whom
why will with within without would you your yours year years yr yrs experience experienced strong proven
ability able good great excellent solid demonstrated knowledge familiarity familiar understanding skills skill
work working professional candidate candidates role plus preferred required must-have nice-to-have using use
""".split())
_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ingly", "ings", "ing", "ities", "ity",
             "ies", "ied", "ers", "er", "ed", "es", "ly", "al", "ive", "ship", "s")
_STEM_TAIL = r"(?:e?(?:ational|ations|ation|ements|ement|ments|ment|ings|ing|ities|ity|ies|ied|ers|er|ed|es|ly|al|" \
             r"ive|ship|s|e|y))?"
_TAILS = frozenset({"", "e", "y", *(
    pre + t for pre in ("", "e") for t in ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ings",
                                          "ing", "ities", "ity", "ies", "ied", "ers", "er", "ed", "es", "ly", "al",
                                          "ive", "ship", "s"))})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z+#.-]*[A-Za-z+#]|[A-Za-z]")

# ---- places and languages ------------------------------------------------------------------------------
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "english": ("English",), "german": ("German", "Deutsch"), "french": ("French", "Français", "Francais"),
    "spanish": ("Spanish", "Español", "Espanol", "Castellano"), "portuguese": ("Portuguese", "Português"),
    "italian": ("Italian", "Italiano"), "dutch": ("Dutch", "Nederlands"), "polish": ("Polish", "Polski"),
    "swedish": ("Swedish", "Svenska"), "russian": ("Russian",), "japanese": ("Japanese",),
    "chinese": ("Chinese", "Mandarin", "Cantonese"), "mandarin": ("Mandarin", "Chinese"), "korean": ("Korean",),
    "hindi": ("Hindi",), "arabic": ("Arabic",), "turkish": ("Turkish",),
}


def _build_places() -> tuple[dict[str, str], dict[str, str]]:
    """Folded city → ISO country, and folded region (US state names and codes) → ISO country."""
    cities = {fold(city.split(",")[0]): code for city, code, _locale, _w in INTERNATIONAL_HUBS}
    regions = {fold(name): "US" for name in US_STATES.values()}
    regions.update({abbr.lower(): "US" for abbr in US_STATES})
    return cities, regions


_CITY_COUNTRY, _REGION_COUNTRY = _build_places()


@dataclass(slots=True)
class TermPlan:
    """Skills or languages of one qualification, compiled: any-case forms run on the lower-cased text."""

    names: list[str]
    folded: re.Pattern | None  # lower-case forms, matched against the lower-cased text
    folded_i: re.Pattern | None  # the same with IGNORECASE, for texts whose lower case changes length
    exact: re.Pattern | None  # exact-case forms ("Go", "R", "Excel")
    lookup: dict[str, int]  # normalised surface -> term index ("c sharp", "Go")
    ambiguous: frozenset[str]  # exact forms that need a technology context


@dataclass(slots=True)
class TitlePlan:
    titles: list[str]
    cores: list[tuple[str, ...]]
    heads: frozenset[str]
    codes: frozenset[str]


@dataclass(slots=True)
class PlacePlan:
    text: str
    cities: frozenset[str]
    country: str | None
    remote: bool
    country_only: bool


@dataclass(slots=True)
class WordPlan:
    words: list[str]  # one display word per stem
    stems: list[str]
    regex: re.Pattern | None  # runs on lower-cased text
    regex_i: re.Pattern | None  # the same with IGNORECASE


@dataclass(slots=True)
class Plan:
    spec: QualificationSpec
    factor: float  # weight x (2 for must, 1 for nice); 0 when blocked
    blocked: bool = False
    skills: TermPlan | None = None
    years: float | None = None
    titles: TitlePlan | None = None
    place: PlacePlan | None = None
    languages: TermPlan | None = None
    language_level: LanguageLevel | None = None
    credentials: tuple[str, ...] = ()  # the credential asked (canonical), then those that include it
    authorization: str | None = None  # ISO country code
    words: WordPlan | None = None


def _surface_key(text: str) -> str:
    return " ".join(_SEP_RE.split(text.strip()))


def _is_sensitive(form: str) -> bool:
    """Exact case for words and very short names ("Go", "R", "Excel", "C#"); any case otherwise."""
    return form.lower() in CASE_SENSITIVE or len(form) <= 2 or form in _AMBIGUOUS


def _alternation(forms: Iterable[str], flags: int = 0) -> re.Pattern | None:
    """One regex over the forms, longest first; it starts with plain literals so the engine scans fast."""
    bodies = [r"[\s/-]+".join(re.escape(p) for p in f.split()) for f in sorted(set(forms), key=lambda f: (-len(f), f))]
    return re.compile(f"(?:{'|'.join(bodies)}){_RIGHT}", flags) if bodies else None


def _compile_terms(groups: list[list[tuple[str, bool]]], names: list[str]) -> TermPlan:
    lookup: dict[str, int] = {}
    folded: list[str] = []
    exact: list[str] = []
    for i, forms in enumerate(groups):
        for form, sensitive in forms:
            key = _surface_key(form if sensitive else form.lower())
            lookup.setdefault(key, i)
            (exact if sensitive else folded).append(form if sensitive else form.lower())
    return TermPlan(names, _alternation(folded), _alternation(folded, re.I), _alternation(exact), lookup,
                     frozenset(f for f in exact if f in _AMBIGUOUS))


def skill_plan(skills: Sequence[str], taxonomy: Taxonomy) -> TermPlan:
    names, groups = [], []
    for skill in dict.fromkeys(s.strip() for s in skills if s and s.strip()):
        canonical = taxonomy.normalize_skill(skill) or skill
        forms = list(dict.fromkeys([canonical, skill, *taxonomy.expand_skill(canonical)]))
        names.append(skill)  # reasons use the name the recruiter gave
        groups.append([(f, _is_sensitive(f)) for f in forms if f.strip()])
    return _compile_terms(groups, names)


def language_plan(languages: Sequence[str]) -> TermPlan:
    names, groups = [], []
    for lang in dict.fromkeys(x.strip() for x in languages if x and x.strip()):
        forms = _LANGUAGE_NAMES.get(lang.lower(), (lang,))
        names.append(lang)
        groups.append([(f, False) for f in dict.fromkeys((lang.title(), *forms))])
    return _compile_terms(groups, names)


def term_matches(tp: TermPlan, doc: Document) -> Iterable[tuple[int, int, int, str]]:
    """(term index, start, end, surface) of every whole-word mention in the document."""
    if tp.folded is not None:
        pattern, text = (tp.folded, doc.lower) if doc.lower is not None else (tp.folded_i, doc.clean)
        assert pattern is not None
        for m in pattern.finditer(text):
            if not glued(text, m.start(), _LEFT_GLUE):
                key = _surface_key(m.group().lower())
                if key in tp.lookup:
                    yield tp.lookup[key], m.start(), m.end(), ""
    if tp.exact is not None:
        for m in tp.exact.finditer(doc.clean):
            if not glued(doc.clean, m.start(), _LEFT_GLUE):
                surface = m.group()
                key = _surface_key(surface)
                if key in tp.lookup:
                    yield tp.lookup[key], m.start(), m.end(), surface


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def word_plan(text: str) -> WordPlan:
    words = []
    for w in _WORD_RE.findall(text):
        lw = w.lower().strip(".-")
        if len(lw) < 2 or lw in _STOP_WORDS or lw.isdigit():
            continue
        words.append(lw)
    by_stem: dict[str, str] = {}
    for w in words:
        by_stem.setdefault(_stem(w), w)
    if not by_stem:
        return WordPlan([], [], None, None)
    stems = list(by_stem)
    body = "(?:" + "|".join(re.escape(x) for x in sorted(stems, key=lambda x: (-len(x), x))) + ")" + _STEM_TAIL
    pattern = body + r"(?![\w+#])"
    return WordPlan(list(by_stem.values()), stems, re.compile(pattern), re.compile(pattern, re.I))


def which_stem(wp: WordPlan, word: str) -> int | None:
    best = None
    for i, stem in enumerate(wp.stems):
        if word.startswith(stem) and word[len(stem):] in _TAILS and (
                best is None or len(stem) > len(wp.stems[best])):
            best = i
    return best


def place_plan(location: str) -> PlacePlan:
    parts = [p.strip() for p in location.split(",") if p.strip()]
    folded = [fold(p) for p in parts] or [""]
    remote = any(w in folded[0] for w in ("remote", "anywhere", "worldwide"))
    country = country_of(parts) if parts else None
    country_only = len(parts) == 1 and folded[0] in COUNTRIES_FOLDED
    cities = frozenset(city_names(parts[0])) if parts and not country_only else frozenset()
    return PlacePlan(location, cities, country, remote, country_only)


def city_names(first_part: str) -> list[str]:
    whole = fold(first_part)
    return [whole, *(fold(x) for x in re.split(r"\s*[-/]\s*", first_part) if x.strip())]


def country_of(parts: Sequence[str]) -> str | None:
    """ISO code for a comma-split place: a country name, a US state, a known city, or an ISO code."""
    for part in reversed(parts):
        raw = part.strip()
        folded = fold(raw)
        if folded in COUNTRIES_FOLDED:
            return COUNTRIES_FOLDED[folded]
        first_region = folded.split("-")[0]
        if len(parts) > 1 and (folded in _REGION_COUNTRY or first_region in _REGION_COUNTRY):
            return "US"
        if len(raw) == 2 and raw.isupper() and len(parts) > 1:
            return raw
    for city in city_names(parts[0]):
        if city in _CITY_COUNTRY:
            return _CITY_COUNTRY[city]
    return None
