"""The role: the title phrase of a request resolved to an O*NET occupation, its seniority, and related titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from tools.requirements.document import Document, Segment
from tools.taxonomy import (
    ROLE_SENIORITY_WORDS,
    SENIORITY_WORDS,
    Taxonomy,
    drop_plural,
    higher_seniority,
    strip_seniority,
    tokens,
)

MAX_RELATED_TITLES = 5

# Seniority words that in a sentence are more often plain words ("lead the team", "I need", "IV therapy").
_PLAIN_IN_PROSE = {"lead", "staff", "graduate", "i", "ii", "iii", "iv"}

# Common recruiter titles whose O*NET alternate-title match is a poor fit, keyed by the squashed phrase.
_ROLE_OVERRIDES: dict[str, str] = {
    "engineer": "15-1252.00", "developer": "15-1252.00", "softwareengineer": "15-1252.00",
    "programmer": "15-1252.00", "sre": "15-1252.00", "sitereliabilityengineer": "15-1252.00",
    "backendengineer": "15-1252.00", "backenddeveloper": "15-1252.00", "backendsoftwareengineer": "15-1252.00",
    "fullstackengineer": "15-1254.00", "fullstackdeveloper": "15-1254.00",
    "truckdriver": "53-3032.00", "lorrydriver": "53-3032.00", "cdldriver": "53-3032.00",
    "dataanalyst": "15-2051.01", "analyst": "13-1111.00",
    "salesrepresentative": "41-4012.00", "salesrep": "41-4012.00",
    "designer": "27-1024.00", "uxdesigner": "15-1255.00", "uidesigner": "15-1255.00",
    "uxuidesigner": "15-1255.00", "productdesigner": "15-1255.00", "webdesigner": "15-1255.00",
    "customerservicerepresentative": "43-4051.00", "projectmanager": "13-1082.00",
    "securityengineer": "15-1212.00", "platformengineer": "15-1252.00", "devopsengineer": "15-1252.00",
    "marketingmanager": "11-2021.00", "cook": "35-2014.00",
    "headsales": "11-2022.00", "vpsales": "11-2022.00", "directorsales": "11-2022.00",
    "salesdirector": "11-2022.00", "headengineering": "11-9041.00", "vpengineering": "11-9041.00",
    "directorengineering": "11-9041.00",
    "forkliftoperator": "53-7051.00", "forkliftdriver": "53-7051.00", "cna": "31-1131.00",
    "certifiednursingassistant": "31-1131.00", "certifiednurseassistant": "31-1131.00", "linecook": "35-2014.00",
    "prepcook": "35-2021.00", "warehouseassociate": "53-7062.00", "warehouseworker": "53-7062.00",
    "teacher": "25-2021.00", "heavyequipmentoperator": "47-2073.00", "equipmentoperator": "47-2073.00",
    "logisticscoordinator": "13-1081.00", "mechanic": "49-3023.00", "administrativeassistant": "43-6014.00",
    "adminassistant": "43-6014.00", "officeassistant": "43-9061.00", "painter": "47-2141.00",
    "labtechnician": "29-2012.00", "laboratorytechnician": "29-2012.00", "stylist": "39-5012.00",
    "salesassociate": "41-2031.00", "retailassociate": "41-2031.00", "storeassociate": "41-2031.00",
    "stockclerk": "53-7065.00", "orderpicker": "53-7065.00", "picker": "53-7065.00", "orderfiller": "53-7065.00",
    "payrollspecialist": "43-3051.00", "payrollclerk": "43-3051.00", "pestcontroltechnician": "37-2021.00",
    "exterminator": "37-2021.00", "psychologist": "19-3033.00",
    "securityofficer": "33-9032.00", "unarmedsecurityofficer": "33-9032.00", "armedsecurityofficer": "33-9032.00",
    "kitchenmanager": "35-1012.00", "kitchensupervisor": "35-1012.00", "personaltrainer": "39-9031.00",
    "fitnesstrainer": "39-9031.00", "fitnesscoach": "39-9031.00", "accountexecutive": "41-3091.00",
    "automotivetechnician": "49-3023.00", "autotechnician": "49-3023.00", "automechanic": "49-3023.00",
    "automotivemechanic": "49-3023.00", "carmechanic": "49-3023.00", "automotiveservicetechnician": "49-3023.00",
    "cncmachinist": "51-4041.00", "productionsupervisor": "51-1011.00", "manufacturingsupervisor": "51-1011.00",
    "casemanager": "21-1093.00", "constructionforeman": "47-1011.00", "foreman": "47-1011.00",
    "sitesupervisor": "47-1011.00",
    "constructionsuperintendent": "47-1011.00", "sitesuperintendent": "47-1011.00",
}
_ABBREVIATIONS = {"cna": "assistant", "dev": "developer", "devs": "developer", "eng": "engineer", "engr": "engineer",
                  "rn": "nurse", "sre": "engineer", "swe": "engineer", "sde": "developer", "mgr": "manager"}
_EXTRA_HEADS = {"engineer", "developer", "nurse", "driver", "scientist", "manager", "accountant", "representative",
                "designer", "analyst", "sre", "swe", "sde", "rn", "sales", "engineering", "marketing"}
_ACRONYMS = {"ux": "UX", "ui": "UI", "qa": "QA", "sre": "SRE", "rn": "RN", "lpn": "LPN", "cdl": "CDL", "hr": "HR",
             "it": "IT", "vp": "VP", "ml": "ML", "ai": "AI", "bi": "BI", "seo": "SEO", "icu": "ICU", "er": "ER",
             "ios": "iOS", "sdr": "SDR", "bdr": "BDR", "swe": "SWE", "sde": "SDE", "cpa": "CPA", "hvac": "HVAC",
             "cna": "CNA", "lvn": "LVN", "emt": "EMT", "cnc": "CNC", "pca": "PCA"}
_SMALL_WORDS = {"of", "and", "the", "for", "in", "to", "&"}
_FILLER_START = {"a", "an", "the", "our", "my", "we", "i", "need", "needs", "looking", "hire", "hiring", "seeking",
                 "want", "find", "someone", "new", "us", "me", "please", "urgently", "asap", "some", "two", "three",
                 "four", "five", "six", "seven", "eight", "nine", "ten", "several", "few", "multiple", "more",
                 "additional"}
_BOUNDARY_WORDS = {"in", "at", "with", "for", "who", "based", "from", "near", "that", "which", "located", "remote",
                   "hybrid", "onsite", "on-site", "to", "ideally", "must", "should", "having", "has", "needed",
                   "wanted", "required", "plus", "is", "are", "will", "can"}
_ROLE_CUE_RE = re.compile(r"\b(?:looking for|hiring|seeking|searching for|need|join (?:us|our team) as|"
                          r"we want|recruiting)\b", re.IGNORECASE)


# ---- the role phrase -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Role:
    """The role phrase found in the text and the occupation it resolves to."""

    title: str
    code: str
    occupation: str
    seniority: str | None
    start: int
    end: int  # the resolved phrase text[start:end] (title words, not to be read as skills)
    head: str


def _squash(text: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9+#]+", text.lower()) if w and w not in {"of", "the"}]
    return "".join(words)


@cache
def _head_nouns(taxonomy: Taxonomy) -> frozenset[str]:
    """Words that end at least two known job titles ("engineer", "nurse", "driver", "electrician")."""
    counts: Counter[str] = Counter()
    for key in taxonomy.title_keys():
        words = key.split()
        if words:
            counts[words[-1].rstrip(".")] += 1
    single = {key.rstrip(".") for key in taxonomy.title_keys() if " " not in key and len(key) > 3}
    return frozenset({w for w, n in counts.items() if n >= 2} | single | _EXTRA_HEADS)


@cache
def _occupation_names(taxonomy: Taxonomy) -> dict[str, str]:
    """Singular names of the O*NET occupations themselves ("roofer", "physical therapist", each noun of a list
    title: "hairdresser", "hairstylist", "cosmetologist", the head of a qualified one: "painter"), keyed like the
    title index; the larger occupation wins a shared name. O*NET's alternate titles leave these out, so a
    reported title of another occupation ("Roofer" reported by carpenters) would win them."""
    names: dict[str, tuple[int, str]] = {}
    ends = Counter(occ.title.split(",")[0].split()[-1] for occ in taxonomy.occupations.values())
    for code, occ in taxonomy.occupations.items():
        if "All Other" in occ.title:
            continue  # a residual category ('Social Workers, All Other') names no one
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?", occ.title) if p.strip()]
        if not all(p.endswith("s") and not p.lower().startswith(("except", "all other")) for p in parts):
            parts = parts[:1]  # 'Painters, Construction and Maintenance': the painters
        for part in list(parts):
            pieces = part.split(" and ")
            if len(pieces) > 1 and all(p.endswith("s") for p in pieces):  # 'Environmental Scientists and ...'
                parts += [p for p in pieces if " " in p or ends[p] < 3]  # not a generic 'Specialists'
        for part in parts:
            if not part.endswith("s") or part.endswith("ss"):
                continue
            key = taxonomy.split_seniority(drop_plural(part))[0]
            employment = (taxonomy.wages(code) or {}).get("employment") or 0
            if key and (key not in names or employment > names[key][0]):
                names[key] = (employment, code)
    return {key: code for key, (_, code) in names.items()}


def _level(words: list[str]) -> tuple[list[str], str | None]:
    """Title words less seniority words, and the level; "associate" as the head noun names the role ("Sales
    Associate"), not a junior level."""
    kept, level = strip_seniority(words)
    if kept and kept[-1].lower() == "associate" and not strip_seniority(words[:-1])[1]:
        level = None
    return kept, level


def _resolve_role(phrase: str, taxonomy: Taxonomy) -> tuple[str, float, str | None] | None:
    """(occupation code, score, seniority) for a role phrase, or None when nothing resolves well."""
    words, level = _level([t for t, _, _ in tokens(phrase.replace("/", " "))])
    if not words:
        return None
    if (code := _ROLE_OVERRIDES.get(_squash(drop_plural(" ".join(words))))) and code in taxonomy.occupations:
        return code, 1.0, level
    named = _occupation_names(taxonomy)
    for variant in dict.fromkeys((" ".join(words), drop_plural(" ".join(words)))):
        if (code := named.get(taxonomy.split_seniority(variant)[0])) and code in taxonomy.occupations:
            return code, 1.0, level
    core = " ".join(words)
    leaders = {"head", "vp", "chief", "of", "the", "associate"}  # 'Associate Accountant' is an accountant
    without_leader = " ".join([w for w in words[:-1] if w.lower() not in leaders] + words[-1:])
    needed = 0.95 if len(words) == 1 else 0.8  # one word ("Health") must be a title, not a guess
    for variant in dict.fromkeys((core, without_leader, drop_plural(core))):
        match = taxonomy.normalize_title(variant) if variant else None
        if match and match.score >= needed:
            return match.code, match.score, level
    return None


def _chunks(text: str) -> list[list[tuple[str, int, int]]]:
    """Runs of words between punctuation and boundary words ("in", "with", "for"...)."""
    out: list[list[tuple[str, int, int]]] = [[]]
    previous_end = 0
    for tok, start, end in tokens(text):
        gap = text[previous_end:start]
        if re.search(r"[,;:()|!?\[\]]|\s[-–—/]\s|\.\s", gap) or tok.lower() in _BOUNDARY_WORDS:
            out.append([])
        if tok.lower() not in _BOUNDARY_WORDS:
            out[-1].append((tok.rstrip(",;:") if tok.endswith((",", ";")) else tok, start, end))
        previous_end = end
    return [c for c in out if c]


def _find_role_in(text: str, base: int, taxonomy: Taxonomy) -> Role | None:
    """The first run of words in ``text`` with a phrase that ends in a role noun and resolves to an occupation (the
    longest such phrase of that run)."""
    heads = _head_nouns(taxonomy)
    best: tuple[tuple[int, int, int], list[tuple[str, int, int]], int, int, tuple[str, float, str | None]] | None = None
    for n, chunk in enumerate(_chunks(text)):
        for j, (tok, _, end) in enumerate(chunk):
            head = tok.lower().rstrip(".")
            if not {head, drop_plural(head)} & heads and _ABBREVIATIONS.get(head) not in heads:
                continue
            for i in range(j + 1):
                if (chunk[i][0].lower() in _FILLER_START or chunk[i][0].isdigit()) and i < j:
                    continue
                resolved = _resolve_role(text[chunk[i][1]:end], taxonomy)
                if resolved is None:
                    continue
                key = (-n, j - i + 1, -chunk[i][1])  # the first phrase of the text that names a role
                if best is None or key > best[0]:
                    best = (key, chunk, i, j, resolved)
                break  # the longest phrase that ends here and resolves
    if best is None:
        return None
    _, chunk, i, j, (code, _score, level) = best
    first = i
    while first > 0 and taxonomy.skills.get(taxonomy.normalize_skill(chunk[first - 1][0]) or "") == "technology":
        first -= 1  # 'Go developer': the technology stays in the title (and is read as a skill too)
    start, end = chunk[i][1], chunk[j][2]
    head = chunk[j][0].lower().rstrip(".")
    phrase = text[chunk[first][1]:end]
    if head not in _EXTRA_HEADS and drop_plural(head) != head and drop_plural(head) in heads:  # 'nurses' → 'nurse'
        phrase, head = drop_plural(phrase), drop_plural(head)
    title = _title_case(phrase, taxonomy)
    return Role(title, code, taxonomy.occupations[code].title, level, base + start, base + end, head)


def _title_case(phrase: str, taxonomy: Taxonomy) -> str:
    words = []
    for i, (tok, _, _) in enumerate(tokens(phrase)):
        lower = tok.lower().rstrip(".")
        skill = taxonomy.normalize_skill(tok)
        if lower in _ACRONYMS:
            words.append(_ACRONYMS[lower])
        elif lower in {"sr", "jr"}:
            words.append(lower.capitalize() + ".")
        elif i and lower in _SMALL_WORDS:
            words.append(lower)
        elif skill and skill.lower() == tok.lower() and skill != skill.lower():  # "JavaScript", not "logistics"
            words.append(skill)
        elif tok[1:] != tok[1:].lower():
            words.append(tok)
        else:
            words.append(tok[:1].upper() + tok[1:].lower())
    return " ".join(words)


def _role_candidates(doc: Document) -> list[Segment]:
    """Where a role phrase may be: a Title: line, a "we are looking for" sentence, the first sentence."""
    titled = [s for s in doc.segments if s.section == "title"]
    cued = []
    for seg in doc.segments[:12]:
        if m := _ROLE_CUE_RE.search(seg.text):
            cued.append(Segment(seg.text[m.end():], seg.start + m.end(), seg.section, seg.line))
    early = [s for s in doc.segments[:4] if s.section not in {"about", "nice", "must", "duties"}]
    return titled + cued + early


def find_role(doc: Document, taxonomy: Taxonomy) -> Role | None:
    """The role phrase of a Title: line, a "we are looking for" sentence or the first sentences."""
    for segment in _role_candidates(doc):
        if role := _find_role_in(segment.text, segment.start, taxonomy):
            return role
    return None


def without_licence(role: Role, text: str, licences: list[tuple[int, int]], taxonomy: Taxonomy) -> Role:
    """The role with a licence written before the title left out of the title ("CDL-A truck driver" is a truck
    driver who holds a CDL-A; the licence is read as a credential)."""
    lead = next(((start, end) for start, end in licences if start <= role.start < end < role.end), None)
    if lead is None or not text[lead[1]:role.end].strip():
        return role
    start = lead[1] + len(text[lead[1]:role.end]) - len(text[lead[1]:role.end].lstrip())
    return replace(role, title=_title_case(text[start:role.end], taxonomy), start=start)


def seniority_nearby(doc: Document, role: Role | None) -> str | None:
    """A seniority word elsewhere in the role's sentence ("backend engineer, senior level")."""
    segment = next((s for s in doc.segments if role and s.start <= role.start < s.end), None)
    if segment is None:
        segment = doc.segments[0] if doc.segments and not doc.long else None
    if segment is None:
        return None
    level = None
    for tok, _, _ in tokens(segment.text):
        key = tok.lower().rstrip(".")
        if key not in ROLE_SENIORITY_WORDS and key not in _PLAIN_IN_PROSE:
            level = higher_seniority(level, SENIORITY_WORDS.get(key))
    return level


# ---- related titles ----------------------------------------------------------------------------------------


def _title_words(title: str) -> list[str]:
    text = title.lower().replace("-", " ")
    for joined, spaced in (("frontend", "front end"), ("backend", "back end"), ("fullstack", "full stack")):
        text = text.replace(joined, spaced)
    return [_ABBREVIATIONS.get(w, w) for w in text.split()]


def related_titles(title: str, code: str, taxonomy: Taxonomy, n: int = MAX_RELATED_TITLES) -> list[str]:
    """Other titles of the occupation that share the role's head noun (or, failing that, a word), closest first."""
    words = _title_words(title)
    if not words:
        return []
    head = words[-1]
    wanted = {w for w in words if w not in _SMALL_WORDS and w not in ROLE_SENIORITY_WORDS}
    occupation = taxonomy.occupations.get(code)
    occupation_words = {w.rstrip("s") for w in _title_words(occupation.title)} if occupation else set()

    def rank(candidate: str) -> tuple[bool, int, int, bool, int, str]:
        theirs = _title_words(candidate)
        overlap = len(wanted & set(theirs))
        typical = len(occupation_words & {w.rstrip("s") for w in theirs})  # 'Software Engineer' before 'Game ...'
        technical = any(taxonomy.normalize_skill(w) for w in candidate.split()[:-1])  # 'XML Developer' goes last
        return theirs[-1:] != [head], -overlap, -typical, technical, len(candidate), candidate

    pool = [t for t in taxonomy.titles_for(code)
            if t.lower() != title.lower() and (_title_words(t)[-1:] == [head] or wanted & set(_title_words(t)))]
    ranked = sorted(pool, key=rank)
    sharing_head = [t for t in ranked if _title_words(t)[-1:] == [head]]
    return (sharing_head if len(sharing_head) >= 2 else ranked)[:n]
