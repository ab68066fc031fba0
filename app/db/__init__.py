"""The system of record: SQLAlchemy 2 typed ORM models, engines and sessions, Alembic migrations."""
