"""What the agent can look up and do in the recruiter's systems, as plain typed functions.

Each function takes the run's context first (:class:`RunContext`: the organisation, the recruiter, the project
and the services, as ``graphs.context.Context`` carries them) and returns a Pydantic model. The organisation,
recruiter and project are never arguments: every read goes through the organisation's scope (an
organisation-scoped session, the organisation's project store, an organisation-filtered search), so another
organisation's applicant or project is simply not found. The LangChain tools in :mod:`tools.lc_tools` wrap
these functions for the model; the classical brain calls them directly.

Errors a caller can act on are raised as :class:`~tools.records.store.NotFound` (no such profile or project in
the organisation), :class:`~tools.search.types.SearchError` (a query that cannot run) or ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from tools.insights import TalentInsights, talent_insights
from tools.records.models import Profile, ProfileSkill, Skill
from tools.records.session import org_scope
from tools.records.store import NotFound, ProjectStore
from tools.search.engine import Searcher
from tools.search.query import parse
from tools.search.types import Facets, SearchPage, SearchRequest

CandidateAction = Literal["shortlist", "hide", "reject"]


# ---- what the tools read of the run ----------------------------------------------------------------------


class RunServices(Protocol):
    """The live services of a run (``graphs.context.Services``)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def talent_search(self) -> Searcher: ...

    def store(self, organisation_id: int) -> ProjectStore: ...


@runtime_checkable
class RunContext(Protocol):
    """Who is asking, for which project, with which services (``graphs.context.Context``)."""

    @property
    def organisation_id(self) -> int: ...

    @property
    def recruiter_id(self) -> int: ...

    @property
    def project_id(self) -> int | None: ...

    @property
    def services(self) -> RunServices | None: ...


def _services(ctx: RunContext) -> RunServices:
    if ctx.services is None:
        raise RuntimeError("the run context carries no services")
    return ctx.services


def _project_id(ctx: RunContext) -> int:
    if ctx.project_id is None:
        raise NotFound("this conversation has no hiring project yet: describe a role first")
    return ctx.project_id


# ---- answers ---------------------------------------------------------------------------------------------


class ProfileCard(BaseModel):
    """One candidate as the recruiter's organisation sees them."""

    profile_id: int
    name: str | None
    headline: str = ""
    title: str | None = Field(default=None, description="Current job title.")
    company: str | None = Field(default=None, description="Current employer.")
    location: str | None = None
    country: str | None = None
    years_experience: float | None = None
    seniority: str | None = None
    skills: list[str] = Field(default_factory=list)
    open_to_work: bool = False
    kind: str = Field(description="member: a network profile; applicant: applied to the organisation.")


class QualificationCheck(BaseModel):
    """A shortlisted candidate's verdict on one qualification."""

    qualification: str
    kind: str = Field(description="must or nice")
    verdict: str = Field(description="meets, partly, does_not or no_evidence")
    reason: str = ""


class ShortlistEntry(BaseModel):
    rank: int | None
    profile_id: int
    name: str | None
    title: str | None
    location: str | None
    score: float | None
    recommendation: str | None
    musts_met: int
    musts_total: int
    open_to_work: bool
    verdicts: list[QualificationCheck] = Field(default_factory=list)


class Pipeline(BaseModel):
    """The project's ranked shortlist, best first."""

    project_id: int
    project_title: str
    entries: list[ShortlistEntry]
    open_to_work: int = Field(description="How many of the listed entries are open to work.")


class ActionRecord(BaseModel):
    """A recruiter action on a candidate, as recorded."""

    action_id: int
    action: CandidateAction
    profile_id: int
    name: str | None
    project_id: int


# ---- the functions ---------------------------------------------------------------------------------------


def search_talent(ctx: RunContext, request: SearchRequest) -> SearchPage:
    """Ranked profiles for a boolean query and facets, among the profiles the organisation may see."""
    return _services(ctx).talent_search.search(request, organisation_id=ctx.organisation_id)


