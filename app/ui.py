"""The browser workspace (Chainlit). For now it shows the talent pool the assistant works on."""

from __future__ import annotations

import chainlit as cl
from sqlalchemy import func, select

from app.db.models import Profile
from app.db.session import make_engine
from app.settings import get_settings


def pool_summary() -> str:
    settings = get_settings()
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            rows = dict(conn.execute(select(Profile.kind, func.count()).group_by(Profile.kind)).all())
    finally:
        engine.dispose()
    members, applicants = rows.get("member", 0), rows.get("applicant", 0)
    return (f"The talent pool holds **{members:,}** network profiles and **{applicants:,}** applicants "
            "(see `hire stats` for the breakdown).")


@cl.on_chat_start
async def start() -> None:
    await cl.Message(content="Welcome to Hiring Assistant. " + pool_summary()).send()


@cl.on_message
async def on_message(message: cl.Message) -> None:
    await cl.Message(
        content="Role intake, sourcing and evaluation are not part of this build yet. " + pool_summary()
    ).send()
