"""Run the Alembic migrations programmatically (``hire init`` and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Tables the migrations create outside the ORM: the keyword search index (FTS5 / tsvector) and its shadows.
SEARCH_INDEX_TABLES = ("profile_fts", "profile_search")
# Tables of the browser chat history, read and written by Chainlit's data layer in its own SQL (app.chat_store).
CHAT_HISTORY_TABLES = frozenset({"users", "threads", "steps", "elements", "feedbacks"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate and schema comparison skip the search-index and chat-history tables, which have no ORM model."""
    table = (name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")) or ""
    return not (table.startswith(SEARCH_INDEX_TABLES) or table in CHAT_HISTORY_TABLES)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision``."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
