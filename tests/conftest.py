"""Shared fixtures: real SQLite files and a real PostgreSQL database created for this test run."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import free_port, running
from sqlalchemy import Engine, text

from tools.records.migrate import upgrade
from tools.records.models import Base
from tools.records.session import make_engine

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("HIRE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw public data (../shared/data, or HIRE_SHARED_DATA_DIR)."""
    env = os.environ.get("HIRE_SHARED_DATA_DIR")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hire.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, dropped at the end."""
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"hire_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required in CI: {exc}")
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_database: str) -> Iterator[Engine]:
    engine = make_engine(pg_database)
    upgrade(engine)
    yield engine
    with engine.begin() as conn:  # leave the schema, empty every table
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test against the embedded SQLite file and the PostgreSQL server."""
    return request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port for this test session."""
    import chromadb

    local = Path(sys.executable).with_name("chroma")
    cli = str(local) if local.exists() else shutil.which("chroma")
    if not cli:
        pytest.fail("the chroma CLI (from the chromadb package) is not installed")
    port = free_port()
    log = tmp_path_factory.mktemp("chroma-log") / "server.log"
    command = [cli, "run", "--path", str(tmp_path_factory.mktemp("chroma-data")), "--host", "127.0.0.1", "--port",
               str(port)]
    with running(command, lambda: bool(chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()), log,
                 name="chroma run", timeout_s=60):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def chroma_client(chroma_url: str):
    import chromadb

    host, port = chroma_url.removeprefix("http://").split(":")
    return chromadb.HttpClient(host=host, port=int(port))
