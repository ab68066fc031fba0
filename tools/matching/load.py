"""What the matcher reads about a person (:class:`Candidate`), and loading candidates from the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

__all__ = ["SQL_CHUNK", "Candidate", "load_candidates"]

SQL_CHUNK = 900  # ids per IN list: below SQLite's historic 999 bound-parameter limit


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the matcher reads about one person; evidence offsets point into ``text`` (or a ``notes`` text)."""

    profile_id: int
    text: str
    full_name: str | None = None
    current_title: str | None = None
    years_experience: float | None = None
    location: str | None = None
    country: str | None = None
    seniority: str | None = None
    skills: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    withheld: tuple[tuple[str, str], ...] = ()  # (label, text) kept out of ``text`` when it was imported


def load_candidates(conn: Connection, ids: Sequence[int]) -> list[Candidate]:
    """Candidates for ``ids`` (order kept, repeats and unknown ids dropped) with a few Core selects per chunk."""
    from sqlalchemy import select

    from tools.records.models import Profile, ProfileExperience, ProfileSkill, Skill

    wanted = list(dict.fromkeys(int(i) for i in ids))
    p, e, ps, s = (Profile.__table__, ProfileExperience.__table__, ProfileSkill.__table__, Skill.__table__)
    rows: dict[int, Any] = {}
    titles: dict[int, list[str]] = defaultdict(list)
    skills: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(wanted), SQL_CHUNK):
        part = wanted[start:start + SQL_CHUNK]
        query = select(p.c.id, p.c.raw_text, p.c.full_name, p.c.current_title, p.c.years_experience,
                       p.c.location, p.c.country, p.c.seniority, p.c.withheld).where(p.c.id.in_(part))
        rows.update({int(r.id): r for r in conn.execute(query)})
        query = (select(e.c.profile_id, e.c.title).where(e.c.profile_id.in_(part))
                 .order_by(e.c.profile_id, e.c.position, e.c.id))
        for row in conn.execute(query):
            if row.title:
                titles[int(row.profile_id)].append(row.title)
        query = (select(ps.c.profile_id, s.c.name).join(s, s.c.id == ps.c.skill_id)
                 .where(ps.c.profile_id.in_(part)).order_by(ps.c.profile_id, s.c.name))
        for row in conn.execute(query):
            skills[int(row.profile_id)].append(row.name)
    return [_candidate_from_row(rows[pid], titles[pid], skills[pid]) for pid in wanted if pid in rows]


def _candidate_from_row(row: Any, titles: list[str], skills: list[str]) -> Candidate:
    return Candidate(
        profile_id=int(row.id), text=row.raw_text or "", full_name=row.full_name, current_title=row.current_title,
        years_experience=row.years_experience, location=row.location, country=row.country,
        seniority=row.seniority, skills=tuple(skills), titles=tuple(titles),
        withheld=tuple((str(w.get("label", "")), str(w.get("text", ""))) for w in row.withheld or ()
                       if isinstance(w, dict)),
    )
