"""The occupation, title and skill taxonomy, built from O*NET 29.2 and BLS OEWS (May 2025).

Plain Python, loaded once per process from the compact file that ships in ``tools/taxonomy_data``:

* title normalisation: alternate and reported job titles → O*NET occupation, seniority words separated;
* skill vocabulary: O*NET technology examples and basic skills plus common recruiter aliases
  (``k8s`` → Kubernetes, ``golang`` → Go, ``Postgres`` → PostgreSQL), with a span-reporting extractor;
* experience and education expectations per occupation (job zones and the O*NET distributions);
* labour-market figures: national employment and wages, employment and median wage per metro area.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tools.skill_phrases import esco_index
from tools.taxonomy_build import TAXONOMY_FILE

# Years represented by each O*NET "related work experience" category (1..11): lower and upper bound.
RW_YEARS: tuple[tuple[float, float], ...] = (
    (0, 0), (0, 1 / 12), (1 / 12, 0.25), (0.25, 0.5), (0.5, 1), (1, 2), (2, 4), (4, 6), (6, 8), (8, 10), (10, 20),
)
# Degree names for O*NET "required level of education" categories (1..12).
EDUCATION_LEVELS: tuple[str, ...] = (
    "Less than high school", "High school diploma", "Post-secondary certificate", "Some college",
    "Associate's degree", "Bachelor's degree", "Post-baccalaureate certificate", "Master's degree",
    "Post-master's certificate", "First professional degree", "Doctoral degree", "Post-doctoral training",
)
SENIORITY_LEVELS: tuple[str, ...] = (
    "intern", "junior", "mid", "senior", "lead", "principal", "manager", "director", "executive",
)

# Words that mark seniority in a title, and the level each one means; removed before the title is normalised.
# "entry" counts only in "entry level", a roman numeral only at the end of a title ("Accountant II, remote").
SENIORITY_WORDS: dict[str, str] = {
    "intern": "intern", "internship": "intern", "trainee": "intern", "apprentice": "intern",
    "junior": "junior", "jr": "junior", "entry-level": "junior", "graduate": "junior", "associate": "junior",
    "i": "junior", "ii": "mid", "iii": "senior", "iv": "senior",
    "mid": "mid", "mid-level": "mid", "midlevel": "mid", "intermediate": "mid",
    "senior": "senior", "sr": "senior", "experienced": "senior", "senior-level": "senior",
    "lead": "lead", "staff": "lead", "principal": "principal", "distinguished": "principal",
    "head": "director", "director": "director", "vp": "executive", "chief": "executive",
    "manager": "manager", "mgr": "manager",
}
# Seniority words that also name the role ("Engineering Manager", "Head of Sales", "VP Sales"): kept in the title.
ROLE_SENIORITY_WORDS = frozenset({"manager", "mgr", "director", "chief", "head", "vp", "associate"})
_ROMAN_NUMERALS = {"i", "ii", "iii", "iv"}
_TITLE_NOISE = {"of", "the", "and", "&", "-", "level", "remote", "contract", "temporary", "full", "time"}

# Aliases recruiters and resumes use for skills, mapped to the canonical O*NET example names
# (or to the extra skills below).
SKILL_ALIASES: dict[str, str] = {
    "k8s": "Kubernetes", "kube": "Kubernetes", "golang": "Go", "go lang": "Go",
    "js": "JavaScript", "javascript": "JavaScript", "ecmascript": "JavaScript", "es6": "JavaScript",
    "ts": "TypeScript", "typescript": "TypeScript", "postgres": "PostgreSQL", "postgresql": "PostgreSQL",
    "psql": "PostgreSQL", "mysql": "MySQL", "mongo": "MongoDB", "mongodb": "MongoDB",
    "node": "Node.js", "nodejs": "Node.js", "node js": "Node.js", "react.js": "React", "reactjs": "React",
    "react js": "React", "vue": "Vue.js", "vuejs": "Vue.js", "angularjs": "Google Angular",
    "angular": "Google Angular", "aws": "Amazon Web Services AWS software",
    "amazon web services": "Amazon Web Services AWS software", "ec2": "Amazon Elastic Compute Cloud EC2",
    "s3": "Amazon Simple Storage Service S3", "gcp": "Google Cloud software",
    "google cloud platform": "Google Cloud software", "google cloud": "Google Cloud software",
    "azure": "Microsoft Azure software", "ms azure": "Microsoft Azure software",
    "excel": "Microsoft Excel", "ms excel": "Microsoft Excel", "powerpoint": "Microsoft PowerPoint",
    "ms powerpoint": "Microsoft PowerPoint", "ms word": "Microsoft Word", "ms office": "Microsoft Office software",
    "microsoft office": "Microsoft Office software", "ms access": "Microsoft Access", "outlook": "Microsoft Outlook",
    "sharepoint": "Microsoft SharePoint", "power bi": "Microsoft Power BI", "powerbi": "Microsoft Power BI",
    "sql server": "Microsoft SQL Server", "mssql": "Microsoft SQL Server", "ms sql": "Microsoft SQL Server",
    "sql": "Structured query language SQL", "html": "Hypertext markup language HTML",
    "html5": "Hypertext markup language HTML", "css": "Cascading style sheets CSS",
    "css3": "Cascading style sheets CSS", "json": "JavaScript Object Notation JSON",
    "xml": "Extensible markup language XML", "jira": "Atlassian JIRA", "confluence": "Atlassian Confluence",
    "bitbucket": "Atlassian Bitbucket", "jenkins": "Jenkins CI", "terraform": "IBM Terraform",
    "ansible": "Ansible software", "kafka": "Apache Kafka", "spark": "Apache Spark",
    "pyspark": "Apache Spark", "hadoop": "Apache Hadoop", "hive": "Apache Hive", "cassandra": "Apache Cassandra",
    "tomcat": "Apache Tomcat", "maven": "Apache Maven", "svn": "Apache Subversion SVN",
    "subversion": "Apache Subversion SVN", "android": "Google Android", "ios": "Apple iOS", "iOS": "Apple iOS",
    "macos": "Apple macOS", "tensorflow": "TensorFlow", "pytorch": "PyTorch", "sklearn": "scikit-learn",
    "scikit learn": "scikit-learn", "c sharp": "C#", "cpp": "C++", "dotnet": "Microsoft .NET Framework",
    ".net": "Microsoft .NET Framework", "asp.net": "Microsoft ASP.NET", "vb.net": "Microsoft Visual Basic .NET",
    "tableau": "Tableau", "sap": "SAP software", "salesforce": "Salesforce software", "sfdc": "Salesforce software",
    "quickbooks": "Intuit QuickBooks", "autocad": "Autodesk AutoCAD", "revit": "Autodesk Revit",
    "photoshop": "Adobe Photoshop", "illustrator": "Adobe Illustrator", "indesign": "Adobe InDesign",
    "ml": "Machine learning", "deep learning": "Deep learning", "nlp": "Natural language processing",
    "ci/cd": "Continuous integration and delivery", "ci cd": "Continuous integration and delivery",
    "cicd": "Continuous integration and delivery", "continuous integration": "Continuous integration and delivery",
    "rest": "REST APIs", "restful": "REST APIs", "rest api": "REST APIs", "restful apis": "REST APIs",
    "micro services": "Microservices", "micro-services": "Microservices", "devops": "DevOps",
    "sre": "Site reliability engineering", "site reliability": "Site reliability engineering",
    "unix": "UNIX", "shell scripting": "Shell script", "bash": "Bash", "linux": "Linux",
    "gitlab": "GitLab", "github": "GitHub", "docker": "Docker", "elasticsearch": "Elasticsearch",
    "elastic search": "Elasticsearch", "redis": "Redis", "graphql": "GraphQL", "grpc": "gRPC",
}
# Skills recruiters ask for that O*NET lists only as descriptions, not as examples.
EXTRA_SKILLS: tuple[str, ...] = (
    "Machine learning", "Deep learning", "Natural language processing", "Data analysis", "Data visualization",
    "Continuous integration and delivery", "REST APIs", "Microservices", "DevOps", "Site reliability engineering",
    "Distributed systems", "Cloud computing", "Agile methodology", "Scrum", "Project management",
    "Customer service", "Account management", "Recruiting", "Payroll", "Budgeting", "Financial analysis",
    "Risk management", "Quality assurance", "Test automation", "Network security", "Information security",
    "Patient care", "Supply chain management", "Inventory management", "Business analysis", "Technical support",
    "Sales", "Marketing", "Digital marketing", "Search engine optimization SEO", "Social media marketing",
    "Accounting", "Auditing", "Contract negotiation", "Data warehousing", "ETL", "Statistics", "Computer vision",
    "gRPC", "Redis", "Vue.js", "Shell script", "Data science", "Computer science",
)
# Aliases that are also ordinary English words (or too short to be safe): matched only with this exact case.
CASE_SENSITIVE = {
    "go", "c", "r", "d", "j", "chef", "access", "word", "excel", "project", "teams", "outlook", "office",
    "windows", "shell", "express", "react", "swift", "ruby", "rust", "spark", "hive", "pig", "puppet", "salt",
    "ant", "gem", "flask", "bootstrap", "sage", "sketch", "box", "slack", "zoom", "square", "julia", "dart",
    "elm", "pascal", "ada", "basic", "logo", "looker", "ember", "backbone", "meteor", "mercury", "jasmine",
    "mocha", "karma", "jest", "chai", "cucumber", "selenium", "postman", "bamboo", "notion", "canvas",
    "blackboard", "dynamics", "epic", "athena", "maya", "nuke", "blender", "unity", "premiere", "audition",
    "animate", "bridge", "acrobat", "illustrator", "rest", "ml", "ts", "js", "sre", "node", "vue", "spring",
    "kube", "cassandra", "sap", "ios", "mongo", "sales", "marketing", "accounting", "payroll", "recruiting",
    "budgeting", "statistics", "scrum", "auditing", "etl", "email", "internet", "apex", "visual", "studio",
    "compass", "eclipse", "alpine", "pandas", "arrow", "dash", "plotly", "make", "yarn", "gulp", "grunt",
    "helm", "istio", "vault", "consul", "nomad", "packer", "vagrant", "storm", "flink", "beam", "airflow",
    "prefect", "dagster", "glue", "lambda", "kinesis", "aurora", "neptune", "timestream",
    "keras", "theano", "caffe", "torch", "numpy", "scipy", "matplotlib", "seaborn",
}
_TOKEN_RE = re.compile(r"\.?[^\W_](?:[\w+#.&'-]*[\w+#])?")
_CAMEL_CASE_RE = re.compile(r"[A-Z][a-z]+[A-Z][A-Za-z]*")  # a product name: SolidWorks, QlikView, MicroStation
_QUALIFIER_RE = re.compile(r"\s*\([^()]*\)\s*$")  # ESCO's "Java (computer programming)"
_VERB_TO_RE = re.compile(r"\s+to\b", re.IGNORECASE)  # "reporting to", "working to": the verb, not a skill
# "Head of Sales", "VP of Marketing", "our Finance department": the department, not a skill
_DEPARTMENT_BEFORE_RE = re.compile(r"\b(?:head|director|vp|vice president|chief|department|team)\s+of\s+(?:the\s+)?$",
                                   re.IGNORECASE)
_MAX_SKILL_TOKENS = 7


@dataclass(frozen=True, slots=True)
class Occupation:
    code: str
    title: str
    description: str
    soc: str
    job_zone: int | None
    tech: tuple[tuple[str, bool, bool], ...]  # (example, hot technology, in demand)
    skills: tuple[tuple[str, float], ...]  # (basic skill, importance 1..5), most important first
    rw: tuple[float, ...]  # related work experience distribution, percent per category 1..11
    rl: tuple[float, ...]  # required education distribution, percent per category 1..12


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """A free-text job title resolved to an O*NET occupation."""

    text: str
    code: str
    occupation: str
    matched_title: str
    score: float  # 1.0 for an exact title, lower for a token-overlap guess
    seniority: str | None


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in text: the canonical name and the verbatim span ``text[start:end]``."""

    skill: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class ExperienceExpectation:
    code: str
    job_zone: int | None
    median_years: float
    p25_years: float
    p75_years: float
    typical_education: str


