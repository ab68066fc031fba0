"""The recruiter's boolean query language: parsing, and its translation to SQLite FTS5 and PostgreSQL.

``("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager country:DE years:5+``

* terms: words (``C++``, ``.NET``, ``Zürich``, ``郝宁``), quoted phrases, prefixes (``kube*``);
* operators ``AND`` / ``&&``, ``OR`` / ``||``, ``NOT`` / ``-term``, parentheses, implicit AND between
  adjacent terms; precedence NOT > AND > OR;
* field scopes ``title:``, ``skill:``, ``company:``, ``school:``, ``location:`` on a term or a group;
* facets (``country:DE,NL``, ``metro:0012420``, ``years:5-10``, ``seniority:senior``, ``open:yes``,
  ``updated:2025-01-01``, ``pool:network``) written in the top-level AND chain, returned as :class:`Facets`.

Every backend searches the same token streams: text is folded (:func:`fold`) and split into runs of letters
and digits exactly as SQLite's ``unicode61`` tokenizer splits them, skills are indexed as one-token slugs
(:func:`skill_slug`, because ``C++`` as text is just the token ``c``). :func:`fts5_row` and :func:`pg_row`
store those token streams, :func:`to_fts5` and :func:`to_pg_sql` search them, and :func:`evaluate` is the
reference the contract tests hold both backends to.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError
from pydantic import ValidationError

from tools.search.types import (
    FACET_NAMES,
    FIELDS,
    Facets,
    MatchedTerm,
    QuerySyntaxError,
    SearchError,
    UnknownFacetError,
)
from tools.taxonomy import SENIORITY_LEVELS, TITLE_SYNONYMS, Taxonomy, load
from tools.text import fold, fold_with_origin

GRAMMAR = r"""
    start: or_expr?

    ?or_expr: and_expr (_OR and_expr)*
    ?and_expr: unary (_AND? unary)*               // adjacent terms: implicit AND
    ?unary: _NOT unary                -> negation
          | _NEG unary                -> negation
          | primary
    ?primary: group
            | FIELD (term | group)    -> scoped   // title:engineer, title:(a OR b), country:DE
            | term
    group: "(" or_expr ")"
    term: PHRASE | PREFIX | WORD

    _OR.2: /OR(?![^\s()"])/ | "||"
    _AND.2: /AND(?![^\s()"])/ | "&&"
    _NOT.2: /NOT(?![^\s()"])/
    _NEG.2: /-(?=[^\s)])/                         // -manager (the minus must touch its term)
    FIELD.3: /[^\s()":*|\-][^\s()":*|]*:/
    PREFIX.2: /[^\s()":*|\-][^\s()":*|]*\*(?![^\s()"])/
    WORD: /[^\s()":*|\-][^\s()":*|]*/
    PHRASE: /"[^"]*"/

    %ignore /\s+/
"""

_PARSER = Lark(GRAMMAR, parser="lalr", lexer="basic")

# ---- the parsed query ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # as typed (without quotes / trailing *)
    field: str | None  # None = any field; else one of FIELDS
    phrase: bool  # was quoted (or has several words)
    prefix: bool  # kube*
    position: int  # 0-based offset in the query
    skill: str | None  # canonical skill when the term names one (field None or 'skill')
    expansions: tuple[str, ...]  # surface forms to look for


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    root: Node | None  # None when the query had only facets or was empty
    facets: Facets  # facets written in the query (only those fields set: use exclude_unset)

    def normalized(self) -> str:
        """Canonical rendering: skills by canonical name, scopes on every term, explicit AND/OR/NOT."""
        root = None if self.root is None else _simplified(self.root)
        facets = _render_facets(self.facets)
        if root is None:
            return " AND ".join(facets)
        text = _render(root)
        return " AND ".join([f"({text})" if facets and isinstance(root, Or) else text, *facets])

    def positive_terms(self) -> list[Term]:
        """Terms not under a NOT, in query order."""
        return [t for t, negated in _walk(self.root) if not negated]

    def semantic_text(self) -> str:
        """The positive terms' text: what a semantic search should embed."""
        return " ".join(t.text for t in self.positive_terms())


def _walk(node: Node | None, negated: bool = False) -> Iterator[tuple[Term, bool]]:
    if isinstance(node, Term):
        yield node, negated
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _walk(child, negated)
    elif isinstance(node, Not):
        yield from _walk(node.child, not negated)


# ---- text: folding, tokens, skill slugs --------------------------------------------------------------

# Letters SQLite's unicode61 tables (Unicode 6.1) class as separators although Python's Unicode does not.
_FTS5_SEPARATORS = frozenset([*range(0x19B0, 0x19C1), 0x19C8, 0x19C9, 0x1CF2, 0x1CF3])
_RUN = re.compile(r"[^\W_]+")  # letters and digits: a superset of token characters


@lru_cache(maxsize=8192)
def _is_token_char(ch: str) -> bool:
    """Letters and decimal/letter numbers: the characters FTS5 and PostgreSQL both keep inside a token."""
    category = unicodedata.category(ch)
    return (category[0] == "L" or category in ("Nd", "Nl")) and ord(ch) not in _FTS5_SEPARATORS


def _token_spans(folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every token in already folded text."""
    for run in _RUN.finditer(folded):
        if run.group().isascii():
            yield run.span()
            continue
        start = None
        for i in range(run.start(), run.end()):
            if _is_token_char(folded[i]):
                start = i if start is None else start
            elif start is not None:
                yield start, i
                start = None
        if start is not None:
            yield start, run.end()


def _tokens(text: str) -> tuple[str, ...]:
    folded = fold(text)
    return tuple(folded[s:e] for s, e in _token_spans(folded))


def _token_text(text: str) -> str:
    """The folded tokens joined by single spaces: what both backends index."""
    return " ".join(_tokens(text))


def skill_slug(name: str) -> str:
    """A canonical skill as one alphanumeric token: 'C++' -> 'cplusplus', 'Node.js' -> 'nodedotjs'."""
    spelled = fold(name).replace("+", "plus").replace("#", "sharp").replace(".", "dot")
    return re.sub(r"[^0-9a-z]", "", spelled)


def _unique_forms(forms) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for form in forms:
        form = " ".join(form.split())
        if form and fold(form) not in seen:
            seen[fold(form)] = form
    return tuple(seen.values())


def _title_forms(text: str) -> tuple[str, ...]:
    """A title term and its synonym spellings: 'backend' -> 'back end', 'developer' -> 'dev'."""
    words = fold(text).replace("/", " ").split()
    spelled = " ".join(TITLE_SYNONYMS.get(w.rstrip("."), w) for w in words)
    abbreviations = [short for short, long in TITLE_SYNONYMS.items() if long == " ".join(words)]
    return _unique_forms([text, spelled, *abbreviations])


def _make_term(text: str, field: str | None, *, phrase: bool, prefix: bool, position: int,
               taxonomy: Taxonomy) -> Term:
    skill = taxonomy.normalize_skill(text) if not prefix and field in (None, "skill") else None
    if skill:
        expansions = _unique_forms(taxonomy.expand_skill(skill))
    elif field == "title" and not prefix:
        expansions = _title_forms(text)
    else:
        expansions = (text,)
    return Term(text, field, phrase or len(text.split()) > 1, prefix, position, skill, expansions)


# ---- parsing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facet:
    """A facet term while the tree is built; lifted out of the top-level AND chain afterwards."""

    name: str
    value: str
    position: int

    def __str__(self) -> str:
        return f"{self.name}:{self.value}"


_AndOr = TypeVar("_AndOr", And, Or)


def _combine(kind: type[_AndOr], children: list) -> _AndOr:
    flat: list = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else [child])
    return kind(tuple(flat))


class _Builder(Transformer):
    """Lark tree -> Term / And / Or / Not (with _Facet placeholders)."""

    def __init__(self, query: str, taxonomy: Taxonomy) -> None:
        super().__init__()
        self.query = query
        self.taxonomy = taxonomy

    def start(self, children: list):
        return children[0] if children else None

    def or_expr(self, children: list) -> Or:
        return _combine(Or, children)

    def and_expr(self, children: list) -> And:
        return _combine(And, children)

    def negation(self, children: list):
        (child,) = children
        return child.child if isinstance(child, Not) else Not(child)  # NOT NOT x is x

    def group(self, children: list):
        return children[0]

    def term(self, children: list) -> Term:
        (tok,) = children
        if tok.type == "PHRASE":
            text = " ".join(tok[1:-1].split())
            if not text:
                raise QuerySyntaxError('empty phrase "": put words between the quotes', self.query, tok.start_pos)
            return _make_term(text, None, phrase=True, prefix=False, position=tok.start_pos, taxonomy=self.taxonomy)
        prefix = tok.type == "PREFIX"
        text = tok[:-1] if prefix else str(tok)
        return _make_term(text, None, phrase=False, prefix=prefix, position=tok.start_pos, taxonomy=self.taxonomy)

    def scoped(self, children: list):
        tok, target = children
        name = tok[:-1].lower()
        if name in FACET_NAMES:
            if not isinstance(target, Term) or target.prefix:
                raise QuerySyntaxError(f"a facet takes a plain value, e.g. {name}:{_FACET_EXAMPLES[name]} "
                                       "(lists are comma separated, without parentheses)", self.query, tok.start_pos)
            return _Facet(name, target.text, tok.start_pos)
        if name not in FIELDS:
            raise UnknownFacetError(_unknown_field_message(tok[:-1], self.query, tok.start_pos))
        return self._scope(target, name, tok)

    def _scope(self, node, field: str, tok: Token):
        if isinstance(node, _Facet):
            raise QuerySyntaxError(f"facet '{node}' cannot be inside the field scope '{tok}'", self.query,
                                   node.position)
        if isinstance(node, Term):
            if node.field is not None:
                raise QuerySyntaxError(f"field scopes cannot be nested: '{node.field}:' inside '{tok}'",
                                       self.query, node.position)
            return _make_term(node.text, field, phrase=node.phrase, prefix=node.prefix, position=node.position,
                              taxonomy=self.taxonomy)
        if isinstance(node, Not):
            return Not(self._scope(node.child, field, tok))
        return type(node)(tuple(self._scope(c, field, tok) for c in node.children))


def _unknown_field_message(name: str, query: str, position: int) -> str:
    hint = "put text that contains ':' (a time, a URL) in quotes, e.g. \"10:30\""
    return (f"unknown field or facet '{name}' (at character {position + 1}); fields: {', '.join(FIELDS)}; "
            f"facets: {', '.join(FACET_NAMES)}; {hint}")


_OPERATORS = {"_AND": "AND", "_OR": "OR", "_NOT": "NOT", "_NEG": "-"}
_CHAR_PROBLEMS = {
    '"': 'unterminated quote: the phrase that starts here has no closing "',
    "*": "'*' marks a prefix search and must end a word, e.g. kube*",
    "-": "'-' excludes the term written right after it, e.g. -manager (no space in between)",
    "|": "a single '|' is not an operator: use OR or ||",
    ":": "':' must follow a field or facet name, e.g. title:engineer; put text that contains ':' in quotes",
}


def _lexed(query: str) -> list[Token]:
    """The query's tokens, up to the first character the lexer cannot read."""
    tokens: list[Token] = []
    try:
        tokens.extend(_PARSER.lex(query))
    except UnexpectedCharacters:
        pass
    return tokens


def _start(tok: Token) -> int:
    """Where a lexed token starts: the lexer always sets it, lark types it Optional."""
    assert tok.start_pos is not None
    return tok.start_pos


def _syntax_error(query: str, exc: UnexpectedInput) -> QuerySyntaxError:
    """Explain a lark error in the recruiter's terms, pointing at the token that causes it."""
    if isinstance(exc, UnexpectedCharacters):
        pos = cast(int, exc.pos_in_stream)  # lark declares it None on the base class; the lexer sets it here
        char = query[pos]
        return QuerySyntaxError(_CHAR_PROBLEMS.get(char, f"unexpected character {char!r}"), query, pos)
    tokens = _lexed(query)
    bad = exc.token if isinstance(exc, UnexpectedToken) and exc.token.type != "$END" else None
    index = next((i for i, t in enumerate(tokens) if bad is not None and t.start_pos == bad.start_pos), len(tokens))
    prev = tokens[index - 1] if index > 0 else None
    open_parens: list[Token] = []
    for tok in tokens[:index]:
        if tok.type == "LPAR":
            open_parens.append(tok)
        elif tok.type == "RPAR" and open_parens:
            open_parens.pop()
    if bad is not None and bad.type == "RPAR" and not open_parens:
        return QuerySyntaxError("unbalanced parenthesis: this ')' has no matching '('", query, bad.start_pos)
    if bad is not None and bad.type == "RPAR" and prev is not None and prev.type == "LPAR":
        return QuerySyntaxError("empty group '()': put a term inside the parentheses or remove them", query,
                                _start(prev))
    if prev is not None and prev.type == "FIELD":
        name = prev[:-1].lower()
        example = f"{name}:{_FACET_EXAMPLES[name]}" if name in _FACET_EXAMPLES else f"{prev}engineer or {prev}(a OR b)"
        return QuerySyntaxError(f"'{prev}' needs a term after it, e.g. {example}", query, _start(prev))
    if prev is not None and prev.type in _OPERATORS:
        found = "the end of the query" if bad is None else f"'{bad}'"
        return QuerySyntaxError(f"dangling operator '{_OPERATORS[prev.type]}': it needs a term after it, "
                                f"found {found}", query, _start(prev))
    if bad is not None and bad.type in _OPERATORS:
        return QuerySyntaxError(f"dangling operator '{_OPERATORS[bad.type]}': it needs a term before it", query,
                                bad.start_pos)
    if bad is None and open_parens:
        return QuerySyntaxError("unbalanced parenthesis: this '(' is never closed", query, _start(open_parens[-1]))
    where = bad.start_pos if bad is not None else len(query)
    return QuerySyntaxError(f"unexpected {repr(str(bad)) if bad is not None else 'end of query'}", query, where)


def _lift_facets(node, query: str) -> tuple[Node | None, list[_Facet]]:
    """Take the facets out of the top-level AND chain; anywhere else they are an error."""
    if isinstance(node, _Facet):
        return None, [node]
    facets: list[_Facet] = [c for c in node.children if isinstance(c, _Facet)] if isinstance(node, And) else []
    rest = [c for c in node.children if not isinstance(c, _Facet)] if isinstance(node, And) else [node]
    for child in rest:
        stray = _first_facet(child)
        if stray is not None:
            raise QuerySyntaxError(f"facet '{stray}' can only be combined with AND at the top level of the query, not "
                                   "inside OR or NOT: write e.g. '(java OR python) country:DE'", query, stray.position)
    root = None if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))
    return root, facets


def _first_facet(node) -> _Facet | None:
    if isinstance(node, _Facet):
        return node
    if isinstance(node, Not):
        return _first_facet(node.child)
    if isinstance(node, And | Or):
        return next((f for f in map(_first_facet, node.children) if f is not None), None)
    return None


# ---- facets -----------------------------------------------------------------------------------------

_FACET_EXAMPLES = {"country": "DE,NL", "metro": "0012420", "years": "5-10", "seniority": "senior,lead",
                   "open": "yes", "updated": "2025-01-01", "pool": "network"}
_NUMBER = r"(\d+(?:\.\d+)?)"
_YEARS = [
    (re.compile(rf"{_NUMBER}\s*-\s*{_NUMBER}"), ("years_min", "years_max")),
    (re.compile(rf"{_NUMBER}\+|>=?{_NUMBER}"), ("years_min",)),
    (re.compile(rf"<=?{_NUMBER}"), ("years_max",)),
]


def _facet_fields(facet: _Facet, taxonomy: Taxonomy) -> dict:
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


def _facets(facet_terms: list[_Facet], taxonomy: Taxonomy) -> Facets:
    fields: dict = {}
    seen: dict[str, _Facet] = {}
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


# ---- parse ------------------------------------------------------------------------------------------


def parse(query: str, taxonomy: Taxonomy | None = None) -> ParsedQuery:
    """Parse a recruiter's query; raises QuerySyntaxError, UnknownFacetError or SearchError."""
    taxonomy = taxonomy or load()
    try:
        tree = _PARSER.parse(query)
    except UnexpectedInput as exc:
        raise _syntax_error(query, exc) from None
    try:
        node = _Builder(query, taxonomy).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, SearchError):
            raise exc.orig_exc from None
        raise
    except RecursionError:
        raise QuerySyntaxError("the query nests parentheses too deeply", query, 0) from None
    root, facet_terms = (None, []) if node is None else _lift_facets(node, query)
    for term, _ in _walk(root):
        if not _probes(term):
            raise QuerySyntaxError(f"'{term.text}' has no letters or digits to search for", query, term.position)
    return ParsedQuery(query, root, _facets(facet_terms, taxonomy))


# ---- rendering --------------------------------------------------------------------------------------


def _bare(text: str) -> bool:
    """Whether text reads back as one plain word (no quotes needed)."""
    try:
        tokens = list(_PARSER.lex(text))
    except UnexpectedCharacters:
        return False
    return len(tokens) == 1 and tokens[0].type == "WORD" and tokens[0] == text


def _render_term(term: Term) -> str:
    scope = f"{term.field}:" if term.field else ""
    if term.prefix:
        return f"{scope}{term.text}*"
    if term.skill:
        return f'{scope}"{term.skill}"'
    return f"{scope}{term.text}" if _bare(term.text) else f'{scope}"{term.text}"'


def _simplified(node: Node) -> Node:
    """The tree as rendered: children that render alike written once (``k8s OR Kubernetes`` is one skill)."""
    if isinstance(node, Term):
        return node
    if isinstance(node, Not):
        return Not(_simplified(node.child))
    unique: dict[str, Node] = {}
    for child in map(_simplified, node.children):
        unique.setdefault(_render(child), child)
    children = list(unique.values())
    return children[0] if len(children) == 1 else type(node)(tuple(children))


def _render(node: Node) -> str:
    if isinstance(node, Term):
        return _render_term(node)
    if isinstance(node, Not):
        return f"NOT {_render(node.child)}" if isinstance(node.child, Term) else f"NOT ({_render(node.child)})"
    if isinstance(node, And):
        return " AND ".join(f"({_render(c)})" if isinstance(c, Or) else _render(c) for c in node.children)
    return " OR ".join(f"({_render(c)})" if isinstance(c, And) else _render(c) for c in node.children)


def _render_facets(facets: Facets) -> list[str]:
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


# ---- what a term looks for: the one definition every backend follows -----------------------------------


@dataclass(frozen=True)
class _Probe:
    """One way a term can match: these tokens consecutively in one column (field None: any column)."""

    field: str | None  # None, or one of FIELDS ('skill' is the skills column of slugs)
    tokens: tuple[str, ...]
    prefix: bool  # the last token is a prefix
    form: str  # the surface form looked for (a skill's canonical name for the slug probe)


def _text_safe(form: str) -> bool:
    """Whether a skill's spelling can be searched as words: 'C++' (the token 'c'), '.net' and 'Go' cannot."""
    return not re.search(r"[+#]|^\.", form) and len(fold(form)) > 2


@lru_cache(maxsize=4096)
def _probes(term: Term) -> tuple[_Probe, ...]:
    """The alternatives (ORed) a term matches by, for FTS5, PostgreSQL and evaluate() alike."""
    if term.prefix:
        tokens = (skill_slug(term.text),) if term.field == "skill" else _tokens(term.text)
        probes = [_Probe(term.field, tokens, True, term.text)]
    elif term.skill:
        probes = [_Probe("skill", (skill_slug(term.skill),), False, term.skill)]
        if term.field is None:  # the skill, or any of its spellings anywhere
            probes += [_Probe(None, _tokens(f), False, f) for f in term.expansions if _text_safe(f)]
    elif term.field == "skill":  # a skill the taxonomy does not know: its words anywhere
        probes = [_Probe(None, _tokens(term.text), False, term.text)]
    else:
        probes = [_Probe(term.field, _tokens(f), False, f) for f in term.expansions]
    unique: dict[tuple, _Probe] = {}
    for probe in probes:
        if probe.tokens and all(probe.tokens):
            unique.setdefault((probe.field, probe.tokens, probe.prefix), probe)
    return tuple(unique.values())


# ---- the indexed documents --------------------------------------------------------------------------


@dataclass
class ProfileDoc:
    title: str  # current and past titles, newline separated
    skills: list[str]  # canonical skill names
    company: str  # companies, newline separated
    school: str
    location: str
    body: str  # headline + summary + the full raw text
    raw_text: str = ""  # the stored raw text (spans for MatchedTerm point into it)


FTS5_COLUMNS = ("title", "skills", "company", "school", "location", "body")
_FTS5_COLUMN = {None: None, "title": "title", "skill": "skills", "company": "company", "school": "school",
                "location": "location"}
_MATCH_FIELD = {"title": "title", "skills": "skill", "company": "company", "school": "school",
                "location": "location", "body": "text"}


def fts5_row(doc: ProfileDoc) -> tuple[str, ...]:
    """Values for FTS5_COLUMNS: folded tokens joined by spaces (skills: their slugs).

    The text is stored already tokenised so FTS5 (``unicode61 remove_diacritics 2``), PostgreSQL and
    :func:`evaluate` split it identically; spans for display come from ``raw_text`` via :func:`match_terms`.
    """
    skills = " ".join(s for s in map(skill_slug, doc.skills) if s)
    return (_token_text(doc.title), skills, _token_text(doc.company), _token_text(doc.school),
            _token_text(doc.location), _token_text(doc.body))


def _fts5_phrase(probe: _Probe) -> str:
    quoted = '"' + " ".join(probe.tokens).replace('"', '""') + '"' + (" *" if probe.prefix else "")
    column = _FTS5_COLUMN[probe.field]
    return f"{column} : {quoted}" if column else quoted


def _fts5(node: Node) -> str:
    if isinstance(node, Term):
        phrases = [_fts5_phrase(p) for p in _probes(node)]
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
    if isinstance(node, Or):
        if any(isinstance(c, Not) for c in node.children):
            raise SearchError("SQLite keyword search cannot run NOT inside OR (like 'a OR NOT b'); "
                              "rewrite it without the negated alternative, e.g. '(x AND a) OR (x NOT b)'")
        return "(" + " OR ".join(_fts5(c) for c in node.children) + ")"
    if isinstance(node, Not):
        raise SearchError("SQLite keyword search cannot run a query of only excluded terms (NOT …); "
                          "add at least one term to look for")
    positives = [c for c in node.children if not isinstance(c, Not)]
    negatives = [c.child for c in node.children if isinstance(c, Not)]
    if not positives:
        raise SearchError("SQLite keyword search cannot run a group of only excluded terms (NOT … NOT …); "
                          "add at least one term to look for")
    text = " AND ".join(_fts5(c) for c in positives)
    if negatives:  # FTS5's NOT is binary: (P1 AND P2) NOT (N1 OR N2)
        text = f"({text}) NOT ({' OR '.join(_fts5(c) for c in negatives)})"
    return f"({text})"


def to_fts5(q: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression over FTS5_COLUMNS; None when the query has no terms."""
    return None if q.root is None else _fts5(q.root)


PG_COLUMNS = {"title": "title_tsv", "skill": "skills_tsv", "company": "company_tsv", "school": "school_tsv",
              "location": "location_tsv", None: "doc_tsv"}
# Appended to every pg_row value: a lexeme ('/column/break', a PostgreSQL "file" token) that no query can
# produce, so however the columns are concatenated into doc_tsv, a phrase cannot run from one into the next.
PG_COLUMN_BREAK = "/column/break"


def pg_row(doc: ProfileDoc) -> dict[str, str]:
    """Folded token text per tsvector source (title, skills, company, school, location, body).

    Index each with ``to_tsvector('simple', value)``, and doc_tsv with all six, as one text or as tsvectors
    concatenated with ``||`` (each value ends with PG_COLUMN_BREAK, so phrases stay inside their column); keep
    the tsvector columns NOT NULL. (PostgreSQL caps positions at 16383: phrases deep inside very long bodies
    may be missed.)
    """
    values = dict(zip(FTS5_COLUMNS, fts5_row(doc), strict=True))
    return {name: f"{value} {PG_COLUMN_BREAK}".lstrip() for name, value in values.items()}


def to_pg_sql(q: ParsedQuery) -> tuple[str, str, dict[str, str]]:
    """(where_sql, rank_tsquery_sql, params) over tsvector columns of a table aliased ``s``."""
    params: dict[str, str] = {}
    queries: dict[tuple, str] = {}  # one bound parameter per distinct tsquery

    def tsquery(probe: _Probe) -> str:
        key = (probe.tokens, probe.prefix)
        if key not in queries:
            name = f"p{len(params) + 1}"
            if probe.prefix:
                params[name] = " <-> ".join(probe.tokens)
                queries[key] = f"to_tsquery('simple', :{name} || ':*')"
            else:
                params[name] = " ".join(probe.tokens)
                queries[key] = f"phraseto_tsquery('simple', :{name})"
        return queries[key]

    def sql(node: Node) -> str:
        if isinstance(node, Term):
            tests = [f"s.{PG_COLUMNS[p.field]} @@ {tsquery(p)}" for p in _probes(node)]
            return "(" + " OR ".join(tests) + ")"
        if isinstance(node, Not):
            return f"(NOT {sql(node.child)})"
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(sql(c) for c in node.children) + ")"

    if q.root is None:
        return "TRUE", "''::tsquery", {}
    where = sql(q.root)
    ranked = list(dict.fromkeys(tsquery(p) for t in q.positive_terms() for p in _probes(t)))
    rank = "(" + " || ".join(ranked) + ")" if ranked else "''::tsquery"
    return where, rank, params


# ---- the reference ----------------------------------------------------------------------------------


def _columns(doc: ProfileDoc) -> dict[str, list[str]]:
    return {name: value.split() for name, value in zip(FTS5_COLUMNS, fts5_row(doc), strict=True)}


def _probe_columns(probe: _Probe, columns: dict[str, list[str]]) -> list[str]:
    """The columns (FTS5 names) where the probe's tokens occur consecutively."""
    column = _FTS5_COLUMN[probe.field]  # None for any field
    names = FTS5_COLUMNS if column is None else (column,)
    return [name for name in names if _occurs(probe, columns[name])]


def _occurs(probe: _Probe, tokens: list[str]) -> bool:
    *head, last = probe.tokens
    n = len(probe.tokens)
    for i in range(len(tokens) - n + 1):
        tail = tokens[i + n - 1]
        if tokens[i:i + n - 1] == head and (tail.startswith(last) if probe.prefix else tail == last):
            return True
    return False


def _holds(node: Node, columns: dict[str, list[str]]) -> bool:
    if isinstance(node, Term):
        return any(_probe_columns(p, columns) for p in _probes(node))
    if isinstance(node, Not):
        return not _holds(node.child, columns)
    if isinstance(node, And):
        return all(_holds(c, columns) for c in node.children)
    return any(_holds(c, columns) for c in node.children)


def evaluate(q: ParsedQuery, doc: ProfileDoc) -> bool:
    """Whether the document matches the boolean query (facets are not checked here)."""
    return q.root is None or _holds(q.root, _columns(doc))


def _original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    s, e = origin[start], origin[end - 1] + 1
    while e < len(text) and unicodedata.combining(text[e]):
        e += 1
    return s, e


def _form_spans(text: str, folded: str, origin: list[int], form: str,
                skill: bool = False) -> Iterator[tuple[int, int]]:
    """Occurrences of a surface form in text, case- and accent-insensitive, not inside a longer word.

    A skill's spellings of one or two letters ('Go', 'R', 'C#') must match their case: 'go' in 'ready to go'
    is no skill.
    """
    form = " ".join(form.split())
    target = fold(form)
    if not target:
        return
    exact_case = skill and len(target) <= 2
    at = folded.find(target)
    while at >= 0:
        end = at + len(target)
        starts_word = at == 0 or not (_is_token_char(target[0]) and _is_token_char(folded[at - 1]))
        ends_word = end == len(folded) or not (_is_token_char(target[-1]) and _is_token_char(folded[end]))
        if starts_word and ends_word:
            s, e = _original_span(text, origin, at, end)
            if fold(text[s:e]) == target and (not exact_case or text[s:e] == form):
                yield s, e
        at = folded.find(target, at + 1)


def _prefix_spans(text: str, folded: str, origin: list[int], probe: _Probe) -> Iterator[tuple[int, int]]:
    """Occurrences of a prefix probe: consecutive tokens, the last one starting with the prefix."""
    spans = list(_token_spans(folded))
    words = [folded[s:e] for s, e in spans]
    n = len(probe.tokens)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == list(probe.tokens[:-1]) and words[i + n - 1].startswith(probe.tokens[-1]):
            yield _original_span(text, origin, spans[i][0], spans[i + n - 1][1])


def match_terms(q: ParsedQuery, doc: ProfileDoc) -> list[MatchedTerm]:
    """Which positive terms matched in which field, with the span of the matched form in doc.raw_text."""
    columns = _columns(doc)
    folded, origin = fold_with_origin(doc.raw_text)
    found: dict[tuple[str, str], MatchedTerm] = {}
    for term in dict.fromkeys(q.positive_terms()):
        for probe in _probes(term):
            hit_columns = _probe_columns(probe, columns)
            if not hit_columns:
                continue
            form, span = _located_form(term, probe, doc.raw_text, folded, origin)
            for column in hit_columns:
                field = _MATCH_FIELD[column]
                start, end = span if span else (None, None)
                found.setdefault((form, field), MatchedTerm(term=form, field=field, start=start, end=end))
    return list(found.values())


def _located_form(term: Term, probe: _Probe, text: str, folded: str,
                  origin: list[int]) -> tuple[str, tuple[int, int] | None]:
    """The form a matched probe stands for, and its first span in text (None when text lacks it)."""
    if probe.prefix:
        span = next(_prefix_spans(text, folded, origin, probe), None)
        return (text[span[0]:span[1]], span) if span else (f"{term.text}*", None)
    # a skill found by its slug is shown by whichever of its spellings the text uses first
    forms = term.expansions if probe.field == "skill" and term.skill else (probe.form,)
    located = []
    for form in forms:
        span = next(_form_spans(text, folded, origin, form, skill=term.skill is not None), None)
        if span is not None:
            located.append((span, form))
    if not located:
        return probe.form, None
    span, form = min(located)
    return form, span


def highlight_spans(q: ParsedQuery, text: str) -> list[tuple[int, int]]:
    """Every occurrence in text of every positive term's spellings: sorted, non-overlapping."""
    folded, origin = fold_with_origin(text)
    spans: set[tuple[int, int]] = set()
    for term in dict.fromkeys(q.positive_terms()):
        if term.prefix:
            for probe in _probes(term):
                spans.update(_prefix_spans(text, folded, origin, probe))
            continue
        for form in term.expansions:
            spans.update(_form_spans(text, folded, origin, form, skill=term.skill is not None))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen
