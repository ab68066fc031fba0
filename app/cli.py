"""``hire``: the command line of the Hiring Assistant (set-up, data, statistics)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from app.settings import Settings, get_settings

app = typer.Typer(help="Hiring Assistant: an open, self-hostable AI agent for recruiters.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

DEMO_ORG = "demo"
DEMO_TECH_SHARE = 0.4  # the demo pool adds computer and mathematical occupations so tech searches find people


def _engine(settings: Settings) -> Engine:
    from app.db.migrate import current_revision, head_revision
    from app.db.session import make_engine

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


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console)


@app.command()
def init(
    demo: Annotated[bool, typer.Option(help="Load the demo talent pool if the database has no profiles yet.")] = False,
) -> None:
    """Create the data folder and database (or migrate it to the latest schema)."""
    from app.db.migrate import upgrade
    from app.db.session import make_engine
    from app.loader import ensure_organisation, ensure_skills

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with engine.begin() as conn:
        skills = ensure_skills(conn)
    ensure_organisation(engine, DEMO_ORG, "Demo Organisation")
    console.print(f"Database ready at [bold]{settings.db_url}[/bold] ({len(skills):,} skills in the vocabulary).")
    if demo:
        _load_demo(engine, settings)


def _load_demo(engine: Engine, settings: Settings) -> None:
    from app.db.models import Profile

    with engine.connect() as conn:
        existing = conn.scalar(select(func.count()).select_from(Profile))
    if existing:
        console.print(f"Demo data already loaded ({existing:,} profiles); nothing to do.")
        return
    tech = int(settings.demo_profiles * DEMO_TECH_SHARE)
    _seed(engine, settings.demo_profiles - tech, settings.demo_seed, ())
    _seed(engine, tech, settings.demo_seed + 1, ("15-",))
    resumes = settings.shared_data_dir / "resumes"
    if resumes.is_dir():
        _import(engine, [resumes], DEMO_ORG, settings)
    else:
        console.print(f"[yellow]No real resumes at {resumes}; the demo pool has generated profiles only.[/yellow]")


def _seed(engine: Engine, n: int, seed: int, occupations: tuple[str, ...], workers: int | None = None) -> None:
    from app.loader import seed_profiles

    if n <= 0:
        return
    label = f"Generating {'+'.join(occupations) or 'all'} occupations (seed {seed})"
    started = time.perf_counter()
    with _progress() as bar:
        task = bar.add_task(label, total=n)
        stats = seed_profiles(engine, n, seed, occupations=occupations, workers=workers,
                              progress=lambda k: bar.advance(task, k))
    elapsed = time.perf_counter() - started
    console.print(f"Loaded {stats.inserted:,} profiles ({stats.duplicates:,} already present) in {elapsed:.1f} s "
                  f"({stats.inserted / max(elapsed, 1e-9):,.0f} profiles/s).")


@app.command()
def seed(
    profiles: Annotated[int, typer.Option("--profiles", "-n", min=1, help="How many profiles to generate.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same profiles.")] = 7,
    occupations: Annotated[str, typer.Option(help="Only O*NET codes with these prefixes, comma separated "
                                             "(e.g. '15-' for computer occupations).")] = "",
    workers: Annotated[int | None, typer.Option(min=1, help="Generator processes (default: up to 2).")] = None,
) -> None:
    """Generate a reproducible talent pool from O*NET and BLS distributions and load it."""
    engine = _engine(get_settings())
    prefixes = tuple(p.strip() for p in occupations.split(",") if p.strip())
    try:
        _seed(engine, profiles, seed, prefixes, workers)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _import(engine: Engine, paths: list[Path], org: str, settings: Settings) -> int:
    from app.importer import expand_paths, import_file
    from app.loader import ensure_organisation
    from tools.taxonomy import load

    org_id = ensure_organisation(engine, org)
    files = list(expand_paths(paths))
    table = Table("file", "imported", "duplicates", "with skills", "with experience", "skipped", title="Import")
    failures = 0
    skipped_rows: list[tuple[str, str]] = []
    with _progress() as bar:
        task = bar.add_task("Importing resumes", total=len(files))
        for path in files:
            report = import_file(engine, path, org_id, int(settings.max_upload_mb * 1024 * 1024), load())
            failures += not report.ok or (report.imported == 0 and bool(report.skipped))
            skipped_rows += report.skipped
            if report.error:
                skipped_rows.append((path.name, report.error))
            table.add_row(path.name, str(report.imported), str(report.duplicates), str(report.with_skills),
                          str(report.with_experience), str(len(report.skipped)))
            bar.advance(task)
    console.print(table)
    for source, reason in skipped_rows:
        console.print(f"[yellow]skipped[/yellow] {source}: {reason}")
    return failures


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Resume files (.csv, .txt, .pdf, .docx) or folders.")],
    org: Annotated[str, typer.Option(help="Organisation (slug) that receives the applicants.")] = DEMO_ORG,
) -> None:
    """Import resumes as applicants of an organisation; bad files are reported and skipped."""
    settings = get_settings()
    failures = _import(_engine(settings), paths, org, settings)
    if failures:
        raise typer.Exit(1)


@app.command()
def stats() -> None:
    """Counts of what the system of record holds, and the top occupations and locations."""
    from app.db import models as m
    from tools.taxonomy import load

    settings = get_settings()
    engine = _engine(settings)
    table = Table("table", "rows", title=f"System of record ({settings.db_url})")
    with engine.connect() as conn:
        for model in (m.Organisation, m.Recruiter, m.Profile, m.ProfileExperience, m.ProfileEducation,
                      m.ProfileSkill, m.Skill, m.Project, m.Qualification, m.PipelineEntry, m.Evaluation,
                      m.Message, m.MailboxMessage, m.AuditLog):
            table.add_row(model.__tablename__, f"{conn.scalar(select(func.count()).select_from(model)):,}")
        console.print(table)
        kinds = conn.execute(select(m.Profile.kind, func.count()).group_by(m.Profile.kind)).all()
        console.print("Profiles by kind: " + ", ".join(f"{k} {n:,}" for k, n in kinds))
        taxonomy = load()
        occ = Table("occupation", "profiles", title="Top occupations")
        for code, n in conn.execute(select(m.Profile.occupation_code, func.count()).group_by(m.Profile.occupation_code)
                                    .order_by(func.count().desc()).limit(10)):
            name = taxonomy.occupations[code].title if code in taxonomy.occupations else "(unclassified)"
            occ.add_row(f"{name} [dim]{code or ''}[/dim]", f"{n:,}")
        loc = Table("location", "profiles", title="Top locations")
        for where, n in conn.execute(select(m.Profile.location, func.count()).group_by(m.Profile.location)
                                     .order_by(func.count().desc()).limit(10)):
            loc.add_row(where or "(unknown)", f"{n:,}")
    console.print(occ)
    console.print(loc)


@app.command("build-taxonomy")
def build_taxonomy(
    data_dir: Annotated[Path | None, typer.Option(help="Folder with onet/ and bls_oews/.")] = None,
) -> None:
    """Rebuild the shipped taxonomy file from the raw O*NET and BLS data."""
    from tools.taxonomy_build import TAXONOMY_FILE, build

    source = data_dir or get_settings().shared_data_dir
    if not (source / "onet").is_dir() or not (source / "bls_oews").is_dir():
        err.print(f"[red]{source} has no onet/ and bls_oews/ folders.[/red]")
        raise typer.Exit(2)
    counts = build(source)
    console.print(f"Wrote {TAXONOMY_FILE}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
