"""Chat history of the browser workspace: the tables Chainlit's SQLAlchemy data layer reads and writes
(users, threads, steps, elements, feedbacks), with its quoted camelCase column names.

The data layer issues hand-written SQL against these names, so they are created here rather than mapped
in tools/records/models.py (the schema comparison skips them, see tools.records.migrate.CHAT_HISTORY_TABLES). Ids are
the UUID strings the data layer binds; timestamps are the ISO-8601 strings it writes; JSON values are
JSONB on PostgreSQL and JSON text on SQLite (app.chat_store serialises and parses them). Besides the
columns of Chainlit's documented schema, steps carry "command", "modes" and "autoCollapse", and elements
"autoPlay" and "playerConfig", which Chainlit 2.10+ writes too.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=36)


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", ID, nullable=False),
        sa.Column("identifier", sa.Text(), nullable=False),
        sa.Column("metadata", _json(), nullable=False),
        sa.Column("createdAt", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("identifier", name=op.f("uq_users_identifier")),
    )
    op.create_table(
        "threads",
        sa.Column("id", ID, nullable=False),
        sa.Column("createdAt", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("userId", ID, nullable=True),
        sa.Column("userIdentifier", sa.Text(), nullable=True),
        sa.Column("tags", _json(), nullable=True),
        sa.Column("metadata", _json(), nullable=True),
        sa.ForeignKeyConstraint(["userId"], ["users.id"], name=op.f("fk_threads_userId_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threads")),
    )
    op.create_index(op.f("ix_threads_userId"), "threads", ["userId"])
    op.create_index(op.f("ix_threads_userIdentifier"), "threads", ["userIdentifier"])
    op.create_table(
        "steps",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("threadId", ID, nullable=False),
        sa.Column("parentId", ID, nullable=True),
        sa.Column("streaming", sa.Boolean(), nullable=False),
        sa.Column("waitForAnswer", sa.Boolean(), nullable=True),
        sa.Column("isError", sa.Boolean(), nullable=True),
        sa.Column("metadata", _json(), nullable=True),
        sa.Column("tags", _json(), nullable=True),
        sa.Column("input", sa.Text(), nullable=True),
        sa.Column("output", sa.Text(), nullable=True),
        sa.Column("createdAt", sa.Text(), nullable=True),
        sa.Column("command", sa.Text(), nullable=True),
        sa.Column("modes", _json(), nullable=True),
        sa.Column("start", sa.Text(), nullable=True),
        sa.Column("end", sa.Text(), nullable=True),
        sa.Column("generation", _json(), nullable=True),
        sa.Column("showInput", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("defaultOpen", sa.Boolean(), nullable=True),
        sa.Column("autoCollapse", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["threadId"], ["threads.id"], name=op.f("fk_steps_threadId_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steps")),
    )
    op.create_index(op.f("ix_steps_threadId"), "steps", ["threadId"])
    op.create_table(
        "elements",
        sa.Column("id", ID, nullable=False),
        sa.Column("threadId", ID, nullable=True),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("chainlitKey", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("display", sa.Text(), nullable=True),
        sa.Column("objectKey", sa.Text(), nullable=True),
        sa.Column("size", sa.Text(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("forId", ID, nullable=True),
        sa.Column("mime", sa.Text(), nullable=True),
        sa.Column("props", _json(), nullable=True),
        sa.Column("autoPlay", sa.Boolean(), nullable=True),
        sa.Column("playerConfig", _json(), nullable=True),
        sa.ForeignKeyConstraint(["threadId"], ["threads.id"], name=op.f("fk_elements_threadId_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elements")),
    )
    op.create_index(op.f("ix_elements_threadId"), "elements", ["threadId"])
    op.create_table(
        "feedbacks",
        sa.Column("id", ID, nullable=False),
        sa.Column("forId", ID, nullable=False),
        sa.Column("threadId", ID, nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["threadId"], ["threads.id"], name=op.f("fk_feedbacks_threadId_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedbacks")),
    )
    op.create_index(op.f("ix_feedbacks_forId"), "feedbacks", ["forId"])


def downgrade() -> None:
    op.drop_index(op.f("ix_feedbacks_forId"), table_name="feedbacks")
    op.drop_table("feedbacks")
    op.drop_index(op.f("ix_elements_threadId"), table_name="elements")
    op.drop_table("elements")
    op.drop_index(op.f("ix_steps_threadId"), table_name="steps")
    op.drop_table("steps")
    op.drop_index(op.f("ix_threads_userIdentifier"), table_name="threads")
    op.drop_index(op.f("ix_threads_userId"), table_name="threads")
    op.drop_table("threads")
    op.drop_table("users")