@dataclass(slots=True)
class _SkillIndex:
    folded: dict[str, str] = field(default_factory=dict)  # lower-case token key -> canonical
    exact: dict[str, str] = field(default_factory=dict)  # exact-case token key -> canonical


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Split text into word tokens with their offsets; keeps C++, C#, .NET, Node.js as one token."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _key(text: str) -> str:
    return " ".join(t for t, _, _ in tokens(text))


TITLE_SYNONYMS = {
    "backend": "back end", "back-end": "back end", "frontend": "front end", "front-end": "front end",
    "fullstack": "full stack", "full-stack": "full stack", "dev": "developer", "devs": "developer",
    "eng": "engineer", "engr": "engineer", "swe": "software engineer", "sde": "software developer",
    "mgr": "manager", "asst": "assistant", "admin": "administrator", "rn": "registered nurse",
}


def _title_key(title: str) -> str:
    """Lower-case title tokens with common recruiter abbreviations spelled out."""
    words = []
    for tok, _, _ in tokens(title.lower().replace("/", " ")):
        tok = tok.rstrip(".")
        words.append(TITLE_SYNONYMS.get(tok, tok))
    return " ".join(words)


def higher_seniority(a: str | None, b: str | None) -> str | None:
    """The more senior of two levels of :data:`SENIORITY_LEVELS` (either may be None)."""
    if a is None or b is None:
        return a or b
    return a if SENIORITY_LEVELS.index(a) >= SENIORITY_LEVELS.index(b) else b


