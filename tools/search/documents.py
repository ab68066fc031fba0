"""The search document of a profile, built from a record being loaded or from the stored rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Connection, Table, select

from tools.records import ProfileRecord
from tools.records.models import Profile, ProfileEducation, ProfileExperience, ProfileSkill, Skill
from tools.search.query import ProfileDoc

profiles = cast(Table, Profile.__table__)
experiences = cast(Table, ProfileExperience.__table__)
educations = cast(Table, ProfileEducation.__table__)
profile_skills = cast(Table, ProfileSkill.__table__)
skills_table = cast(Table, Skill.__table__)


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

    e, ed, ps, s, p = experiences, educations, profile_skills, skills_table, profiles
    for pid, title, company in conn.execute(select(e.c.profile_id, e.c.title, e.c.company)
                                            .where(e.c.profile_id.in_(ids)).order_by(e.c.profile_id, e.c.position)):
        titles[pid].append(title)
        if company:
            companies[pid].append(company)
    for pid, school in conn.execute(select(ed.c.profile_id, ed.c.school)
                                    .where(ed.c.profile_id.in_(ids), ed.c.school.is_not(None))
                                    .order_by(ed.c.profile_id, ed.c.position)):
        schools[pid].append(school)
    for pid, name in conn.execute(select(ps.c.profile_id, s.c.name).join(s, s.c.id == ps.c.skill_id)
                                  .where(ps.c.profile_id.in_(ids)).order_by(ps.c.profile_id, s.c.id)):
        skills[pid].append(name)
    docs: dict[int, ProfileDoc] = {}
    for pid, current, headline, location, raw in conn.execute(
        select(p.c.id, p.c.current_title, p.c.headline, p.c.location, p.c.raw_text).where(p.c.id.in_(ids))
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
