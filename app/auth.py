"""Recruiter accounts: argon2id password hashes, sign-in by password or by an SSO proxy's header, and the
secret that signs the browser session.

Emails are compared case-insensitively and stored in lower case. Signing in with an unknown email costs the
same argon2 verification as a known one, so response times do not reveal which emails have accounts.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tools.records.audit import audit
from tools.records.models import Organisation, Recruiter

if TYPE_CHECKING:
    from app.settings import Settings

HASHER = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters
MIN_PASSWORD_LENGTH = 8
SECRET_FILE = ".chainlit_secret"


@dataclass(frozen=True)
class RecruiterIdentity:
    """Who signed in: the recruiter and the organisation whose data they see."""

    recruiter_id: int
    organisation_id: int
    email: str
    name: str
    org_slug: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with a fresh random salt (PHC string format)."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a malformed hash never matches."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def _find(session: Session, email: str) -> tuple[Recruiter, str] | None:
    row = session.execute(
        select(Recruiter, Organisation.slug).join(Organisation, Organisation.id == Recruiter.organisation_id)
        .where(func.lower(Recruiter.email) == normalise_email(email)).order_by(Recruiter.id).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _identity(recruiter: Recruiter, org_slug: str) -> RecruiterIdentity:
    return RecruiterIdentity(recruiter_id=recruiter.id, organisation_id=recruiter.organisation_id,
                             email=recruiter.email, name=recruiter.name, org_slug=org_slug)


def create_recruiter(engine: Engine, org_slug: str, email: str, name: str, password: str) -> int:
    """Create a recruiter who signs in with ``password`` (the organisation too, if it is new); returns the id.

    Raises :class:`ValueError` for a password under 8 characters, an address without ``@`` or an email that
    already has an account (in any letter case).
    """
    from app.loader import ensure_organisation

    _check_password(password)
    address = normalise_email(email)
    if "@" not in address.strip("@"):
        raise ValueError(f"{email!r} is not an email address")
    if not name.strip():
        raise ValueError("the recruiter needs a name")
    with Session(engine) as session:
        if _find(session, address) is not None:
            raise ValueError(f"a recruiter with the email {address} already exists")
    password_hash = hash_password(password)
    org_id = ensure_organisation(engine, org_slug)
    try:
        with Session(engine) as session, session.begin():
            recruiter = Recruiter(organisation_id=org_id, email=address, name=name.strip(),
                                  password_hash=password_hash)
            session.add(recruiter)
            session.flush()
            audit(session, org_id, "system", None, "recruiter.created", "recruiter", str(recruiter.id),
                  email=address)
            return recruiter.id
    except IntegrityError as exc:  # created at the same moment by someone else (the email is unique)
        raise ValueError(f"a recruiter with the email {address} already exists") from exc


def set_password(engine: Engine, recruiter_id: int, password: str) -> None:
    """Give the recruiter a new password."""
    _check_password(password)
    password_hash = hash_password(password)
    with Session(engine) as session, session.begin():
        recruiter = session.get(Recruiter, recruiter_id)
        if recruiter is None:
            raise ValueError(f"no recruiter {recruiter_id}")
        recruiter.password_hash = password_hash
        audit(session, recruiter.organisation_id, "system", None, "recruiter.password_set", "recruiter",
              str(recruiter_id))


def authenticate(engine: Engine, email: str, password: str) -> RecruiterIdentity | None:
    """The recruiter whose email and password these are, or None (unknown email, no password, wrong password)."""
    with Session(engine) as session:
        found = _find(session, email)
        stored = found[0].password_hash if found else None
    if found is None or not stored:
        verify_password(_dummy_hash(), password)  # the same work as for a real account
        return None
    if not verify_password(stored, password):
        return None
    recruiter, org_slug = found
    if HASHER.check_needs_rehash(stored):  # hashed with weaker parameters than today's: upgrade it
        with Session(engine) as session, session.begin():
            session.execute(update(Recruiter).where(Recruiter.id == recruiter.id, Recruiter.password_hash == stored)
                            .values(password_hash=hash_password(password)))
    return _identity(recruiter, org_slug)


def identity_for_email(engine: Engine, email: str) -> RecruiterIdentity | None:
    """The recruiter with this email, for sign-in by a trusted SSO proxy's header; None if there is none."""
    if not email or not email.strip():
        return None
    with Session(engine) as session:
        found = _find(session, email)
    return _identity(*found) if found else None


def ensure_demo_login(engine: Engine, password: str, org_slug: str = "demo", email: str = "demo@hiring.local",
                      name: str = "Demo Recruiter") -> int:
    """The demo recruiter's id, creating the recruiter once and giving it ``password`` if it has none yet."""
    from tools.records.store import ensure_demo_recruiter

    _, recruiter_id = ensure_demo_recruiter(engine, org_slug=org_slug, email=email, name=name)
    with Session(engine) as session:
        has_password = bool(session.scalar(select(Recruiter.password_hash).where(Recruiter.id == recruiter_id)))
    if not has_password:
        set_password(engine, recruiter_id, password)
    return recruiter_id


def session_secret(settings: Settings) -> str:
    """The secret that signs browser sessions: the configured one, else DATA_DIR/.chainlit_secret (made once,
    readable by its owner only)."""
    configured = settings.chainlit_auth_secret.get_secret_value()
    if configured:
        return configured
    path = Path(settings.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text(encoding="utf-8").strip()
        if not secret:
            raise ValueError(f"{path} is empty; delete it to have a new secret made") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    return secret
