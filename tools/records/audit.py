"""The audit log: an append-only record of every agent decision, approval and sent message, hash-chained per
organisation (the database itself rejects UPDATE and DELETE on the table; see the migrations)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.records.models import AuditLog


def _chain_hash(org_id: int, actor_type: str, actor_id: str | None, action: str, subject_type: str | None,
                subject_id: str | None, detail: dict[str, Any], prev: str) -> str:
    body = json.dumps([org_id, actor_type, actor_id, action, subject_type, subject_id, detail, prev],
                      sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def audit(session: Session, org_id: int, actor_type: str, actor_id: str | None, action: str,
          subject_type: str | None = None, subject_id: str | None = None, **detail: Any) -> AuditLog:
    """Append an audit entry chained to the organisation's previous entry by SHA-256."""
    prev = session.scalar(
        select(AuditLog.hash).where(AuditLog.organisation_id == org_id).order_by(AuditLog.id.desc()).limit(1)
    ) or "0" * 64
    entry = AuditLog(
        organisation_id=org_id, actor_type=actor_type, actor_id=actor_id, action=action,
        subject_type=subject_type, subject_id=subject_id, detail=detail, prev_hash=prev,
        hash=_chain_hash(org_id, actor_type, actor_id, action, subject_type, subject_id, detail, prev),
    )
    session.add(entry)
    session.flush()
    return entry


def verify_audit_chain(session: Session, org_id: int) -> bool:
    """True when every audit entry of the organisation chains to the one before it."""
    prev = "0" * 64
    rows = session.scalars(select(AuditLog).where(AuditLog.organisation_id == org_id).order_by(AuditLog.id))
    for row in rows:
        expected = _chain_hash(org_id, row.actor_type, row.actor_id, row.action, row.subject_type,
                               row.subject_id, row.detail, prev)
        if row.prev_hash != prev or row.hash != expected:
            return False
        prev = row.hash
    return True