def strip_seniority(words: Sequence[str]) -> tuple[list[str], str | None]:
    """Title words, as written, less their seniority words, and the highest level those state:
    ``["Senior", "Backend", "Engineer"]`` → (``["Backend", "Engineer"]``, senior). Words that also name the role
    (:data:`ROLE_SENIORITY_WORDS`) stay; "level" after a seniority word goes ("Senior level", "Entry level")."""
    keys = [w.lower().rstrip(".") for w in words]
    kept: list[str] = []
    level = None
    after_seniority = False
    for i, (word, key) in enumerate(zip(words, keys, strict=True)):
        if key == "entry" and keys[i + 1:i + 2] == ["level"]:
            key = "entry-level"
        numeral_inside = key in _ROMAN_NUMERALS and any(k not in _TITLE_NOISE for k in keys[i + 1:])
        found = None if numeral_inside else SENIORITY_WORDS.get(key)
        if found:
            level = higher_seniority(level, found)
            if key in ROLE_SENIORITY_WORDS:
                kept.append(word)
        elif not (key == "level" and after_seniority):
            kept.append(word)
        after_seniority = found is not None
    return kept, level


def _split_seniority(title: str) -> tuple[str, str | None]:
    kept, level = strip_seniority(_title_key(title.replace("Sr.", "senior").replace("Jr.", "junior")).split())
    return " ".join(w for w in kept if w not in _TITLE_NOISE), level


