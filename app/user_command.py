"""``hire user``: recruiter accounts (who can sign in to the web app)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from app.cli_base import console, err, open_database
from app.settings import get_settings

user_app = typer.Typer(help="Recruiter accounts (who can sign in to the web app).", no_args_is_help=True)


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The recruiter's email: the sign-in name (any letter case).")],
    name: Annotated[str, typer.Option(help="The recruiter's name as the app shows it.")],
    org: Annotated[str, typer.Option(help="Organisation (slug); created if it does not exist.")],
    password: Annotated[str | None, typer.Option(help="At least 8 characters. Omitted: asked for twice, hidden. "
                                                 "A password here stays in the shell history.")] = None,
) -> None:
    """Create a recruiter account and print its id."""
    from app.auth import create_recruiter

    engine = open_database(get_settings())
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        recruiter_id = create_recruiter(engine, org, email, name, password)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Created recruiter {recruiter_id} ({email.strip().lower()}, organisation {org}).")


@user_app.command("list")
def user_list(
    org: Annotated[str | None, typer.Option(help="Only this organisation (slug).")] = None,
) -> None:
    """The recruiter accounts, with their organisation and whether they can sign in with a password."""
    from tools.records.models import Organisation, Recruiter

    engine = open_database(get_settings())
    query = (select(Recruiter.id, Recruiter.email, Recruiter.name, Organisation.slug, Recruiter.password_hash,
                    Recruiter.created_at)
             .join(Organisation, Organisation.id == Recruiter.organisation_id).order_by(Recruiter.id))
    if org is not None:
        query = query.where(Organisation.slug == org)
    table = Table("id", "email", "name", "organisation", "password", "created", title="Recruiters")
    table.columns[1].no_wrap = True  # the sign-in name, shown whole
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    for rid, email, name, slug, password_hash, created in rows:
        table.add_row(str(rid), email, name, slug, "set" if password_hash else "none (SSO only)",
                      f"{created:%Y-%m-%d}")
    console.print(table)
    if org is not None and not rows:
        err.print(f"[yellow]No recruiters in organisation {org!r}.[/yellow]")
