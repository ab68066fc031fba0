"""The query translations against real engines: SQLite FTS5 and PostgreSQL return exactly what evaluate() says."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tools.search.query import (
    FTS5_COLUMNS,
    ProfileDoc,
    evaluate,
    fold,
    fts5_row,
    parse,
    pg_row,
    to_fts5,
    to_pg_sql,
)
from tools.search.query import tokenize as _tokens
from tools.search.types import SearchError


def _doc(title: str, skills: list[str], company: str, school: str, location: str, body: str) -> ProfileDoc:
    return ProfileDoc(title, skills, company, school, location, body, raw_text=body)


DOCS: dict[int, ProfileDoc] = {i: d for i, d in enumerate([
    _doc("Senior Site Reliability Engineer", ["Kubernetes", "Go", "Site reliability engineering", "Linux"], "Stripe",
         "MIT", "San Francisco, CA", "SRE running k8s clusters; on-call lead. Wrote services in golang."),
    _doc("DevOps Engineer", ["DevOps", "Docker", "Kubernetes", "Jenkins CI"], "Acme Corp", "Georgia Tech",
         "Atlanta, GA", "Built CI/CD pipelines and Kubernetes operators."),
    _doc("Engineering Manager\nSite Reliability Engineer", ["Kubernetes", "Project management"], "Google",
         "Stanford University", "Mountain View, CA", "Managed a team of 12 SREs running kube workloads."),
    _doc("Backend Developer", ["Python", "PostgreSQL"], "Zalando", "TU München", "Berlin, Germany",
         "Python backend services; Postgres tuning; Django."),
    _doc("Back-end Engineer", ["Oracle Java"], "SAP", "KIT Karlsruhe", "Walldorf, Germany", "Java microservices."),
    _doc("Registered Nurse", ["Patient care"], "Mayo Clinic", "University of Minnesota", "Rochester, MN",
         "ICU nurse; patient care and charting."),
    _doc("RN, Charge Nurse", ["Patient care"], "Kaiser Permanente", "UCLA", "Los Angeles, CA",
         "Night shift charge nurse for a 30-bed unit."),
    _doc("Nurse Practitioner", [], "One Medical", "Johns Hopkins University", "Baltimore, MD",
         "Family practice nurse practitioner."),
    _doc("C++ Developer", ["C++"], "Bloomberg", "Columbia University", "New York, NY",
         "Low-latency C++ and cpp templates."),
    _doc("Software Engineer", ["C#", "Microsoft .NET Framework"], "Microsoft", "University of Washington",
         "Redmond, WA", "C# and .NET Core services."),
    _doc("Full Stack Developer", ["Node.js", "React", "JavaScript"], "Shopify", "University of Waterloo",
         "Toronto, Canada", "Node.js, React and TypeScript."),
    _doc("Data Scientist", ["Python", "Machine learning"], "Spotify", "KTH", "Stockholm, Sweden",
         "ML models for recommendations."),
    _doc("Software Engineer", ["Go"], "Swisscom", "ETH Zürich", "Zürich, Switzerland", "Go services in Zürich."),
    _doc("Platform Engineer", ["Kubernetes"], "Migros", "ETH Zurich", "Zurich", "Platform team, kubectl daily."),
    _doc("Développeur logiciel", ["Oracle Java"], "Société Générale", "École Polytechnique", "Paris, France",
         "Développement Java et Kotlin."),
    _doc("Engenheiro de Software", ["Python"], "Nubank", "Universidade de São Paulo", "São Paulo, Brasil",
         "Serviços em Python."),
    _doc("软件工程师", ["Python"], "阿里巴巴", "清华大学", "北京", "姓名: 郝宁 负责后端开发"),
    _doc("Программист", ["Python"], "Яндекс", "МГУ", "Москва, Россия", "Разработка на Python в Москве."),
    _doc("Ingenieur", [], "Müller GmbH", "TU Wien", "Wien, Österreich", "Wohnt in der Straße am Ring."),
    _doc("Nurse Manager", ["Patient care", "Budgeting"], "Cleveland Clinic", "Case Western", "Cleveland, OH",
         "Manages 40 nurses."),
    _doc("Site Reliability Engineer", [], "Netflix", "UC Berkeley", "Los Gatos, CA",
         "Site reliability engineering practices, chaos testing."),
    _doc("Senior Go Developer", ["Go"], "Monzo", "Imperial College", "London, UK", "Go and gRPC."),
    _doc("Project Manager", ["Project management"], "Go Fund Me", "NYU", "Remote", "Ready to go anywhere."),
    _doc("Software Engineer", [], "Uber", "Cornell University", "Amsterdam, Netherlands",
         "I like to go hiking. Kotlin on Android."),
    _doc("Kubernetes Administrator", ["Kubernetes"], "Red Hat", "NC State", "Raleigh, NC", "OpenShift admin."),
    _doc("Frontend Engineer", ["React", "TypeScript"], "Vercel", "Waseda University", "Tokyo, Japan",
         "React and Next.js."),
    _doc("Front-end Developer", ["Vue.js"], "GitLab", "Universidad de Buenos Aires", "Buenos Aires, Argentina",
         "Vue and Nuxt."),
    _doc("Teacher", [], "Lincoln High School", "Ohio State University", "Columbus, OH", "Math teacher."),
    _doc("Accountant", ["Accounting", "Microsoft Excel"], "Deloitte", "Baruch College", "New York, NY",
         "Excel wizard and auditor."),
    _doc("Security Engineer", ["Network security"], "Cloudflare", "Carnegie Mellon", "Austin, TX",
         "Zero trust networking."),
    _doc("Machine Learning Engineer", ["Machine learning", "PyTorch"], "DeepMind", "Uniwersytet Jagielloński",
         "Łódź, Polska", "Deep learning research in Kraków and Łódź."),
    _doc(".NET Developer", ["Microsoft .NET Framework"], "Avanade", "Purdue", "Chicago, IL",
         ".NET 6, ASP.NET and the dotnet CLI."),
    _doc("Embedded Engineer", ["C"], "Bosch", "RWTH Aachen", "Stuttgart, Germany",
         "C and some C++ on microcontrollers."),
    _doc("Director of Nursing", [], "HCA Healthcare", "Vanderbilt", "Nashville, TN", "Leads 200 nurses."),
    _doc("Open Source Developer", [], "CNCF", "Self-taught", "Remote", "Contributor to kubelet and kubectl."),
    _doc("Intern", ["Python"], "Startup", "Stanford University", "Palo Alto, CA", "Summer intern."),
    _doc("Staff Engineer", ["Go", "Kubernetes"], "Cloudflare", "Universidade de Lisboa", "Lisbon, Portugal",
         "golang and k8s."),
    _doc("Registered Nurse", ["Patient care"], "Universitätsspital Zürich", "ZHAW", "Zürich",
         "Pflegefachfrau in Zürich."),
    _doc("Recruiter", ["Recruiting"], "Google", "Rutgers", "New York, NY", "Tech recruiter, engineers."),
    _doc("Senior Software Engineer", ["Python"], "Google", "Princeton", "Seattle, WA",
         "Distributed systems engineer."),
], start=1)}

QUERIES = [
    '("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager',
    "kube*", "title:(engineer OR developer) -manager", "Zürich", "zurich", "郝宁", "Москва", "C++", "C#", ".NET",
    "Node.js", "golang", "Go", "go", "title:nurse NOT title:manager", 'title:RN OR title:"registered nurse"',
    "title:backend", "skill:k8s", 'skill:"Patient care"', 'company:"Acme Corp"', "school:ETH",
    'location:"São Paulo"', '"site reliability"', "python AND (berlin OR stockholm)", "Strasse", "Łódź", "Lodz",
    "(nurse OR engineer) AND NOT (manager OR director)", "title:kube*", "skill:Kube*", "python django",
    '"engineer google"', "skill:Foobarium", 'title:"software engineer" location:zurich', "Excel",
    '"c++ developer"', "title:dev*", "nurs* -title:nurse", "Google -(recruiter OR intern)",
]
PG_ONLY = ["NOT nurse", "developer OR NOT title:intern", "-python -java"]  # beyond what FTS5 can say

EXPECTED = {  # written by hand
    '("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager': {1, 2},
    "Zürich": {13, 14, 38}, "zurich": {13, 14, 38}, "郝宁": {17}, "Москва": {18}, "C++": {9}, "C#": {10},
    ".NET": {10, 32}, "Go": {1, 13, 22, 37}, "go": {1, 13, 22, 23, 24, 37}, "Node.js": {11},
    "title:nurse NOT title:manager": {6, 7, 8, 38}, 'title:RN OR title:"registered nurse"': {6, 7, 38},
    "title:backend": {4, 5}, "kube*": {1, 2, 3, 14, 25, 35, 37}, '"engineer google"': set(),
    "Łódź": {31}, "Lodz": set(), "Strasse": {19}, "python django": {4}, "skill:k8s": {1, 2, 3, 14, 25, 37},
    "(nurse OR engineer) AND NOT (manager OR director)": {1, 2, 5, 6, 7, 8, 10, 13, 14, 21, 24, 26, 30, 31, 33,
                                                          37, 38, 40},
    '"site reliability"': {1, 3, 21}, "title:kube*": {25}, "nurs* -title:nurse": {34},
    "Google -(recruiter OR intern)": {3, 40},
    "NOT nurse": set(DOCS) - {6, 7, 8, 20, 38}, "-python -java": set(DOCS) - {4, 5, 12, 15, 16, 17, 18, 36, 40},
}


def reference(query: str) -> set[int]:
    parsed = parse(query)
    return {i for i, d in DOCS.items() if evaluate(parsed, d)}


def test_hand_written_expectations_hold_for_the_reference() -> None:
    for query, ids in EXPECTED.items():
        assert reference(query) == ids, query


def test_the_queries_are_selective() -> None:
    sizes = [len(reference(q)) for q in QUERIES]
    assert sum(1 for n in sizes if 0 < n < len(DOCS)) >= 25  # most queries split the corpus


# ---- SQLite FTS5 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fts5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path: Path = tmp_path_factory.mktemp("fts5") / "search.db"
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE VIRTUAL TABLE f USING fts5({', '.join(FTS5_COLUMNS)}, "
                 'tokenize="unicode61 remove_diacritics 2")')
    conn.executemany(f"INSERT INTO f (rowid, {', '.join(FTS5_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(i, *fts5_row(d)) for i, d in DOCS.items()])
    conn.commit()
    yield conn
    conn.close()


def fts5_ids(conn: sqlite3.Connection, query: str) -> set[int]:
    match = to_fts5(parse(query))
    return {r[0] for r in conn.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f)", (match,))}


@pytest.mark.parametrize("query", QUERIES)
def test_fts5_returns_what_evaluate_returns(fts5: sqlite3.Connection, query: str) -> None:
    assert fts5_ids(fts5, query) == reference(query)
    if query in EXPECTED:
        assert fts5_ids(fts5, query) == EXPECTED[query]


@pytest.mark.parametrize("query", PG_ONLY)
def test_fts5_refuses_what_it_cannot_express(query: str) -> None:
    with pytest.raises(SearchError, match="SQLite keyword search cannot"):
        to_fts5(parse(query))


def test_fts5_tokenizes_like_the_reference(fts5: sqlite3.Connection) -> None:
    """Every character fold() can produce in the BMP: FTS5 splits the indexed text where _tokens() does."""
    chars = sorted({c for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF for c in fold(chr(cp))})
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE VIRTUAL TABLE t USING fts5(a, tokenize="unicode61 remove_diacritics 2")')
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    samples = [f"q{c}q" for c in chars] + ["C++/C# .NET Node.js back-end AT&T 10:30 e-mail", "Zürich São 郝宁 Москва",
                                           "ﬁnance Ｃ＋＋ Straße İstanbul Łódź ½ ①"]
    conn.executemany("INSERT INTO t (rowid, a) VALUES (?, ?)",
                     [(i, " ".join(_tokens(s))) for i, s in enumerate(samples, 1)])
    got: dict[int, list[str]] = {}
    for rowid, term in conn.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        got.setdefault(rowid, []).append(term)
    wrong = [(s, got.get(i, []), list(_tokens(s))) for i, s in enumerate(samples, 1)
             if got.get(i, []) != list(_tokens(s))]
    assert wrong == []


# ---- PostgreSQL ---------------------------------------------------------------------------------------

PG_TABLE = """CREATE TABLE query_test_docs (id integer PRIMARY KEY, title_tsv tsvector NOT NULL,
    skills_tsv tsvector NOT NULL, company_tsv tsvector NOT NULL, school_tsv tsvector NOT NULL,
    location_tsv tsvector NOT NULL, doc_tsv tsvector NOT NULL)"""
_PG_FIELDS = """to_tsvector('simple', :title), to_tsvector('simple', :skills), to_tsvector('simple', :company),
    to_tsvector('simple', :school), to_tsvector('simple', :location)"""
PG_INSERTS = {  # two ways to build doc_tsv: one text, or the per-column tsvectors concatenated with weights
    "text": f"""INSERT INTO query_test_docs VALUES (:id, {_PG_FIELDS}, to_tsvector('simple', :title || ' ' || :skills
        || ' ' || :company || ' ' || :school || ' ' || :location || ' ' || :body))""",
    "tsvectors": f"""INSERT INTO query_test_docs VALUES (:id, {_PG_FIELDS},
        setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :skills), 'A')
        || setweight(to_tsvector('simple', :company), 'B') || setweight(to_tsvector('simple', :school), 'C')
        || setweight(to_tsvector('simple', :location), 'C') || setweight(to_tsvector('simple', :body), 'D'))""",
}


@pytest.fixture(params=sorted(PG_INSERTS))
def pg(request: pytest.FixtureRequest, pg_engine: Engine) -> Iterator[Engine]:
    with pg_engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS query_test_docs"))
        conn.execute(text(PG_TABLE))
        conn.execute(text(PG_INSERTS[request.param]), [{"id": i, **pg_row(d)} for i, d in DOCS.items()])
    try:
        yield pg_engine
    finally:
        with pg_engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS query_test_docs"))


def pg_ids(engine: Engine, query: str) -> set[int]:
    where, rank, params = to_pg_sql(parse(query))
    sql = f"SELECT s.id FROM query_test_docs s WHERE {where} ORDER BY ts_rank_cd(s.doc_tsv, {rank}) DESC, s.id"
    with engine.connect() as conn:
        return set(conn.execute(text(sql), params).scalars())


@pytest.mark.postgres
def test_postgres_returns_what_evaluate_returns(pg: Engine) -> None:
    wrong = {}
    for query in QUERIES + PG_ONLY:
        got, want = pg_ids(pg, query), reference(query)
        if got != want or (query in EXPECTED and got != EXPECTED[query]):
            wrong[query] = {"postgres only": got - want, "reference only": want - got}
    assert wrong == {}


@pytest.mark.postgres
def test_postgres_phrases_do_not_run_across_columns(pg: Engine) -> None:
    # doc 40: title "... Engineer", next column starts "python"; company "Google", school "Princeton"
    for query in ('"engineer python"', '"python google"', '"google princeton"', '"wa distributed"'):
        assert pg_ids(pg, query) == set() == reference(query)
    assert pg_ids(pg, '"software engineer"') == reference('"software engineer"') != set()


@pytest.mark.postgres
def test_postgres_tokenizes_like_the_reference(pg_engine: Engine) -> None:
    """Every character fold() can produce in the BMP survives to_tsvector('simple') as part of its token."""
    chars = sorted({c for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF for c in fold(chr(cp))})
    samples = [" ".join(_tokens(f"q{c}q")) for c in chars]
    with pg_engine.connect() as conn:
        rows = conn.execute(text("SELECT x, array_to_string(tsvector_to_array(to_tsvector('simple', x)), ' ') "
                                 "FROM unnest(CAST(:xs AS text[])) AS x"), {"xs": samples}).all()
    # PostgreSQL lower-cases the few letters casefold() leaves upper case (Cherokee): the same on both sides
    wrong = [(x, got) for x, got in rows if set(got.split()) != set(x.lower().split())]
    assert wrong == []