def drop_plural(phrase: str) -> str:
    """The phrase with its last word in the singular, crudely: a final "s" goes unless it is "ss"
    ("backend developers" → "backend developer", "business" stays)."""
    return phrase[:-1] if phrase.endswith("s") and not phrase.endswith("ss") else phrase


def core_title(title: str, *, singular: bool = False) -> str:
    """A title without its seniority words, in the lower-case form titles are compared in (abbreviations spelled
    out, filler dropped): ``"Sr. Backend Engineer II"`` → ``"back end engineer"``. ``singular`` also drops a plural
    "s" from the last word ("Python developers" → "python developer")."""
    core = _split_seniority(title)[0]
    return drop_plural(core) if singular else core


def _acronym_alias(name: str) -> str | None:
    """'Structured query language SQL' -> 'SQL' when the last word is the initials of all the others; a vendor's
    product whose name only ends in a generic category ('... Point of Sale POS') does not own the acronym."""
    words = name.split()
    if len(words) < 3 or not words[-1].isupper() or not words[-1].isalpha():
        return None
    initials = "".join(w[0] for w in words[:-1] if w[0].isalpha()).upper()
    return words[-1] if initials == words[-1] else None


_VENDORS = ("Microsoft ", "Apache ", "Atlassian ", "Google ", "IBM ", "Amazon ", "Oracle ", "Adobe ", "Apple ",
            "Autodesk ", "Intuit ", "SAP ", "Cisco ", "Salesforce ", "VMware ")


