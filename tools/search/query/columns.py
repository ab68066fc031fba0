"""The indexed document of a profile and its columns, stored as the token rows every backend searches."""

from __future__ import annotations

from dataclasses import dataclass

from tools.search.query.tokens import skill_slug, token_text


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
# Column weights: a title or skill match counts more than a mention in the body text.
FTS5_WEIGHTS = (6.0, 5.0, 2.0, 1.5, 1.5, 1.0)  # title, skills, company, school, location, body
# The column a field scope searches (FTS5 names); None: any column.
FIELD_COLUMNS: dict[str | None, str | None] = {None: None, "title": "title", "skill": "skills", "company": "company",
                                               "school": "school", "location": "location"}


def fts5_row(doc: ProfileDoc) -> tuple[str, ...]:
    """Values for FTS5_COLUMNS: folded tokens joined by spaces (skills: their slugs).

    The text is stored already tokenised so FTS5 (``unicode61 remove_diacritics 2``), PostgreSQL and
    :func:`~tools.search.query.reference.evaluate` split it identically; spans for display come from
    ``raw_text`` via :func:`~tools.search.query.highlight.match_terms`.
    """
    skills = " ".join(s for s in map(skill_slug, doc.skills) if s)
    return (token_text(doc.title), skills, token_text(doc.company), token_text(doc.school),
            token_text(doc.location), token_text(doc.body))
