"""``hire``: the command line of the Hiring Assistant (set-up, data, statistics)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import Engine, func, select

from app.cli_base import console, err
from app.cli_base import open_database as _engine
from app.cli_base import organisation_id as _org_id
from app.eval_command import run_eval
from app.run_command import agent, notifications, run_app, worker
from app.settings import Settings, get_settings
from app.user_command import user_app

if TYPE_CHECKING:
    from tools.search.types import Facets

app = typer.Typer(help="Hiring Assistant: an open, self-hostable AI agent for recruiters.", no_args_is_help=True)

DEMO_ORG = "demo"
DEMO_EMAIL = "demo@hiring.local"
DEMO_TECH_SHARE = 0.4  # the demo pool adds computer and mathematical occupations so tech searches find people


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console)


@app.command()
def init(
    demo: Annotated[bool, typer.Option(help="Load the demo talent pool if the database has no profiles yet.")] = False,
) -> None:
    """Create the data folder and database (or migrate it to the latest schema)."""
    from app.loader import ensure_organisation, ensure_skills
    from tools.records.migrate import upgrade
    from tools.records.session import make_engine

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with engine.begin() as conn:
        skills = ensure_skills(conn)
    ensure_organisation(engine, DEMO_ORG, "Demo Organisation")
    console.print(f"Database ready at [bold]{settings.db_url}[/bold] ({len(skills):,} skills in the vocabulary).")
    if demo:
        from app.auth import ensure_demo_login

        ensure_demo_login(engine, settings.demo_password, org_slug=DEMO_ORG, email=DEMO_EMAIL)
        console.print(f"Demo recruiter [bold]{DEMO_EMAIL}[/bold] signs in with the password in HIRE_DEMO_PASSWORD "
                      "(default: demo-recruiter).")
        _load_demo(engine, settings)


def _load_demo(engine: Engine, settings: Settings) -> None:
    from tools.records.models import Profile

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
    _embed(engine, settings)
    _sparse_keyword(engine, settings, rebuild=False)


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
    console.print("Keyword search covers them now; run `hire index` to embed them for semantic search.")


def _import(engine: Engine, paths: list[Path], org: str, settings: Settings, added: list[int] | None = None) -> int:
    from app.importer import expand_paths, import_file
    from app.loader import ensure_organisation
    from tools.taxonomy import load

    org_id = ensure_organisation(engine, org)
    files = list(expand_paths(paths))
    table = Table("file", "imported", "duplicates", "with skills", "with experience", "skipped", title="Import")
    failures = 0
    skipped_rows: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    with _progress() as bar:
        task = bar.add_task("Importing resumes", total=len(files))
        for path in files:
            report = import_file(engine, path, org_id, int(settings.max_upload_mb * 1024 * 1024), load())
            failures += not report.ok or (report.imported == 0 and bool(report.skipped))
            skipped_rows += report.skipped
            if added is not None:
                added += report.profile_ids
            warnings += report.warnings
            if report.error:
                skipped_rows.append((path.name, report.error))
            table.add_row(path.name, str(report.imported), str(report.duplicates), str(report.with_skills),
                          str(report.with_experience), str(len(report.skipped)))
            bar.advance(task)
    console.print(table)
    for source, reason in skipped_rows:
        console.print(f"[yellow]skipped[/yellow] {source}: {reason}")
    for source, note in warnings:
        console.print(f"[red]warning[/red] {source}: {note}")
    return failures


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Resume files (.csv, .txt, .pdf, .docx, .html) or folders.")],
    org: Annotated[str, typer.Option(help="Organisation (slug) that receives the applicants.")] = DEMO_ORG,
    project: Annotated[int | None, typer.Option(help="They applied to this project: each is evaluated against it "
                                                "in the background, without a chat turn.")] = None,
) -> None:
    """Import resumes as applicants of an organisation; bad files are reported and skipped."""
    from app.run_command import applicants_arrived

    settings = get_settings()
    engine = _engine(settings)
    added: list[int] = []
    failures = _import(engine, paths, org, settings, added)
    _embed(engine, settings)  # imported resumes are searchable semantically straight away
    if project is not None:
        applicants_arrived(settings, engine, _org_id(engine, org), project, added)
    if failures:
        raise typer.Exit(1)


@app.command()
def stats() -> None:
    """Counts of what the system of record holds, and the top occupations and locations."""
    from tools.records import models as m
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


def _embed(engine: Engine, settings: Settings, mode: str = "auto") -> None:
    from app.services import embedder, vector_store
    from tools.search.indexer import embed_pending, pending_count

    pending = pending_count(engine)
    if not pending:
        console.print("Vector index is up to date.")
        return
    store = vector_store(settings, engine)
    emb = embedder(settings.embedding_model_path)
    with _progress() as bar:
        task = bar.add_task(f"Embedding profiles ({mode})", total=pending)
        stats = embed_pending(engine, store, emb, mode=mode, progress=lambda k: bar.advance(task, k))  # type: ignore[arg-type]
    if hasattr(store, "build_ann") and len(store) >= 50_000:  # below that, exact search is fast enough
        store.build_ann()
    if hasattr(emb, "save_cache"):
        emb.save_cache()
    console.print(f"Embedded {stats.embedded:,} profiles ({stats.full:,} full text, {stats.composed:,} composed "
                  f"from phrases) in {stats.seconds:.1f} s ({stats.embedded / max(stats.seconds, 1e-9):,.0f}/s).")


@app.command()
def index(
    rebuild: Annotated[bool, typer.Option(help="Drop and rebuild the keyword and vector indexes.")] = False,
    mode: Annotated[str, typer.Option(help="auto (full text for resumes, composed phrases for generated "
                                      "profiles), full, or composed.")] = "auto",
) -> None:
    """Bring the search indexes up to date (embedding runs in resumable batches)."""
    if mode not in ("auto", "full", "composed"):
        err.print(f"[red]--mode must be auto, full or composed, not {mode!r}.[/red]")
        raise typer.Exit(2)
    settings = get_settings()
    engine = _engine(settings)
    if rebuild:
        _rebuild_keyword(engine)
        from app.services import reset_vector_store
        from tools.search.indexer import reset_vector_state

        reset_vector_store(settings, engine)
        reset_vector_state(engine)
    _embed(engine, settings, mode)
    _sparse_keyword(engine, settings, rebuild)


def _sparse_keyword(engine: Engine, settings: Settings, rebuild: bool) -> None:
    """Embedded backend: (re)build the sparse BM25 segment when asked, when there is none, or when the profiles
    changed since the last build are more than the delta should carry."""
    from app.services import keyword_store
    from tools.records.models import Profile

    store = keyword_store(settings, engine)
    if store is None:
        return
    with engine.connect() as conn:
        state = store.pending(conn)
        needed = rebuild or store.needs_rebuild(conn)
        total = int(conn.execute(select(func.count()).select_from(Profile)).scalar() or 0)
    if not needed:
        size, changed = state or (0, 0)
        console.print(f"Keyword index is up to date ({size:,} profiles; {changed:,} changed since, searched "
                      "beside them).")
        return
    try:
        with _progress() as bar:
            task = bar.add_task("Building the keyword index", total=total)
            stats = store.build(engine, progress=lambda k: bar.advance(task, k))
    except OSError as exc:
        err.print(f"[red]Could not write the keyword index under {store.folder}: {exc}. Nothing is lost: searches "
                  "keep using the previous index (or SQLite FTS5); free some space and run `hire index` again.[/red]")
        raise typer.Exit(1) from exc
    console.print(f"Keyword index: {stats.profiles:,} profiles in {stats.seconds:.1f} s "
                  f"({stats.bytes / 2**20:,.0f} MiB).")


def _rebuild_keyword(engine: Engine) -> None:
    from tools.records.models import Profile
    from tools.search.documents import docs_from_db
    from tools.search.keyword import keyword_index_for

    with engine.connect() as conn:
        ids = list(conn.scalars(select(Profile.id).order_by(Profile.id)))
    with _progress() as bar, engine.begin() as conn:
        task = bar.add_task("Rebuilding the keyword index", total=len(ids))
        index = keyword_index_for(conn)
        index.clear(conn)
        for i in range(0, len(ids), 2000):
            docs = docs_from_db(conn, ids[i:i + 2000])
            index.upsert(conn, sorted(docs.items()))
            bar.advance(task, len(docs))


def _facet_options(country: list[str] | None, years: str | None, seniority: list[str] | None,
                   open_to_work: bool | None, updated_since: str | None, pool: str | None) -> Facets:
    from tools.search.types import Facets

    low = high = None
    if years:
        text_ = years.strip()
        try:
            if text_.endswith("+"):
                low = float(text_[:-1])
            elif "-" in text_:
                a, b = text_.split("-", 1)
                low, high = float(a), float(b)
            else:
                low = high = float(text_)
        except ValueError as exc:
            raise typer.BadParameter(f"--years takes 5, 5+ or 5-10, not {years!r}") from exc
    import datetime as dt

    try:
        since = dt.date.fromisoformat(updated_since) if updated_since else None
    except ValueError as exc:
        raise typer.BadParameter(f"--updated-since takes a date like 2025-01-31, not {updated_since!r}") from exc
    given: dict[str, Any] = {"country": country, "years_min": low, "years_max": high, "seniority": seniority,
                             "open_to_work": open_to_work, "updated_since": since, "pool": pool}
    # only what was given: facets written in the query itself stay in force for the rest
    return Facets(**{k: v for k, v in given.items() if v is not None})


CountryOpt = Annotated[list[str] | None, typer.Option("--country", help="ISO country code (repeatable).")]
YearsOpt = Annotated[str | None, typer.Option(help="Years of experience: 5, 5+ or 5-10.")]
SeniorityOpt = Annotated[list[str] | None, typer.Option("--seniority", help="junior, mid, senior, lead, ... "
                                                        "(repeatable).")]
OpenOpt = Annotated[bool | None, typer.Option("--open-to-work/--any-availability", help="Only open to work.")]
UpdatedOpt = Annotated[str | None, typer.Option(help="Profiles updated since this date (YYYY-MM-DD).")]
PoolOpt = Annotated[str | None, typer.Option(help="all, network or applicants (default all).")]
OrgOpt = Annotated[str, typer.Option(help="Organisation (slug) searching: sees its applicants and the network.")]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Boolean query, e.g. '(Kubernetes OR k8s) AND title:engineer'.")],
    country: CountryOpt = None, years: YearsOpt = None, seniority: SeniorityOpt = None, open_to_work: OpenOpt = None,
    updated_since: UpdatedOpt = None, pool: PoolOpt = None, org: OrgOpt = DEMO_ORG,
    mode: Annotated[str, typer.Option(help="hybrid, keyword or semantic.")] = "hybrid",
    keyword_weight: Annotated[float, typer.Option(min=0, max=1, help="Weight of keyword ranks in fusion.")] = 0.5,
    semantic: Annotated[str | None, typer.Option(help="Text for semantic matching (default: the query).")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=100)] = 10,
) -> None:
    """Search the talent pool and print ranked hits with why each matched."""
    from pydantic import ValidationError

    from app.services import talent_search
    from tools.search.types import Mode, SearchError, SearchRequest

    settings = get_settings()
    engine = _engine(settings)
    try:
        request = SearchRequest(query=query, semantic_text=semantic,
                                mode=cast(Mode, mode),  # a free string: SearchRequest validates it
                                keyword_weight=keyword_weight,
                                page=page, page_size=page_size,
                                facets=_facet_options(country, years, seniority, open_to_work, updated_since, pool))
        result = talent_search(settings).search(request, organisation_id=_org_id(engine, org))
    except (SearchError, ValidationError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    total = "?" if result.total is None else f"{result.total:,}"
    table = Table("#", "name", "title", "location", "yrs", "kw", "sem", "matched",
                  title=f"{total} matching · page {result.page} · {result.fusion}")
    for hit in result.hits:
        matched = ", ".join(dict.fromkeys(f"{m.term} ({m.field})" for m in hit.matched))
        table.add_row(str(hit.rank), hit.full_name or "—", hit.current_title or hit.headline[:40],
                      (hit.location or "")[:32], "" if hit.years_experience is None else f"{hit.years_experience:g}",
                      str(hit.keyword_rank or ""), str(hit.semantic_rank or ""), matched[:60])
    console.print(table)
    if result.normalized_query:
        console.print(f"[dim]query: {result.normalized_query}[/dim]")
    console.print(f"[dim]{', '.join(f'{k} {v:.0f} ms' for k, v in result.timings_ms.items())}[/dim]")


@app.command()
def show(
    profile_id: Annotated[int, typer.Argument(help="Profile id (from `hire search`).")],
    query: Annotated[str, typer.Option(help="Highlight this query's matched terms in the text.")] = "",
    org: OrgOpt = DEMO_ORG,
) -> None:
    """Open a profile, with the terms a query matched highlighted, and what was withheld from it on import."""
    from rich.text import Text

    from tools.records.models import Profile
    from tools.records.session import org_session
    from tools.search.query import highlight_spans, parse
    from tools.search.types import SearchError

    settings = get_settings()
    engine = _engine(settings)
    with org_session(engine, _org_id(engine, org)) as session:
        profile = session.get(Profile, profile_id)
        if profile is None:  # unknown, or another organisation's applicant: the same answer
            err.print(f"[red]No profile {profile_id} visible to {org!r}.[/red]")
            raise typer.Exit(2)
        body = Text(profile.raw_text)
        if query:
            try:
                spans = highlight_spans(parse(query), profile.raw_text)
            except SearchError as exc:
                err.print(f"[red]{exc}[/red]")
                raise typer.Exit(2) from exc
            for start, end in spans:
                body.stylize("bold black on yellow", start, end)
        console.print(f"[bold]{profile.full_name or 'Unnamed'}[/bold] · {profile.kind} · {profile.location or ''}")
        console.print(body)
        for w in profile.withheld or []:  # kept out of the text on import: never parsed, never matched
            console.print(Text.assemble(("Withheld on import, not read: ", "bold red"), f"{w['label']}: {w['text']}"))


@app.command()
def insights(
    query: Annotated[str, typer.Argument(help="Boolean query for the pool (facets as options).")],
    country: CountryOpt = None, years: YearsOpt = None, seniority: SeniorityOpt = None, open_to_work: OpenOpt = None,
    pool: PoolOpt = None, org: OrgOpt = DEMO_ORG,
) -> None:
    """Talent insights for a query: pool size, where they are, titles, skills, salary band, supply."""
    from pydantic import ValidationError

    from app.services import talent_search
    from tools.insights import talent_insights
    from tools.search.query import parse
    from tools.search.types import SearchError

    settings = get_settings()
    engine = _engine(settings)
    org_id = _org_id(engine, org)
    try:
        parsed = parse(query)
        facets = parsed.facets.merged(_facet_options(country, years, seniority, open_to_work, None, pool))
    except (SearchError, ValidationError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    ids = talent_search(settings).matching_ids(parsed, facets, org_id)
    ins = talent_insights(engine, ids, organisation_id=org_id)
    console.print(f"[bold]{ins.size:,}[/bold] profiles · open to work {ins.open_to_work_share:.0%} · "
                  f"median {ins.median_years if ins.median_years is not None else '—'} years")
    for name, rows in (("Locations", ins.top_locations), ("Titles", ins.top_titles), ("Skills", ins.top_skills),
                       ("Companies", ins.top_companies), ("Schools", ins.top_schools)):
        table = Table(name, "profiles", "share", title=name)
        for c in rows:
            table.add_row(c.label, f"{c.count:,}", f"{c.share:.0%}")
        console.print(table)
    years_table = Table("years", "profiles", title="Years of experience")
    for b in ins.years:
        years_table.add_row(b.label, f"{b.count:,}")
    console.print(years_table)
    if ins.salary:
        salary = Table("occupation", "area", "p10", "p25", "median", "p75", "p90", title="Salary band (BLS OEWS)")
        for band in ins.salary:
            salary.add_row(band.occupation, band.area,
                           *[f"${v:,}" if v else "—" for v in (band.p10, band.p25, band.median, band.p75, band.p90)])
        console.print(salary)
    for sup in ins.supply:
        console.print(f"Supply: {sup.pool_size:,} in the pool against {sup.bls_employment or 0:,} employed as "
                      f"{sup.occupation} in {sup.area}")
    if ins.widen:
        widen = Table("widen with", "kind", "extra profiles", title="Adjacent titles and skills")
        for w in ins.widen:
            widen.add_row(w.label, w.kind, f"{w.extra_profiles:,}")
        console.print(widen)


app.add_typer(user_app, name="user")
app.add_typer(run_app, name="run")
app.command()(worker)
app.command()(notifications)
app.command()(agent)


@app.command("ui-secret")
def ui_secret() -> None:
    """Print the secret that signs browser sessions (for CHAINLIT_AUTH_SECRET); made once if not configured."""
    from app.auth import session_secret

    typer.echo(session_secret(get_settings()))


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


def _agent_setup(settings: Settings) -> tuple[int, int]:
    from tools.records.store import ensure_demo_recruiter

    engine = _engine(settings)
    return ensure_demo_recruiter(engine)


@app.command()
def demo(
    request: Annotated[str, typer.Argument(help="The role in plain words, e.g. 'Senior backend engineer in Berlin, "
                                                "Go and Kubernetes, 5+ years'.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Approve the qualifications and skip calibration.")] = False,
    top_k: Annotated[int | None, typer.Option(min=1, max=200, help="Candidates judged per qualification.")] = None,
    show: Annotated[int, typer.Option(min=1, help="Shortlist rows to print.")] = 10,
    thread: Annotated[str | None, typer.Option(help="Thread id to continue (default: a new one).")] = None,
) -> None:
    """Run the whole flow on one role: plan, intake and approval, sourcing, evaluation, shortlist with evidence."""
    import asyncio

    from app.agent import AgentRuntime
    from app.terminal import Terminal, new_thread, print_shortlist

    settings = get_settings()
    org_id, recruiter_id = _agent_setup(settings)

    async def run() -> tuple[Terminal, dict]:
        async with AgentRuntime(settings) as rt:
            overrides = {"top_k": top_k} if top_k else {}
            if yes:
                overrides["calibration_size"] = 0
            term = Terminal(rt, rt.context(org_id, recruiter_id, **overrides), thread or new_thread(), yes=yes)
            console.print(f"[dim]Thread {term.thread_id}; brain: {rt.services.brain.describe()}[/dim]")
            await term.turn(request)
            return term, await rt.values(term.thread_id)

    started = time.perf_counter()
    term, values = asyncio.run(run())
    print_shortlist(values.get("shortlist") or [], limit=show)
    took = time.perf_counter() - started
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in term.timings.items())
    console.print(f"\n[dim]Done in {took:.1f} s ({steps}). Continue with: hire chat --thread {term.thread_id}[/dim]")
    if term.errors:
        raise typer.Exit(1)


@app.command()
def chat(
    thread: Annotated[str, typer.Option(help="Thread id: the same id continues the same conversation.")] = "chat",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Approve qualifications without asking.")] = False,
) -> None:
    """A conversation with the assistant in the terminal; the thread persists between runs."""
    import asyncio

    from app.agent import AgentRuntime
    from app.runtime.intents import wants_background_run
    from app.terminal import Terminal, print_shortlist

    settings = get_settings()
    org_id, recruiter_id = _agent_setup(settings)

    async def run() -> None:
        async with AgentRuntime(settings) as rt:
            term = Terminal(rt, rt.context(org_id, recruiter_id), thread, yes=yes)
            console.print(f"Thread [bold]{thread}[/bold]. Type a request; /shortlist, /retry, /quit.")
            pending = await rt.pending(thread)
            if pending:
                console.print("This thread was waiting for you:")
                await term.resume_pending(pending)
            while True:
                try:
                    text = console.input("[bold green]you>[/bold green] ").strip()
                except (EOFError, KeyboardInterrupt):
                    return
                if text in ("/quit", "/exit"):
                    return
                if text == "/shortlist":
                    print_shortlist((await rt.values(thread)).get("shortlist") or [])
                elif text == "/retry":
                    await term._drain(rt.retry(thread, term.ctx))
                elif wants_background_run(text):
                    await term.start_background_run()
                elif text:
                    await term.turn(text)

    asyncio.run(run())


app.command(name="eval")(run_eval)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
