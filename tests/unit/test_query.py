"""The recruiter's boolean query language: grammar, facets, errors, folding, rendering, reference evaluation."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from tools.search.query import (
    FTS5_COLUMNS,
    And,
    Not,
    Or,
    ProfileDoc,
    Term,
    evaluate,
    fold,
    fts5_row,
    highlight_spans,
    match_terms,
    parse,
    pg_row,
    skill_slug,
    to_fts5,
    to_pg_sql,
)
from tools.search.types import QuerySyntaxError, SearchError, UnknownFacetError
from tools.taxonomy import load

SRE_FORMS = ("Site reliability engineering", "site reliability", "SRE")
K8S_FORMS = ("Kubernetes", "k8s", "KUBE")


@pytest.fixture(scope="module")
def tax():
    return load()


def word(text: str, position: int, field: str | None = None) -> Term:
    return Term(text, field, False, False, position, None, (text,))


def shape(node):
    """A tree without positions and spellings: what must survive a normalized() round trip."""
    if isinstance(node, Term):
        what = node.skill if node.skill else " ".join(fold(node.text).split())
        return ("term", node.field, node.prefix, what, node.expansions if node.skill else None)
    if isinstance(node, Not):
        return ("not", shape(node.child))
    return (type(node).__name__, tuple(shape(c) for c in node.children))


def doc(title: str = "", skills: tuple[str, ...] = (), company: str = "", school: str = "", location: str = "",
        body: str = "") -> ProfileDoc:
    return ProfileDoc(title, list(skills), company, school, location, body, raw_text=body)


# ---- grammar ------------------------------------------------------------------------------------------


def test_the_example_query_gives_the_exact_tree() -> None:
    q = parse('("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager')
    assert q.root == And((
        Or((
            Term("site reliability", None, True, False, 1, "Site reliability engineering", SRE_FORMS),
            Term("SRE", None, False, False, 23, "Site reliability engineering", SRE_FORMS),
            Term("devops", None, False, False, 30, "DevOps", ("DevOps",)),
        )),
        Or((
            Term("Kubernetes", None, False, False, 43, "Kubernetes", K8S_FORMS),
            Term("k8s", None, False, False, 57, "Kubernetes", K8S_FORMS),
        )),
        Not(word("manager", 66)),
    ))
    assert q.facets.model_fields_set == set()
    assert q.normalized() == '("Site reliability engineering" OR "DevOps") AND "Kubernetes" AND NOT manager'
    assert [t.text for t in q.positive_terms()] == ["site reliability", "SRE", "devops", "Kubernetes", "k8s"]
    assert q.semantic_text() == "site reliability SRE devops Kubernetes k8s"


@pytest.mark.parametrize(("query", "expected"), [
    ("A AND B NOT manager", And((word("A", 0), word("B", 6), Not(word("manager", 12))))),
    ("a OR b AND c", Or((word("a", 0), And((word("b", 5), word("c", 11)))))),
    ("a AND b OR c", Or((And((word("a", 0), word("b", 6))), word("c", 11)))),
    ("NOT a AND b", And((Not(word("a", 4)), word("b", 10)))),
    ("a OR NOT b", Or((word("a", 0), Not(word("b", 9))))),
    ("a b OR c", Or((And((word("a", 0), word("b", 2))), word("c", 7)))),
    ("a -b c", And((word("a", 0), Not(word("b", 3)), word("c", 5)))),
    ("a && b || c", Or((And((word("a", 0), word("b", 5))), word("c", 10)))),
    ("NOT (a OR b)", Not(Or((word("a", 5), word("b", 10))))),
    ("-(a b)", Not(And((word("a", 2), word("b", 4))))),
    ("NOT NOT a", word("a", 8)),
    ("a AND (b AND c)", And((word("a", 0), word("b", 7), word("c", 13)))),
    ("((a))", word("a", 2)),
    ("ANDES ORBITS NOTARY and or", And((word("ANDES", 0), word("ORBITS", 6), word("NOTARY", 13), word("and", 20),
                                        word("or", 24)))),
])
def test_precedence_not_and_or_and_implicit_and(query: str, expected) -> None:
    assert parse(query).root == expected


def test_implicit_and_is_and() -> None:
    assert shape(parse("python django flask").root) == shape(parse("python AND django AND flask").root)


def test_empty_and_blank_queries() -> None:
    for query in ("", "   "):
        q = parse(query)
        assert q.root is None and q.facets.model_dump(exclude_unset=True) == {}
        assert q.normalized() == "" and q.positive_terms() == [] and to_fts5(q) is None


@pytest.mark.parametrize("query", ["C++", "C#", ".NET", "Node.js", "Zürich", "郝宁", "Москва", "AT&T", "R&D",
                                  "back-end", "O'Brien", "e-mail"])
def test_words_with_symbols_and_other_scripts_are_single_terms(query: str) -> None:
    q = parse(query)
    assert isinstance(q.root, Term) and q.root.text == query and q.root.position == 0 and not q.root.phrase


def test_phrases_and_prefixes() -> None:
    q = parse('"site   reliability" kube* "meeting at 10:30" title:eng*')
    assert q.root == And((
        Term("site reliability", None, True, False, 0, "Site reliability engineering", SRE_FORMS),
        Term("kube", None, False, True, 21, None, ("kube",)),
        Term("meeting at 10:30", None, True, False, 27, None, ("meeting at 10:30",)),
        Term("eng", "title", False, True, 52, None, ("eng",)),
    ))


def test_field_scopes_on_terms_phrases_and_groups() -> None:
    q = parse('title:(engineer OR developer) Company:"Acme Corp" SCHOOL:MIT location:Zürich NOT title:manager')
    assert q.root == And((
        Or((Term("engineer", "title", False, False, 7, None, ("engineer", "eng", "engr")),
            Term("developer", "title", False, False, 19, None, ("developer", "dev", "devs")))),
        Term("Acme Corp", "company", True, False, 38, None, ("Acme Corp",)),
        word("MIT", 57, "school"),
        word("Zürich", 70, "location"),
        Not(Term("manager", "title", False, False, 87, None, ("manager", "mgr"))),
    ))


def test_scope_applies_inside_nested_groups() -> None:
    q = parse("title:((senior OR lead) -intern)")
    assert [(t.text, t.field) for t in q.positive_terms()] == [("senior", "title"), ("lead", "title")]
    assert isinstance(q.root, And) and q.root.children[1] == Not(word("intern", 25, "title"))


# ---- skills and titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "skill"), [
    ("k8s", "Kubernetes"), ("kube", "Kubernetes"), ("Kubernetes", "Kubernetes"), ("golang", "Go"), ("Go", "Go"),
    ("C++", "C++"), ("C#", "C#"), (".NET", "Microsoft .NET Framework"), ("Node.js", "Node.js"),
    ("postgres", "PostgreSQL"), ("SRE", "Site reliability engineering"), ("go", None), ("manager", None),
])
def test_terms_naming_a_skill_carry_it(text: str, skill: str | None) -> None:
    term = parse(text).root
    assert term.skill == skill
    if skill:
        assert term.expansions[0] == skill
    else:
        assert term.expansions == (text,)


def test_alias_expansion_lists_the_spellings(tax) -> None:
    k8s = parse("k8s").root
    assert k8s.expansions == K8S_FORMS and parse("Kubernetes").root.expansions == k8s.expansions
    golang = parse("golang").root
    assert golang.skill == "Go" and golang.expansions == ("Go", "golang", "go lang")
    assert parse("skill:k8s").root == Term("k8s", "skill", False, False, 6, "Kubernetes", K8S_FORMS)
    assert parse("title:k8s").root.skill is None  # titles are titles
    assert parse("kube*").root.skill is None  # a prefix is a prefix


def test_title_terms_carry_their_synonym_spellings() -> None:
    assert parse("title:backend").root.expansions == ("backend", "back end")
    assert parse('title:"back end"').root.expansions == ("back end", "backend", "back-end")
    assert parse("title:RN").root.expansions == ("RN", "registered nurse")
    assert parse("backend").root.expansions == ("backend",)  # unscoped: as typed


# ---- facets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "fields"), [
    ("country:DE", {"country": ["DE"]}),
    ("country:de,NL", {"country": ["DE", "NL"]}),
    ("metro:0012420", {"metro": ["0012420"]}),
    ("metro:0012420,0035620", {"metro": ["0012420", "0035620"]}),
    ("years:5-10", {"years_min": 5, "years_max": 10}),
    ("years:2.5-4", {"years_min": 2.5, "years_max": 4}),
    ("years:5+", {"years_min": 5}),
    ("years:>=7", {"years_min": 7}),
    ("years:<3", {"years_max": 3}),
    ("years:<=3", {"years_max": 3}),
    ("seniority:senior", {"seniority": ["senior"]}),
    ("seniority:Senior,LEAD", {"seniority": ["senior", "lead"]}),
    ("open:yes", {"open_to_work": True}),
    ("open:TRUE", {"open_to_work": True}),
    ("open:no", {"open_to_work": False}),
    ("open:false", {"open_to_work": False}),
    ("updated:2025-01-01", {"updated_since": dt.date(2025, 1, 1)}),
    ("pool:network", {"pool": "network"}),
    ("pool:applicants", {"pool": "applicants"}),
    ("Pool:ALL", {"pool": "all"}),
])
def test_every_facet_kind_is_extracted(query: str, fields: dict) -> None:
    q = parse(f"kubernetes {query}")
    assert q.facets.model_dump(exclude_unset=True) == fields
    assert q.root == Term("kubernetes", None, False, False, 0, "Kubernetes", K8S_FORMS)
    again = parse(q.normalized())
    assert again.facets == q.facets and again.facets.model_fields_set == q.facets.model_fields_set


def test_facets_only_query_has_no_tree() -> None:
    q = parse("country:US years:5+ open:yes")
    assert q.root is None and to_fts5(q) is None and to_pg_sql(q) == ("TRUE", "''::tsquery", {})
    assert q.normalized() == "country:US AND years:5+ AND open:yes"


def test_facets_anywhere_in_the_top_level_and_chain() -> None:
    q = parse("(python country:DE) AND java seniority:senior")
    assert shape(q.root) == shape(parse("python java").root)
    assert q.facets.country == ["DE"] and q.facets.seniority == ["senior"]
    assert parse("(java OR python) country:DE").normalized() == '("Oracle Java" OR "Python") AND country:DE'


@pytest.mark.parametrize(("query", "position"), [
    ("java OR country:DE", 8), ("a OR b country:DE", 7), ("NOT country:DE", 4), ("-years:5+ python", 1),
    ("java (python OR years:3+)", 16),
])
def test_facets_inside_or_or_not_are_rejected(query: str, position: int) -> None:
    with pytest.raises(SearchError, match="top level") as err:
        parse(query)
    assert err.value.position == position


@pytest.mark.parametrize(("query", "reason"), [
    ("years:abc", "years:5-10"), ("years:5", "ambiguous"), ("years:10-5", "backwards"),
    ("seniority:wizard", "unknown seniority 'wizard'"), ("country:Germany", "two-letter ISO 3166"),
    ("country:DEU,NL", "'DEU'"), ("metro:Austin", "7-digit BLS"), ("metro:0099999", "unknown BLS metro"),
    ("open:maybe", "open:yes or open:no"), ("updated:yesterday", "YYYY-MM-DD"), ("updated:2025-13-01", "YYYY-MM-DD"),
    ("pool:everyone", "pool:network"), ("country:DE country:NL", "given twice"),
])
def test_bad_facet_values_say_why(query: str, reason: str) -> None:
    with pytest.raises(SearchError) as err:
        parse(f"nurse {query}")
    assert reason in str(err.value)
    assert not isinstance(err.value, UnknownFacetError)


# ---- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "position", "message"), [
    ("(Go OR Rust", 0, "unbalanced parenthesis: this '(' is never closed"),
    ("(a OR (b AND c)", 0, "unbalanced parenthesis: this '(' is never closed"),
    ("a OR (b", 5, "unbalanced parenthesis: this '(' is never closed"),
    ("Go)", 2, "unbalanced parenthesis: this ')' has no matching '('"),
    ("a)(b", 1, "unbalanced parenthesis: this ')' has no matching '('"),
    ("Go AND", 3, "dangling operator 'AND': it needs a term after it"),
    ("Go OR", 3, "dangling operator 'OR': it needs a term after it"),
    ("Go NOT", 3, "dangling operator 'NOT': it needs a term after it"),
    ("Go &&", 3, "dangling operator 'AND': it needs a term after it"),
    ("(Go AND) Rust", 4, "dangling operator 'AND': it needs a term after it, found ')'"),
    ("Go AND OR Rust", 3, "dangling operator 'AND': it needs a term after it, found 'OR'"),
    ("AND Go", 0, "dangling operator 'AND': it needs a term before it"),
    ("(OR Go)", 1, "dangling operator 'OR': it needs a term before it"),
    ("()", 0, "empty group '()'"),
    ("Go ( )", 3, "empty group '()'"),
    ("title:()", 6, "empty group '()'"),
    ('"site reliability', 0, "unterminated quote"),
    ('sre "site reliability', 4, "unterminated quote"),
    ('""', 0, 'empty phrase ""'),
    ("title:", 0, "'title:' needs a term after it"),
    ("nurse title: ", 6, "'title:' needs a term after it"),
    ("title:-manager", 0, "'title:' needs a term after it"),
    ("years:", 0, "'years:' needs a term after it, e.g. years:5-10"),
    ("kube*x", 4, "'*' marks a prefix search"),
    ('"kube"*', 6, "'*' marks a prefix search"),
    ("a - b", 2, "'-' excludes the term written right after it"),
    ("a | b", 2, "a single '|' is not an operator"),
    ("a ::b", 2, "':' must follow a field or facet name"),
    ("nurse &", 6, "'&' has no letters or digits to search for"),
    ("title:(skill:go)", 13, "field scopes cannot be nested"),
    ("title:(country:DE)", 7, "facet 'country:DE' cannot be inside the field scope 'title:'"),
    ("country:(DE OR NL)", 0, "a facet takes a plain value, e.g. country:DE,NL"),
    ("pool:net*", 0, "a facet takes a plain value"),
])
def test_syntax_errors_say_what_and_where(query: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        parse(query)
    assert err.value.position == position
    assert str(err.value).startswith(message)
    assert f"(at character {position + 1})" in str(err.value)
    assert err.value.query == query


@pytest.mark.parametrize(("query", "name"), [
    ("foo:bar", "foo"), ("go salary:100k", "salary"), ("10:30", "10"), ("see http://example.com", "http"),
    ("Title:x Skils:go", "Skils"),
])
def test_unknown_fields_name_the_field_and_list_the_valid_ones(query: str, name: str) -> None:
    with pytest.raises(UnknownFacetError) as err:
        parse(query)
    text = str(err.value)
    assert text.startswith(f"unknown field or facet '{name}'")
    assert "title, skill, company, school, location" in text
    assert "country, metro, years, seniority, open, updated, pool" in text
    assert "in quotes" in text


def test_quoted_text_with_colons_is_fine() -> None:
    q = parse('"10:30" "https://example.com/jobs" title:"C++: templates"')
    assert [t.text for t in q.positive_terms()] == ["10:30", "https://example.com/jobs", "C++: templates"]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(QuerySyntaxError, match="too deeply"):
        parse("(" * 600 + "a" + ")" * 600)


# ---- folding and slugs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "folded"), [
    ("Zürich", "zurich"), ("São Paulo", "sao paulo"), ("ÉCOLE", "ecole"), ("Straße", "strasse"),
    ("郝宁", "郝宁"), ("Москва", "москва"), ("ﬁnance", "finance"), ("Ｃ＋＋", "c++"), ("İstanbul", "istanbul"),
    ("Zu\u0308rich", "zurich"), ("Łódź", "łodz"), ("Node.JS", "node.js"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_idempotent_and_works_character_by_character() -> None:
    rng = random.Random(7)
    alphabet = "aZüßİﬁ郝Мё\u0308\u0301ŁøÅǅΣς①½ x.-"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert fold(fold(text)) == fold(text)
        assert fold(text) == "".join(fold(c) for c in text)


@pytest.mark.parametrize(("name", "slug"), [
    ("C++", "cplusplus"), ("C#", "csharp"), ("Node.js", "nodedotjs"), ("Microsoft .NET Framework",
                                                                       "microsoftdotnetframework"),
    ("Go", "go"), ("Site reliability engineering", "sitereliabilityengineering"), ("scikit-learn", "scikitlearn"),
    ("Amazon Web Services AWS software", "amazonwebservicesawssoftware"),
])
def test_skill_slug(name: str, slug: str) -> None:
    assert skill_slug(name) == slug


def test_indexed_rows_are_folded_token_streams() -> None:
    d = doc("Sr. Back-end Engineer\nC++ Developer", ("C++", "Node.js"), "Zürich Versicherung", "ETH",
            "Zürich, CH", "Node.js & C# — 10:30")
    assert fts5_row(d) == ("sr back end engineer c developer", "cplusplus nodedotjs", "zurich versicherung", "eth",
                           "zurich ch", "node js c 10 30")
    row = pg_row(d)
    assert set(row) == {"title", "skills", "company", "school", "location", "body"}
    assert row["skills"] == "cplusplus nodedotjs /column/break"
    assert all(v.endswith("/column/break") for v in row.values())
    assert len(FTS5_COLUMNS) == 6


# ---- normalized() -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    '("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager',
    "title:(engineer OR developer) -manager",
    "a OR b c", "(a OR b) c", "NOT (a OR b) c", "-(a b) OR c", "kube* skill:node* title:eng*",
    'company:"Acme Corp" school:MIT location:Zürich', "C++ C# .NET Node.js 郝宁 Москва",
    "golang OR Go", '"AND" "OR" "NOT" "-x" "a:b" "x*"', "python country:DE,NL years:5-10 seniority:senior pool:network",
    "(java OR python) open:no updated:2024-06-30 metro:0012420 years:<3", "AT&T R&D back-end",
    "skill:Foobarium", "title:backend AND NOT title:intern",
])
def test_normalized_round_trips(query: str) -> None:
    q = parse(query)
    text = q.normalized()
    again = parse(text)
    assert again.normalized() == text
    assert again.facets == q.facets
    assert shape(again.root) == shape(parse(text).root)
    if "k8s" not in query and "SRE" not in query and "golang" not in query:  # no duplicate spellings to merge
        assert shape(again.root) == shape(q.root)


def test_normalized_merges_spellings_of_one_skill_and_quotes_what_needs_it() -> None:
    assert parse("(Kubernetes OR k8s OR kube) docker").normalized() == '"Kubernetes" AND "Docker"'
    assert parse('"AND" x').normalized() == '"AND" AND x'
    assert parse('skill:.net title:"site reliability" -"a b"').normalized() == (
        'skill:"Microsoft .NET Framework" AND title:"site reliability" AND NOT "a b"')
    assert parse("a OR b AND c").normalized() == "a OR (b AND c)"


# ---- the reference evaluation ---------------------------------------------------------------------------


def matches(query: str, d: ProfileDoc) -> bool:
    return evaluate(parse(query), d)


def test_accents_fold_both_ways() -> None:
    plain, accented = doc(location="Zurich, Switzerland"), doc(location="Zürich, Schweiz")
    for query in ("Zürich", "zurich", "ZURICH", "location:Zürich"):
        assert matches(query, plain) and matches(query, accented)
    assert matches('"São Paulo"', doc(body="Based in Sao Paulo."))
    assert matches("Strasse", doc(body="Straße 1")) and not matches("Strasse", doc(body="Hauptstraße 1"))
    assert not matches("Zürich", doc(location="Zurichsee"))  # whole words only


def test_non_latin_scripts() -> None:
    chinese = doc(title="软件工程师", body="姓名: 郝宁。负责后端开发")
    assert matches("郝宁", chinese) and matches("软件工程师", chinese) and not matches("郝", chinese)
    assert matches("郝*", chinese)
    russian = doc(location="Москва, Россия", body="Разработчик Python")
    assert matches("Москва", russian) and matches("москва", russian) and matches("location:МОСКВА", russian)
    assert not matches("Москве", russian)


def test_phrases_are_consecutive_tokens_and_prefixes_match_word_starts() -> None:
    d = doc(title="Senior Site Reliability Engineer", body="kubelet and kubectl, reliability of sites")
    assert matches('"site reliability"', d) and matches('title:"reliability engineer"', d)
    assert not matches('"site engineer"', d) and not matches('"reliability site"', d)
    assert matches("kubel*", d) and matches("title:reli*", d) and not matches("title:kube*", d)
    assert not matches("ubelet*", d)


def test_skills_match_by_canonical_name_not_by_lossy_words() -> None:
    cpp = doc(title="Developer", skills=("C++",), body="Modern C++")
    c_only = doc(title="Embedded Developer", skills=("C",), body="C and some c++ on microcontrollers")
    assert matches("C++", cpp) and matches("cpp", cpp) and matches("skill:C++", cpp)
    assert not matches("C++", c_only)  # 'C++' as words is just 'c'
    assert matches("C#", doc(skills=("C#",))) and not matches("C#", doc(body="C# developer"))
    assert matches("C#", doc(body="c sharp developer"))
    assert matches("k8s", doc(skills=("Kubernetes",))) and matches("k8s", doc(body="Kubernetes operator"))
    assert matches("Kubernetes", doc(body="runs k8s")) and matches("kubernetes", doc(body="KUBE admin"))
    assert not matches("skill:Kubernetes", doc(body="runs k8s"))  # skill: means the extracted skill
    assert matches("golang", doc(skills=("Go",))) and matches("Go", doc(body="golang services"))
    assert not matches("Go", doc(body="ready to go"))  # too short and too common to be read as the skill
    assert matches("go", doc(body="ready to go"))  # lower-case 'go' is just a word
    assert matches("skill:Foobarium", doc(body="Expert in Foobarium"))  # unknown skill: its words


def test_fields_restrict_to_their_column() -> None:
    d = doc(title="Nurse Manager", company="General Hospital", school="State University", location="Austin, TX",
            body="Former engineer")
    assert matches("title:nurse", d) and not matches("title:engineer", d) and matches("engineer", d)
    assert matches('company:"general hospital"', d) and not matches("company:nurse", d)
    assert matches("school:state", d) and matches("location:austin", d) and not matches("location:hospital", d)
    assert matches("title:RN", doc(title="Registered Nurse")) and matches('title:"registered nurse"', doc(title="RN"))
    assert matches("title:backend", doc(title="Back-end developer")) and matches("title:dev", doc(title="Developer"))


def test_boolean_structure() -> None:
    d = doc(title="Engineering Manager", skills=("Kubernetes",))
    assert not matches("kubernetes NOT manager", d) and matches("kubernetes NOT intern", d)
    assert matches("intern OR kubernetes", d) and matches("NOT intern", d) and not matches("NOT kubernetes", d)
    assert matches("", d) and matches("country:DE", d)  # facets are applied elsewhere


def test_match_terms_reports_fields_and_spans() -> None:
    raw = "Jane Doe — SRE in Zürich. Runs K8s clusters, writes C++ and golang."
    d = ProfileDoc("Site Reliability Engineer", ["Kubernetes", "C++", "Go", "Site reliability engineering"],
                   "Acme", "ETH Zürich", "Zurich", raw, raw_text=raw)
    got = match_terms(parse("kubernetes C++ zurich title:engineer golang kube* -java"), d)
    by = {(m.term, m.field): (m.start, m.end) for m in got}
    assert by[("k8s", "skill")] == (raw.index("K8s"), raw.index("K8s") + 3)  # found by its slug, shown as written
    assert by[("k8s", "text")] == (raw.index("K8s"), raw.index("K8s") + 3)
    assert by[("C++", "skill")] == (raw.index("C++"), raw.index("C++") + 3)
    assert by[("zurich", "school")] == (raw.index("Zürich"), raw.index("Zürich") + 6)
    assert {"location", "text"} <= {f for t, f in by if t == "zurich"}
    assert by[("engineer", "title")] == (None, None)  # the raw text never says it
    assert ("golang", "text") in by and ("golang", "skill") in by
    for m in got:
        if m.start is not None:
            assert fold(raw[m.start:m.end]) == fold(m.term)
    assert not any(m.term.lower() == "java" for m in got)


def test_highlight_spans_cover_every_spelling_without_overlap() -> None:
    text = "K8s and Kubernetes; kubelet. Site Reliability engineering (SRE) in São Paulo; not a subkube."
    spans = highlight_spans(parse('kubernetes "site reliability" kube* "sao paulo" -subkube'), text)
    assert [text[s:e] for s, e in spans] == ["K8s", "Kubernetes", "kubelet", "Site Reliability engineering", "SRE",
                                             "São Paulo"]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    text = "Go and golang; ready to go. Zu\u0308rich"
    assert [text[s:e] for s, e in highlight_spans(parse("Go zurich"), text)] == ["Go", "golang", "Zu\u0308rich"]
    assert [text[s:e] for s, e in highlight_spans(parse("go"), text)] == ["Go", "go"]  # a word, not the skill


# ---- backend translations -----------------------------------------------------------------------------


def test_fts5_expressions() -> None:
    assert to_fts5(parse("title:backend")) == '(title : "backend" OR title : "back end")'
    assert to_fts5(parse("skill:C++")) == 'skills : "cplusplus"'
    assert to_fts5(parse("kube* -manager")) == '(("kube" *) NOT ("manager"))'
    assert to_fts5(parse("a OR (b NOT c)")) == '("a" OR (("b") NOT ("c")))'
    assert to_fts5(parse('x -"a b" -c')) == '(("x") NOT ("a b" OR "c"))'
    assert to_fts5(parse("k8s")) == '(skills : "kubernetes" OR "kubernetes" OR "k8s" OR "kube")'


@pytest.mark.parametrize(("query", "reason"), [
    ("NOT manager", "only excluded terms"), ("-a -b", "only excluded terms"), ("x OR (-a -b)", "only excluded"),
    ("a OR NOT b", "NOT inside OR"), ("x (a OR -b)", "NOT inside OR"),
])
def test_what_fts5_cannot_express_is_an_error(query: str, reason: str) -> None:
    q = parse(query)
    with pytest.raises(SearchError, match=reason):
        to_fts5(q)
    to_pg_sql(q)  # PostgreSQL can


def test_pg_sql_binds_every_value() -> None:
    hostile = '"x\'); DROP TABLE s; --" "p1" ":p2" title:"o\'neil" kube\'*'
    where, rank, params = to_pg_sql(parse(hostile))
    for sql in (where, rank):
        assert "DROP" not in sql and "neil" not in sql and "kube" not in sql.replace("':*'", "")
        assert re.sub(r":p\d+|'simple'|':\*'|s\.\w+_tsv", "", sql).count("'") == 0
    assert set(re.findall(r":(p\d+)", where)) == set(params)
    assert all(re.fullmatch(r"[\w ]+( <-> [\w ]+)*", v) for v in params.values())
    assert list(params.values()) == ["x drop table s", "p1", "p2", "o neil", "kube"]


def test_pg_sql_shapes() -> None:
    where, rank, params = to_pg_sql(parse("title:backend AND k8s NOT manager"))
    assert where == (
        "((s.title_tsv @@ phraseto_tsquery('simple', :p1) OR s.title_tsv @@ phraseto_tsquery('simple', :p2)) AND "
        "(s.skills_tsv @@ phraseto_tsquery('simple', :p3) OR s.doc_tsv @@ phraseto_tsquery('simple', :p3) OR "
        "s.doc_tsv @@ phraseto_tsquery('simple', :p4) OR s.doc_tsv @@ phraseto_tsquery('simple', :p5)) AND "
        "(NOT (s.doc_tsv @@ phraseto_tsquery('simple', :p6))))")
    assert params == {"p1": "backend", "p2": "back end", "p3": "kubernetes", "p4": "k8s", "p5": "kube",
                      "p6": "manager"}
    assert "p6" not in rank and rank.count("phraseto_tsquery") == 5
    where, _, params = to_pg_sql(parse("node.j*"))
    assert where == "(s.doc_tsv @@ to_tsquery('simple', :p1 || ':*'))" and params == {"p1": "node <-> j"}
