"""The search document of a profile, built from a record being loaded or from the stored rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text

from tools.records import ProfileRecord
from tools.search.query import ProfileDoc


def doc_from_record(record: ProfileRecord) -> ProfileDoc:
    titles = [record.current_title or ""] + [e.title for e in record.experiences if e.title != record.current_title]
    return ProfileDoc(
        title="\n".join(t for t in dict.fromkeys(titles) if t),
        skills=list(dict.fromkeys(name for name, _ in record.skills)),
        company="\n".join(dict.fromkeys(e.company for e in record.experiences if e.company)),
        school="\n".join(dict.fromkeys(e.school for e in record.educations if e.school)),
        location=record.location or "",
        body=record.raw_text if record.headline and record.headline in record.raw_text
        else f"{record.headline}\n{record.raw_text}",
        raw_text=record.raw_text,
    )


def docs_from_db(conn: Connection, ids: Sequence[int]) -> dict[int, ProfileDoc]:
    """Search documents of stored profiles (for a rebuild, or to explain hits)."""
    if not ids:
        return {}
    ids = list(ids)
    titles: dict[int, list[str]] = defaultdict(list)
    companies: dict[int, list[str]] = defaultdict(list)
    schools: dict[int, list[str]] = defaultdict(list)
    skills: dict[int, list[str]] = defaultdict(list)

    def rows(sql: str):
        return conn.execute(text(sql).bindparams(bindparam("ids", expanding=True)), {"ids": ids})

    for pid, title, company in rows("SELECT profile_id, title, company FROM profile_experiences "
                                    "WHERE profile_id IN :ids ORDER BY profile_id, position"):
        titles[pid].append(title)
        if company:
            companies[pid].append(company)
    for pid, school in rows("SELECT profile_id, school FROM profile_educations WHERE profile_id IN :ids "
                            "AND school IS NOT NULL ORDER BY profile_id, position"):
        schools[pid].append(school)
    for pid, name in rows("SELECT ps.profile_id, s.name FROM profile_skills ps JOIN skills s ON s.id = ps.skill_id "
                          "WHERE ps.profile_id IN :ids ORDER BY ps.profile_id, s.id"):
        skills[pid].append(name)
    docs: dict[int, ProfileDoc] = {}
    for pid, current, headline, location, raw in rows(
        "SELECT id, current_title, headline, location, raw_text FROM profiles WHERE id IN :ids"
    ):
        all_titles = [current or ""] + titles[pid]
        docs[pid] = ProfileDoc(
            title="\n".join(t for t in dict.fromkeys(all_titles) if t),
            skills=skills[pid],
            company="\n".join(dict.fromkeys(companies[pid])),
            school="\n".join(dict.fromkeys(schools[pid])),
            location=location or "",
            body=raw if headline and headline in raw else f"{headline}\n{raw}",
            raw_text=raw,
        )
    return docs
