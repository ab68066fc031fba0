"""Search indexes: the keyword index (SQLite FTS5 table, or PostgreSQL tsvector columns with GIN indexes)
and the state of the vector index.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_COLUMNS = ("title_tsv", "skills_tsv", "company_tsv", "school_tsv", "location_tsv", "doc_tsv")


def upgrade() -> None:
    op.create_table(
        "profile_vector_state",
        sa.Column("profile_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("embedded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"], name=op.f("fk_profile_vector_state_profile_id_profiles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_profile_vector_state")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE profile_search (profile_id BIGINT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE, "
            + ", ".join(f"{c} tsvector NOT NULL" for c in PG_COLUMNS) + ")"
        )
        for column in PG_COLUMNS:
            op.execute(f"CREATE INDEX ix_profile_search_{column} ON profile_search USING gin ({column})")
    else:
        # rowid = profiles.id; FTS5 folds case and accents itself
        op.execute(
            "CREATE VIRTUAL TABLE profile_fts USING fts5(title, skills, company, school, location, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        # deleting a profile removes its keyword entry (FTS5 tables take no foreign keys)
        op.execute(
            "CREATE TRIGGER profiles_fts_delete AFTER DELETE ON profiles "
            "BEGIN DELETE FROM profile_fts WHERE rowid = old.id; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS profile_search")
    else:
        op.execute("DROP TRIGGER IF EXISTS profiles_fts_delete")
        op.execute("DROP TABLE IF EXISTS profile_fts")
    op.drop_table("profile_vector_state")
