"""Recruiter accounts on SQLite and PostgreSQL: argon2id hashes, sign-in, the `hire user` commands, the demo login."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.auth import (
    authenticate,
    create_recruiter,
    ensure_demo_login,
    hash_password,
    identity_for_email,
    session_secret,
    verify_password,
)
from app.settings import Settings
from tools.records.models import AuditLog, Organisation, Recruiter

HIRE = [sys.executable, "-m", "app.cli"]


def hire(data_dir: Path, *args: str, stdin: str | None = None, check: bool = True,
         **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HIRE_DATA_DIR": str(data_dir), "COLUMNS": "200", "HF_HUB_OFFLINE": "1", **extra_env}
    if "HIRE_DATABASE_URL" not in extra_env:
        env.pop("HIRE_DATABASE_URL", None)
    env.pop("HIRE_CHAINLIT_AUTH_SECRET", None)
    # a session of its own: no controlling terminal, so hidden prompts read stdin
    result = subprocess.run([*HIRE, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300,
                            start_new_session=True)
    if check and result.returncode != 0:
        raise AssertionError(f"hire {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def test_hashes_are_salted_argon2id() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert verify_password(first, "correct horse") and verify_password(second, "correct horse")
    assert not verify_password(first, "correct horsE")
    assert not verify_password("not a hash", "correct horse")


def test_sign_in_by_password(engine: Engine) -> None:
    rid = create_recruiter(engine, "acme", "Ada@Acme.test", "Ada Lovelace", "s3cret-pass")
    with Session(engine) as s:
        stored = s.get(Recruiter, rid)
        assert stored.email == "ada@acme.test" and stored.password_hash.startswith("$argon2id$")
        assert "s3cret-pass" not in stored.password_hash
        org = s.scalar(select(Organisation).where(Organisation.slug == "acme"))
        assert org is not None and stored.organisation_id == org.id
        assert s.scalar(select(AuditLog.action).where(AuditLog.subject_id == str(rid))) == "recruiter.created"

    who = authenticate(engine, "  ADA@acme.TEST ", "s3cret-pass")
    assert who is not None
    assert (who.recruiter_id, who.organisation_id, who.email, who.name, who.org_slug) == (
        rid, org.id, "ada@acme.test", "Ada Lovelace", "acme")
    assert authenticate(engine, "ada@acme.test", "wrong-pass") is None
    assert authenticate(engine, "ada@acme.test", "") is None
    assert authenticate(engine, "nobody@acme.test", "s3cret-pass") is None

    with pytest.raises(ValueError, match="already exists"):
        create_recruiter(engine, "other", "ADA@ACME.TEST", "Another Ada", "another-pass")
    with pytest.raises(ValueError, match="at least 8 characters"):
        create_recruiter(engine, "acme", "bob@acme.test", "Bob", "short")
    with pytest.raises(ValueError, match="not an email"):
        create_recruiter(engine, "acme", "bob", "Bob", "long-enough")
    with Session(engine) as s:
        assert s.scalars(select(Recruiter.email).order_by(Recruiter.id)).all() == ["ada@acme.test"]
        assert s.scalar(select(Organisation).where(Organisation.slug == "other")) is None


def test_old_hashes_are_upgraded_on_sign_in(engine: Engine) -> None:
    rid = create_recruiter(engine, "acme", "ada@acme.test", "Ada", "s3cret-pass")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("s3cret-pass")
    with engine.begin() as conn:
        conn.execute(update(Recruiter).where(Recruiter.id == rid).values(password_hash=weak))
    assert authenticate(engine, "ada@acme.test", "s3cret-pass") is not None
    with Session(engine) as s:
        upgraded = s.get(Recruiter, rid).password_hash
    assert upgraded != weak and "m=65536" in upgraded
    assert authenticate(engine, "ada@acme.test", "s3cret-pass") is not None


def test_identity_for_email_behind_a_proxy(engine: Engine) -> None:
    rid = create_recruiter(engine, "acme", "ada@acme.test", "Ada", "s3cret-pass")
    who = identity_for_email(engine, "Ada@ACME.test")
    assert who is not None and (who.recruiter_id, who.org_slug) == (rid, "acme")
    assert identity_for_email(engine, "eve@acme.test") is None
    assert identity_for_email(engine, "  ") is None


def test_demo_recruiter_signs_in_with_the_demo_password(engine: Engine) -> None:
    from tools.records.store import ensure_demo_recruiter

    _, created_without_password = ensure_demo_recruiter(engine)  # as `hire demo` or `hire chat` leave it
    assert Settings.model_fields["demo_password"].default == "demo-recruiter"
    assert authenticate(engine, "demo@hiring.local", "demo-recruiter") is None
    rid = ensure_demo_login(engine, "demo-recruiter")
    assert rid == created_without_password
    who = authenticate(engine, "demo@hiring.local", "demo-recruiter")
    assert who is not None and (who.recruiter_id, who.org_slug) == (rid, "demo")
    assert ensure_demo_login(engine, "something-else") == rid  # an existing password is kept
    assert authenticate(engine, "demo@hiring.local", "demo-recruiter") is not None


def test_session_secret(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", chainlit_auth_secret="")
    secret = session_secret(settings)
    path = tmp_path / "var" / ".chainlit_secret"
    assert len(secret) >= 64 and path.read_text().strip() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(settings) == secret  # made once, then read back
    assert session_secret(Settings(_env_file=None, data_dir=tmp_path, chainlit_auth_secret="configured")) == \
        "configured"


@pytest.mark.slow
def test_cli_user_add_list_and_demo_init(tmp_path: Path) -> None:
    data = tmp_path / "var"
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    # the demo set-up without generating a pool: no profiles, no resumes
    out = hire(data, "init", "--demo", HIRE_DEMO_PROFILES="0", HIRE_SHARED_DATA_DIR=str(empty)).stdout
    assert "demo@hiring.local" in out

    added = hire(data, "user", "add", "Ada@Acme.test", "--name", "Ada Lovelace", "--org", "acme",
                 stdin="s3cret-pass\ns3cret-pass\n").stdout
    assert "Created recruiter" in added and "ada@acme.test" in added
    hire(data, "user", "add", "bob@acme.test", "--name", "Bob", "--org", "acme", "--password", "bobs-password")
    duplicate = hire(data, "user", "add", "ADA@acme.test", "--name", "Ada", "--org", "acme",
                     "--password", "whatever-pass", check=False)
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    short = hire(data, "user", "add", "eve@acme.test", "--name", "Eve", "--org", "acme", "--password", "short",
                 check=False)
    assert short.returncode == 2 and "at least 8 characters" in short.stderr

    listed = hire(data, "user", "list", "--org", "acme").stdout
    assert "ada@acme.test" in listed and "bob@acme.test" in listed and "demo@hiring.local" not in listed
    assert "demo@hiring.local" in hire(data, "user", "list").stdout

    secret = hire(data, "ui-secret").stdout.strip()
    assert secret == (data / ".chainlit_secret").read_text().strip()
    assert hire(data, "ui-secret").stdout.strip() == secret

    from tools.records.session import make_engine

    engine = make_engine(f"sqlite:///{data / 'hire.db'}")
    try:
        ada = authenticate(engine, "ada@acme.test", "s3cret-pass")
        assert ada is not None and ada.org_slug == "acme" and f"recruiter {ada.recruiter_id} " in added
        assert authenticate(engine, "bob@acme.test", "bobs-password") is not None
        assert authenticate(engine, "demo@hiring.local", "demo-recruiter") is not None
    finally:
        engine.dispose()
