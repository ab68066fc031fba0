"""The system of record, at the bottom of the house: every layer above stands on it and it imports none of them.

* :mod:`tools.records.models`: the SQLAlchemy 2 typed ORM models; every table is named here, once.
* :mod:`tools.records.session`: engines, organisation-scoped sessions and :class:`ScopeViolation`, and the hook
  through which the keyword index hears of written profiles.
* :mod:`tools.records.audit`: the append-only, hash-chained audit log.
* :mod:`tools.records.migrate` and ``migrations/``: the Alembic migrations, identical on SQLite and PostgreSQL.
* :mod:`tools.records.store`: the typed project and pipeline store, bound to an engine and an organisation.
* :mod:`tools.records.profile`: the plain record a profile travels in before it is stored.
"""

from tools.records.profile import EducationRecord, ExperienceRecord, ProfileRecord, content_hash

__all__ = ["EducationRecord", "ExperienceRecord", "ProfileRecord", "content_hash"]