class Taxonomy:
    """O*NET occupations, titles and skills, BLS employment and wages. Use :func:`load`."""

    def __init__(self, doc: dict) -> None:
        self.version: str = doc["version"]
        self.occupations: dict[str, Occupation] = {
            code: Occupation(
                code=code, title=o["title"], description=o["description"], soc=o["soc"],
                job_zone=o["job_zone"], tech=tuple(tuple(t) for t in o["tech"]),
                skills=tuple(tuple(s) for s in o["skills"]), rw=tuple(o["rw"]), rl=tuple(o["rl"]),
            )
            for code, o in doc["occupations"].items()
        }
        self.bls_national: dict[str, dict] = doc["bls_national"]
        self.metros: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in doc["metros"].items()}
        self.metro_employment: dict[str, list[list]] = doc["metro_employment"]
        self._titles: dict[str, tuple[str, str]] = {}
        self._skill_forms: dict[str, list[str]] | None = None
        self._title_tokens: dict[str, set[str]] = defaultdict(set)
        # A title shared by several occupations goes to the occupation it names, then to the one
        # that employs the most people.
        source_rank = {"occupation": 0, "reported": 1, "alternate": 2}
        ranked: dict[str, tuple] = {}
        for title, code, source in doc["titles"]:
            key = _title_key(title)
            employment = (self.bls_national.get(code[:7]) or {}).get("employment") or 0
            candidate = (source_rank[source], -employment, not code.endswith(".00"), code, title)
            if key not in ranked or candidate < ranked[key]:
                ranked[key] = candidate
        for key, (_, _, _, code, title) in ranked.items():
            self._titles[key] = (title, code)
        self.reported_titles: dict[str, list[str]] = defaultdict(list)  # titles incumbents actually report
        for title, code, source in doc["titles"]:
            if source == "reported":
                self.reported_titles[code].append(title)
        for key in self._titles:
            for tok in key.split():
                self._title_tokens[tok].add(key)
        self._title_df = {tok: len(keys) for tok, keys in self._title_tokens.items()}
        self.skills: dict[str, str] = {}  # canonical name -> kind (technology | basic | extra)
        self.hot_skills: set[str] = set()
        for occ in self.occupations.values():
            for name, hot, _demand in occ.tech:
                self.skills.setdefault(name, "technology")
                if hot:
                    self.hot_skills.add(name)
            for name, _importance in occ.skills:
                self.skills.setdefault(name, "basic")
        for name in EXTRA_SKILLS:
            self.skills.setdefault(name, "extra")
        self._index = self._build_skill_index()

    # ---- skills ---------------------------------------------------------------------------------
    def _build_skill_index(self) -> _SkillIndex:
        index = _SkillIndex()
        plain_words = esco_index().plain_words
        camel: dict[str, set[str]] = defaultdict(set)

        def add(alias: str, canonical: str, *, generated: bool) -> None:
            key = _key(alias)
            if not key:
                return
            folded = key.lower()
            if folded in CASE_SENSITIVE or len(folded) <= 2:
                if key.islower() and not generated:  # a curated lower-case alias: its capitalised spellings
                    index.exact.setdefault(key.upper(), canonical)
                    index.exact.setdefault(key.capitalize(), canonical)
                else:
                    index.exact.setdefault(key, canonical)
                return
            if generated:
                index.folded.setdefault(folded, canonical)
            else:
                index.folded[folded] = canonical

        for name in self.skills:
            add(name, name, generated=False)
        for name in self.skills:
            acronym = _acronym_alias(name)
            if acronym:  # an acronym only in capitals: "ETC" is a product, "etc" is not
                index.exact.setdefault(acronym, name)
            stripped = name.removesuffix(" software")
            for vendor in _VENDORS:
                if stripped.startswith(vendor):
                    stripped = stripped[len(vendor):]
                    break
            # "Pricing software" is not "Pricing"; a curated case-sensitive word stays ("Word", "Project")
            folded = stripped.lower()
            plain_word = " " not in stripped and folded in plain_words and folded not in CASE_SENSITIVE
            if stripped != name and stripped[:1].isupper() and len(stripped) > 2 and not plain_word:
                add(stripped, name, generated=True)
            product = stripped.split()[-1]  # "Dassault Systemes SolidWorks" → "SolidWorks", exactly so written
            initials = "".join(w[0] for w in stripped.split()[:-1]).upper()
            initialism = initials.endswith(product.upper())  # "Software as a service SaaS": not a product
            if _CAMEL_CASE_RE.fullmatch(product) and not initialism and product.lower() not in plain_words:
                camel[product].add(name)
        for product, names in camel.items():
            if len(names) == 1:  # a product name two vendors share stays ambiguous
                index.exact.setdefault(product, next(iter(names)))
        for alias, canonical in SKILL_ALIASES.items():
            if canonical in self.skills:
                add(alias, canonical, generated=False)
                add(canonical, canonical, generated=False)
        return index

    def normalize_skill(self, text: str) -> str | None:
        """The canonical skill for a name or alias (``"k8s"`` → ``"Kubernetes"``), or None. A name the O*NET
        vocabulary lacks may be an ESCO skill label, returned as ESCO writes it ("Cloud technology" →
        "cloud technologies"); an ESCO label's qualifier is dropped for the look-up ("Java (computer programming)"
        → "Java")."""
        key = _key(text.strip())
        if not key:
            return None
        found = self._lookup(key)
        if found is None and _QUALIFIER_RE.search(text):
            found = self._lookup(_key(_QUALIFIER_RE.sub("", text)))
        return found or esco_index().lookup(text)

    def _lookup(self, key: str) -> str | None:
        if not key:
            return None
        return self._index.exact.get(key) or self._index.folded.get(key.lower()) or (
            self._index.exact.get(key.capitalize()) if len(key) > 2 else None
        )

    def expand_skill(self, text: str) -> list[str]:
        """Every surface form that means the same skill as ``text``: canonical name first, then aliases."""
        canonical = self.normalize_skill(text) or text
        reverse = self._skill_forms
        if reverse is None:  # canonical -> its aliases, in table order (built once: a scan per call cost ms)
            reverse = {}
            for table in (self._index.folded, self._index.exact):
                for k, v in table.items():
                    reverse.setdefault(v, []).append(k)
            self._skill_forms = reverse
        forms = [canonical] + [k for k in reverse.get(canonical, ()) if k.lower() != canonical.lower()]
        return list(dict.fromkeys(forms))

    def extract_skills(self, text: str) -> list[SkillMention]:
        """Skills mentioned in ``text``, in order, each with its verbatim character span: the O*NET vocabulary and
        its aliases first (longest match first), then ESCO skill phrases (:mod:`tools.skill_phrases`) where they
        leave text, or where a phrase of several words covers a shorter match ("Cloud Technologies" over "Cloud").
        A word in "-ing" followed by "to" is the verb ("reporting to"); a name after "Head of" is the department."""
        found = [m for m in self._vocabulary_mentions(text) if not _verb_before_to(text, m)
                 and not _DEPARTMENT_BEFORE_RE.search(text[max(0, m.start - 30):m.start])]
        for phrase in esco_index().find(text):
            if " " not in phrase.label and phrase.label.lower() in CASE_SENSITIVE:
                continue  # a word the vocabulary above reads by its case only ("accounting" is the activity)
            inside = [m for m in found if phrase.start < m.end and m.start < phrase.end]
            covers = all(phrase.start <= m.start and m.end <= phrase.end and m.end - m.start < phrase.end - phrase.start
                         for m in inside)
            if not inside or (covers and " " in text[phrase.start:phrase.end]):  # "Cloud Technologies" over "Cloud"
                found = [m for m in found if m not in inside]
                found.append(SkillMention(phrase.label, phrase.start, phrase.end, text[phrase.start:phrase.end]))
        return sorted(found, key=lambda m: m.start)

    def _vocabulary_mentions(self, text: str) -> list[SkillMention]:
        toks = tokens(text)
        found: list[SkillMention] = []
        i = 0
        folded, exact = self._index.folded, self._index.exact
        while i < len(toks):
            hit = None
            for n in range(min(_MAX_SKILL_TOKENS, len(toks) - i), 0, -1):
                window = toks[i:i + n]
                key = " ".join(t for t, _, _ in window)
                canonical = exact.get(key) or folded.get(key.lower())
                if canonical is None and window[-1][0].endswith("."):
                    key = key.rstrip(".")
                    canonical = exact.get(key) or folded.get(key.lower())
                if canonical:
                    start, end = window[0][1], window[0][1] + len(key) if n == 1 else window[-1][2]
                    if n > 1 and text[start:end].rstrip(".") != text[start:end]:
                        end -= len(text[start:end]) - len(text[start:end].rstrip("."))
                    hit = SkillMention(canonical, start, end, text[start:end])
                    i += n
                    break
            if hit:
                found.append(hit)
            else:
                i += 1
        return found

    def skill_set(self, text: str) -> list[str]:
        """Distinct canonical skills in ``text`` in order of first mention."""
        return list(dict.fromkeys(m.skill for m in self.extract_skills(text)))

    # ---- titles ---------------------------------------------------------------------------------
    def title_keys(self) -> Iterable[str]:
        """The normalised keys of every known job title (O*NET occupation, alternate and reported titles)."""
        return self._titles.keys()

    def split_seniority(self, title: str) -> tuple[str, str | None]:
        """Remove seniority words from a title: ``"Sr. Backend Engineer II"`` → (``"back end engineer"``, senior)."""
        return _split_seniority(title)

    def normalize_title(self, title: str) -> TitleMatch | None:
        """Resolve a free-text title to an O*NET occupation (exact title first, then token overlap)."""
        raw = _title_key(title)
        if not raw:
            return None
        core, level = self.split_seniority(title)
        for key, score in ((raw, 1.0), (core, 0.95)):
            if key in self._titles:
                matched, code = self._titles[key]
                return TitleMatch(title, code, self.occupations[code].title, matched, score, level)
        n = len(self._titles)
        weights = {w: math.log(1 + n / self._title_df.get(w, 1)) for w in core.split()}
        words = [w for w in weights if w in self._title_df]
        if not words:
            return None
        scores: dict[str, float] = defaultdict(float)
        for w in words:
            if self._title_df[w] > 5000:
                continue
            for key in self._title_tokens[w]:
                scores[key] += weights[w]
        head = core.split()[-1]  # the head noun ("engineer", "nurse") must survive the match
        if head in self._title_df:
            scores = defaultdict(float, {k: v for k, v in scores.items() if head in k.split()})
        if not scores:
            return None
        total = sum(weights.values())

        def rank(key: str) -> tuple[float, int, str]:
            overlap = scores[key] / (total + 0.35 * sum(1 for t in key.split() if t not in weights))
            return (overlap, -len(key), key)

        best = max(scores, key=rank)
        score = rank(best)[0]
        if score < 0.5:
            return None
        matched, code = self._titles[best]
        return TitleMatch(title, code, self.occupations[code].title, matched, round(min(score, 0.9), 3), level)

    def titles_for(self, code: str) -> list[str]:
        """Every known title variant of an occupation."""
        return [t for t, c in self._titles.values() if c == code]

    def title_entries(self) -> Iterable[tuple[str, str, str]]:
        """(normalised key, title, O*NET code) of every known job title."""
        return ((key, title, code) for key, (title, code) in self._titles.items())

    # ---- experience, seniority, market ------------------------------------------------------------
    def experience_expectation(self, code: str) -> ExperienceExpectation:
        """Typical related experience and education for an occupation, from O*NET distributions."""
        occ = self.occupations[code]
        weights = list(occ.rw) if sum(occ.rw) > 0 else _job_zone_rw(occ.job_zone)

        def quantile(q: float) -> float:
            total = sum(weights)
            acc = 0.0
            for (lo, hi), w in zip(RW_YEARS, weights, strict=True):
                if w <= 0:
                    continue
                if acc + w >= q * total:
                    return round(lo + (hi - lo) * ((q * total - acc) / w), 1)
                acc += w
            return RW_YEARS[-1][1]

        rl = list(occ.rl)
        if sum(rl) > 0:
            education = EDUCATION_LEVELS[rl.index(max(rl))]
        else:
            education = EDUCATION_LEVELS[{1: 0, 2: 1, 3: 4, 4: 5, 5: 7}.get(occ.job_zone or 3, 5)]
        return ExperienceExpectation(code, occ.job_zone, quantile(0.5), quantile(0.25), quantile(0.75), education)

    @staticmethod
    def seniority_for_years(years: float) -> str:
        if years < 2:
            return "junior"
        if years < 5:
            return "mid"
        if years < 10:
            return "senior"
        return "lead"

    def wages(self, code: str) -> dict | None:
        """BLS national annual wage percentiles and employment for the occupation's SOC code."""
        return self.bls_national.get(code[:7])

    def metro_wage(self, code: str, area_code: str) -> int | None:
        for area, _emp, median in self.metro_employment.get(code[:7], []):
            if area == area_code:
                return median
        return None


def _verb_before_to(text: str, mention: SkillMention) -> bool:
    return (" " not in mention.surface and mention.surface.lower().endswith("ing")
            and _VERB_TO_RE.match(text, mention.end) is not None)


def _job_zone_rw(zone: int | None) -> list[float]:
    """A fallback experience distribution when O*NET has none for an occupation, by job zone."""
    peak = {1: 2, 2: 5, 3: 6, 4: 7, 5: 8}.get(zone or 3, 6)
    return [math.exp(-((i - peak) ** 2) / 2.0) for i in range(11)]


@cache
def load(path: Path | None = None) -> Taxonomy:
    """The taxonomy shipped with the project (cached per process)."""
    with gzip.open(path or TAXONOMY_FILE, "rt", encoding="utf-8") as fh:
        return Taxonomy(json.load(fh))
