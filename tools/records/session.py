"""Engines and sessions for the system of record, with organisation scoping built into the session.

``org_session(engine, org_id)`` returns a session in which every ORM query of an organisation-owned
model is filtered to that organisation, profiles are filtered to network members plus that
organisation's applicants, and flushing a row that belongs to another organisation raises
:class:`ScopeViolation`. Code that must cross organisations (migrations, the seed loader, admin
commands) uses a plain ``Session``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, or_, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from tools.records.models import AuditLog, OrgOwned, Profile, utcnow


class ScopeViolation(PermissionError):
    """A session scoped to one organisation tried to write another organisation's row."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created, WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def org_session(engine: Engine, org_id: int) -> Session:
    """A session that sees and writes only organisation ``org_id``'s rows (and network profiles)."""
    session = Session(engine, expire_on_commit=False)
    session.info["org_id"] = org_id
    return session


@contextmanager
def org_scope(engine: Engine, org_id: int) -> Iterator[Session]:
    with org_session(engine, org_id) as session, session.begin():
        yield session


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state: ORMExecuteState) -> None:
    org_id = state.session.info.get("org_id")
    if org_id is None or not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("include_all_orgs"):
        return
    state.statement = state.statement.options(
        with_loader_criteria(OrgOwned, lambda cls: cls.organisation_id == org_id, include_aliases=True),
        with_loader_criteria(
            Profile,
            lambda cls: or_(cls.organisation_id.is_(None), cls.organisation_id == org_id),
            include_aliases=True,
        ),
    )


@event.listens_for(Session, "before_flush")
def _guard_writes(session: Session, _ctx: Any, _instances: Any) -> None:
    org_id = session.info.get("org_id")
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.dirty or obj in session.deleted):
            raise PermissionError("the audit log is append-only")
        if org_id is None:
            continue
        owner = getattr(obj, "organisation_id", None)
        if isinstance(obj, OrgOwned) and owner is None and obj in session.new:
            obj.organisation_id = org_id
            continue
        if isinstance(obj, OrgOwned | Profile) and owner is not None and owner != org_id:
            raise ScopeViolation(f"{type(obj).__name__} belongs to organisation {owner}, session is {org_id}")
        if isinstance(obj, Profile) and owner is None and obj not in session.new and obj in session.dirty:
            raise ScopeViolation("network member profiles are read-only to an organisation")


ProfileHook = Callable[[Connection, list[int]], None]
_PROFILE_HOOKS: list[ProfileHook] = []


def on_profiles_changed(hook: ProfileHook) -> ProfileHook:
    """Register ``hook(connection, profile_ids)``, called in the same transaction whenever profiles (or their
    experience, education or skills) are written through the ORM. The keyword index registers its re-indexer
    here (``tools.search.keyword``), so the system of record needs to know nothing of search."""
    if hook not in _PROFILE_HOOKS:
        _PROFILE_HOOKS.append(hook)
    return hook


@event.listens_for(Session, "after_flush")
def _reindex_changed_profiles(session: Session, _ctx: Any) -> None:
    """A profile changed or added through the ORM is re-indexed for keyword search in the same transaction;
    its newer ``updated_at`` marks it for re-embedding by the next ``hire index``."""
    from tools.records.models import ProfileEducation, ProfileExperience, ProfileSkill

    changed = {
        obj.id if isinstance(obj, Profile) else obj.profile_id
        for obj in list(session.new) + list(session.dirty)
        if isinstance(obj, Profile | ProfileExperience | ProfileEducation | ProfileSkill)
    }
    changed.discard(None)
    if not changed:
        return
    conn = session.connection()
    # a change of experience, education or skills alone is a change of the profile: its newer updated_at is
    # what tells the vector index and the sparse keyword segments to pick it up again
    touched = sorted(changed - {obj.id for obj in [*session.new, *session.dirty] if isinstance(obj, Profile)})
    if touched:
        conn.execute(update(Profile).where(Profile.id.in_(touched)).values(updated_at=utcnow()))
    for hook in _PROFILE_HOOKS:
        hook(conn, sorted(changed))