def pool_insights(ctx: RunContext, query: str, facets: Facets | None = None) -> TalentInsights:
    """The talent pool a boolean query and facets describe: size, locations, titles, skills, salary band."""
    services = _services(ctx)
    parsed = parse(query)
    merged = parsed.facets.merged(facets) if facets is not None else parsed.facets
    ids = services.talent_search.matching_ids(parsed, merged, ctx.organisation_id)
    return talent_insights(services.engine, ids, organisation_id=ctx.organisation_id)


def profile_cards(ctx: RunContext, profile_ids: Sequence[int]) -> list[ProfileCard]:
    """Cards of the profiles visible to the organisation, in the order asked; raises NotFound for any other."""
    wanted = list(dict.fromkeys(int(i) for i in profile_ids))
    with org_scope(_services(ctx).engine, ctx.organisation_id) as session:
        profiles = {p.id: p for p in session.scalars(select(Profile).where(Profile.id.in_(wanted)))}
        missing = [pid for pid in wanted if pid not in profiles]
        if missing:
            raise NotFound(f"no profile {', '.join(map(str, missing))} in this organisation's talent pool")
        skills: dict[int, list[str]] = {}
        rows = session.execute(select(ProfileSkill.profile_id, Skill.name)
                               .join(Skill, Skill.id == ProfileSkill.skill_id)
                               .where(ProfileSkill.profile_id.in_(wanted)).order_by(Skill.name))
        for pid, name in rows:
            skills.setdefault(pid, []).append(name)
        return [ProfileCard(
            profile_id=p.id, name=p.full_name, headline=p.headline or "", title=p.current_title,
            company=p.current_company, location=p.location, country=p.country, years_experience=p.years_experience,
            seniority=p.seniority, skills=skills.get(p.id, []), open_to_work=bool(p.open_to_work), kind=p.kind,
        ) for p in (profiles[pid] for pid in wanted)]


def profile_card(ctx: RunContext, profile_id: int) -> ProfileCard:
    """One candidate's card; raises NotFound when the organisation cannot see the profile."""
    return profile_cards(ctx, [profile_id])[0]


def pipeline(ctx: RunContext, limit: int = 20) -> Pipeline:
    """The project's shortlist with ranks, scores, recommendations, verdicts and who is open to work."""
    services = _services(ctx)
    project_id = _project_id(ctx)
    store = services.store(ctx.organisation_id)
    project = store.get_project(project_id)
    if project is None:
        raise NotFound(f"project {project_id} not found")
    rows = store.shortlist(project_id, limit=max(1, min(limit, 100)))
    ids = [row["profile_id"] for row in rows]
    with org_scope(services.engine, ctx.organisation_id) as session:
        open_ids = set(session.scalars(select(Profile.id).where(Profile.id.in_(ids), Profile.open_to_work.is_(True))))
    entries = [ShortlistEntry(
        rank=row["rank"], profile_id=row["profile_id"], name=row["name"], title=row["title"],
        location=row["location"], score=row["score"], recommendation=row["recommendation"],
        musts_met=row["musts_met"], musts_total=row["musts_total"], open_to_work=row["profile_id"] in open_ids,
        verdicts=[QualificationCheck(qualification=v["text"], kind=v["kind"], verdict=v["verdict"],
                                     reason=v["reason"] or "") for v in row["verdicts"]],
    ) for row in rows]
    return Pipeline(project_id=project_id, project_title=project["title"], entries=entries,
                    open_to_work=sum(e.open_to_work for e in entries))


def act_on_candidate(ctx: RunContext, profile_id: int, action: CandidateAction,
                     reason: str | None = None) -> ActionRecord:
    """Shortlist, hide or reject a candidate in the project, recorded as the run's recruiter's action."""
    if action not in ("shortlist", "hide", "reject"):
        raise ValueError(f"unknown action {action!r}: use shortlist, hide or reject")
    project_id = _project_id(ctx)
    card = profile_card(ctx, profile_id)
    payload = {"via": "assistant", **({"reason": reason} if reason else {})}
    action_id = _services(ctx).store(ctx.organisation_id).record_action(ctx.recruiter_id, project_id, profile_id,
                                                                        action, payload)
    return ActionRecord(action_id=action_id, action=action, profile_id=profile_id, name=card.name,
                        project_id=project_id)
