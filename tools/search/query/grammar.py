"""The query language's grammar (lark, LALR), the parser that builds a :class:`ParsedQuery` from it, errors
explained in the recruiter's terms, and the canonical rendering of a parsed query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from tools.search.query.facets import FACET_EXAMPLES, FacetTerm, facets_of, render_facets
from tools.search.query.probes import term_probes
from tools.search.query.tree import And, Node, Not, Or, Term, walk
from tools.search.types import FACET_NAMES, FIELDS, Facets, QuerySyntaxError, SearchError, UnknownFacetError
from tools.taxonomy import TITLE_SYNONYMS, Taxonomy, load
from tools.text import fold

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


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    root: Node | None  # None when the query had only facets or was empty
    facets: Facets  # facets written in the query (only those fields set: use exclude_unset)

    def normalized(self) -> str:
        """Canonical rendering: skills by canonical name, scopes on every term, explicit AND/OR/NOT."""
        root = None if self.root is None else _simplified(self.root)
        facets = render_facets(self.facets)
        if root is None:
            return " AND ".join(facets)
        text = _render(root)
        return " AND ".join([f"({text})" if facets and isinstance(root, Or) else text, *facets])

    def positive_terms(self) -> list[Term]:
        """Terms not under a NOT, in query order."""
        return [t for t, negated in walk(self.root) if not negated]

    def semantic_text(self) -> str:
        """The positive terms' text: what a semantic search should embed."""
        return " ".join(t.text for t in self.positive_terms())


# ---- terms ------------------------------------------------------------------------------------------


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

_AndOr = TypeVar("_AndOr", And, Or)


def _combine(kind: type[_AndOr], children: list) -> _AndOr:
    flat: list = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else [child])
    return kind(tuple(flat))


class _Builder(Transformer):
    """Lark tree -> Term / And / Or / Not (with FacetTerm placeholders)."""

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
                raise QuerySyntaxError(f"a facet takes a plain value, e.g. {name}:{FACET_EXAMPLES[name]} "
                                       "(lists are comma separated, without parentheses)", self.query, tok.start_pos)
            return FacetTerm(name, target.text, tok.start_pos)
        if name not in FIELDS:
            raise UnknownFacetError(_unknown_field_message(tok[:-1], self.query, tok.start_pos))
        return self._scope(target, name, tok)

    def _scope(self, node, field: str, tok: Token):
        if isinstance(node, FacetTerm):
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
        example = f"{name}:{FACET_EXAMPLES[name]}" if name in FACET_EXAMPLES else f"{prev}engineer or {prev}(a OR b)"
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


def _lift_facets(node, query: str) -> tuple[Node | None, list[FacetTerm]]:
    """Take the facets out of the top-level AND chain; anywhere else they are an error."""
    if isinstance(node, FacetTerm):
        return None, [node]
    facets: list[FacetTerm] = [c for c in node.children if isinstance(c, FacetTerm)] if isinstance(node, And) else []
    rest = [c for c in node.children if not isinstance(c, FacetTerm)] if isinstance(node, And) else [node]
    for child in rest:
        stray = _first_facet(child)
        if stray is not None:
            raise QuerySyntaxError(f"facet '{stray}' can only be combined with AND at the top level of the query, not "
                                   "inside OR or NOT: write e.g. '(java OR python) country:DE'", query, stray.position)
    root = None if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))
    return root, facets


def _first_facet(node) -> FacetTerm | None:
    if isinstance(node, FacetTerm):
        return node
    if isinstance(node, Not):
        return _first_facet(node.child)
    if isinstance(node, And | Or):
        return next((f for f in map(_first_facet, node.children) if f is not None), None)
    return None


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
    for term, _ in walk(root):
        if not term_probes(term):
            raise QuerySyntaxError(f"'{term.text}' has no letters or digits to search for", query, term.position)
    return ParsedQuery(query, root, facets_of(facet_terms, taxonomy))


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


