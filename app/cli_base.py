"""What the ``hire`` commands share: the consoles, opening the database, finding an organisation."""

from __future__ import annotations

import typer
from rich.console import Console
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from app.settings import Settings

console = Console()
err = Console(stderr=True)


def open_database(settings: Settings) -> Engine:
    from tools.records.migrate import current_revision, head_revision
    from tools.records.session import make_engine

    engine = make_engine(settings.db_url)
    try:
        revision = current_revision(engine)
    except OperationalError as exc:
        err.print(f"[red]Cannot open the database at {settings.db_url}: {exc.orig}[/red]")
        raise typer.Exit(2) from exc
    if revision != head_revision():
        err.print(f"[red]The database at {settings.db_url} is not set up (revision {revision}). "
                  "Run `hire init` first.[/red]")
        raise typer.Exit(2)
    return engine


def organisation_id(engine: Engine, slug: str) -> int:
    from tools.records.models import Organisation

    with engine.connect() as conn:
        org_id = conn.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if org_id is None:
        err.print(f"[red]No organisation {slug!r}.[/red]")
        raise typer.Exit(2)
    return int(org_id)
