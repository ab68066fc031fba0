"""The look-up agent: open questions about candidates, the shortlist and the talent pool, answered with tools.

"Find someone like candidate 12 but in Austin", "how many of the shortlist are open to work?", "reject
candidate 7". With a language model (the planner's, else the writer's) the node runs a bounded tool loop: the
model, bound to :data:`tools.lc_tools.TOOLS`, asks for tool calls, :func:`tools.lc_tools.run_tool_calls` runs
them with the run's context, and their answers go back fenced as data, for at most :data:`MAX_TOOL_ROUNDS`
rounds; then the model answers the recruiter in prose. With the classical brain the node calls the same plain
functions (:mod:`tools.agent_tools`) by simple rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langgraph.config import get_config
from langgraph.runtime import Runtime

from graphs import llm
from graphs.common import off_loop, progress, say
from graphs.context import Context, context, services
from graphs.llm import ModelOutputError, model_base_url, neutralise
from graphs.prompts import lookup as prompts
from graphs.state import StepResult, SupervisorState
from tools import agent_tools
from tools.agent_tools import CandidateAction, RunContext
from tools.lc_tools import TOOLS, run_tool_calls
from tools.pool_query import place_filter
from tools.records.store import NotFound
from tools.requirements import extract_requirements
from tools.search.types import Facets, SearchError, SearchPage, SearchRequest
from tools.taxonomy import drop_plural, strip_seniority

MAX_TOOL_ROUNDS = 6  # model turns that may call tools before it must answer

_ID = re.compile(r"\b(?:candidate|profile|applicant)s?\s+(?:#|no\.?\s*|number\s+)?(\d+)\b|#(\d+)\b", re.I)
_ACTION = re.compile(r"\b(shortlist|hide|reject)\b", re.I)
_SIMILAR = re.compile(r"\b(like|similar|resembl\w*)\b", re.I)
_OPEN_TO_WORK = re.compile(r"\bopen[- ]to[- ]work\b", re.I)
_STOPWORDS = frozenset("""a an and any are as at be but by can do find for from get has have i in is it like me
my of on or our people person show someone the their them there to who with""".split())
_ACTIONS: dict[str, CandidateAction] = {"shortlist": "shortlist", "hide": "hide", "reject": "reject"}
_DONE = {"shortlist": "Shortlisted", "hide": "Hid", "reject": "Rejected"}


# ---- the language model's loop ---------------------------------------------------------------------------


async def _ask(runnable: Runnable[Any, Any], model: BaseChatModel, messages: Sequence[BaseMessage],
               role: str) -> AIMessage:
    reply = await llm.call(runnable, model, messages, role)
    return reply if isinstance(reply, AIMessage) else AIMessage(content=str(reply))


def _fenced(answer: ToolMessage) -> ToolMessage:
    """The tool's answer as the model reads it: inside <tool_result>, prompt tags in it defused."""
    name = re.sub(r"[^\w.-]", "_", answer.name or "")  # a name the model invented stays inside the attribute
    content = prompts.LOOKUP_TOOL_RESULT.format(tool=name, status=answer.status, content=neutralise(answer.text))
    return answer.model_copy(update={"content": content})


def _broken_calls(reply: AIMessage) -> list[ToolMessage]:
    """Answers to tool calls whose arguments did not parse, so every call the model made gets one."""
    return [ToolMessage(content=f"Error: the arguments of {bad.get('name')} are not valid JSON "
                                f"({bad.get('error') or 'unparsable'}). Call it again with a JSON object.",
                        name=bad.get("name") or "", tool_call_id=bad.get("id") or "", status="error")
            for bad in reply.invalid_tool_calls]


async def answer_with_tools(model: BaseChatModel, role: str, run: RunContext, request: str, project: str, *,
                            config: RunnableConfig | None = None, runtime: Runtime[Any] | None = None,
                            rounds: int = MAX_TOOL_ROUNDS) -> str:
    """The model's answer to ``request`` after at most ``rounds`` turns of tool calls run with ``run``.

    When the rounds are used up, the model answers with what the tools returned (tools listed, calls off).
    """
    bound = model.bind_tools(TOOLS)
    messages: list[BaseMessage] = [
        SystemMessage(content=prompts.LOOKUP_SYSTEM.format(budget=rounds)),
        HumanMessage(content=prompts.LOOKUP_USER.format(project=neutralise(project), request=neutralise(request))),
    ]
    for _round in range(rounds):
        reply = await _ask(bound, model, messages, role)
        messages.append(reply)
        if not reply.tool_calls and not reply.invalid_tool_calls:
            if reply.text.strip():
                return reply.text.strip()
            break  # an empty answer: ask for one below
        for call in reply.tool_calls:
            progress("lookup", f"Calling {call['name']}")
        answers = await run_tool_calls(reply.tool_calls, run, TOOLS, config=config, runtime=runtime)
        messages += [_fenced(a) for a in [*answers, *_broken_calls(reply)]]
    messages.append(HumanMessage(content=prompts.LOOKUP_FINAL))
    final = await _ask(model.bind_tools(TOOLS, tool_choice="none"), model, messages, role)
    if not final.text.strip():
        raise ModelOutputError(role, "the answer was empty", model_base_url(model))
    return final.text.strip()


# ---- the classical rules ---------------------------------------------------------------------------------


def _ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(a or b) for a, b in _ID.findall(text)))


def _card_line(card: agent_tools.ProfileCard) -> str:
    where = ", ".join(filter(None, [f"{card.title} at {card.company}" if card.title and card.company
                                    else card.title, card.location]))
    facts = [f"{card.years_experience:g} years" if card.years_experience is not None else "",
             "open to work" if card.open_to_work else "not open to work"]
    skills = f" Skills: {', '.join(card.skills[:12])}." if card.skills else ""
    return (f"{card.name or 'Unnamed'} (#{card.profile_id}): {where or 'no title'}; "
            f"{'; '.join(f for f in facts if f)}.{skills}")


def _hit_lines(page: SearchPage, skip: int | None = None, limit: int = 10) -> list[str]:
    hits = [h for h in page.hits if h.profile_id != skip][:limit]
    return [f"{i}. {h.full_name or 'Unnamed'} (#{h.profile_id}): "
            + ", ".join(filter(None, [h.current_title, h.location])) for i, h in enumerate(hits, 1)]


def _query(title: str | None, skills: Sequence[str], place_text: str) -> tuple[str, Facets, str | None]:
    """A boolean query for a title and skills, and the facets of the place named in ``place_text``."""
    parts: list[str] = []
    core = drop_plural(" ".join(strip_seniority(title.replace('"', " ").split())[0])) if title else ""
    if core:
        parts.append(f'title:"{core}"')
    names = [s.replace('"', " ").strip() for s in skills[:3] if s.strip()]
    if names:
        parts.append("(" + " OR ".join(f'skill:"{s}"' for s in names) + ")")
    req = extract_requirements(place_text)
    facets, clauses = place_filter(req)
    return " AND ".join(parts + clauses), facets, req.location


def _similar(run: RunContext, profile_id: int, request: str) -> str:
    card = agent_tools.profile_card(run, profile_id)
    query, facets, place = _query(card.title, card.skills, request)
    semantic = " ".join(filter(None, [card.title, card.headline, ", ".join(card.skills[:8])]))
    page = agent_tools.search_talent(run, SearchRequest(query=query, semantic_text=semantic or None,
                                                        facets=facets, page_size=11))
    lines = [_card_line(card)]
    found = _hit_lines(page, skip=card.profile_id)
    where = f" in {place}" if place else ""
    if found:
        lines.append(f"People like them{where} ({query or 'any profile'}):")
        lines += found
    else:
        lines.append(f"Nobody like them{where} matches {query or 'the search'}.")
    return "\n".join(lines)


def _act(run: RunContext, ids: list[int], action: CandidateAction) -> str:
    done = [agent_tools.act_on_candidate(run, pid, action) for pid in ids]
    return "\n".join(f"{_DONE[r.action]} {r.name or 'Unnamed'} (#{r.profile_id})." for r in done)


def _shortlist(run: RunContext, request: str) -> str:
    result = agent_tools.pipeline(run, limit=100)
    if not result.entries:
        return f"The shortlist of “{result.project_title}” is empty: evaluate the pool first."
    if _OPEN_TO_WORK.search(request):
        open_ = [e for e in result.entries if e.open_to_work]
        names = ", ".join(f"{e.name or 'Unnamed'} (#{e.profile_id})" for e in open_)
        verb = "is" if result.open_to_work == 1 else "are"
        return (f"{result.open_to_work} of the {len(result.entries)} shortlisted candidates {verb} open to work"
                + (f": {names}." if names else "."))
    lines = [f"The shortlist of “{result.project_title}”, best first:"]
    lines += [f"{e.rank}. {e.name or 'Unnamed'} (#{e.profile_id}): meets {e.musts_met} of {e.musts_total} "
              f"must-haves, {e.recommendation or 'not evaluated'}" for e in result.entries[:10]]
    return "\n".join(lines)


def _search(run: RunContext, request: str) -> str:
    req = extract_requirements(request)
    query, facets, place = _query(req.title, req.must_skills, request)
    if not query:
        words = [w for w in re.findall(r"[\w+#.-]+", request.lower()) if len(w) > 2 and w not in _STOPWORDS]
        query = " OR ".join(dict.fromkeys(words[:8]))
    page = agent_tools.search_talent(run, SearchRequest(query=query, semantic_text=request, facets=facets))
    found = _hit_lines(page)
    where = f" in {place}" if place else ""
    if not found:
        return f"Nobody{where} matches {query or 'the search'}."
    total = f"{page.total} people" if page.total is not None else "people"
    return "\n".join([f"Found {total}{where} for {query or 'everyone'}; the first {len(found)}:", *found])


def answer_by_rules(run: RunContext, request: str) -> tuple[str, bool]:
    """The classical answer and whether it answered: an id and shortlist / hide / reject → the action; an id
    and "like" → people like that candidate; an id → the card; open to work or the shortlist → the pipeline;
    anything else → a talent search with the request's words."""
    ids = _ids(request)
    action = _ACTION.search(request)
    try:
        if ids and action:
            return _act(run, ids, _ACTIONS[action.group(1).lower()]), True
        if ids and _SIMILAR.search(request):
            return _similar(run, ids[0], request), True
        if ids:
            return "\n".join(_card_line(c) for c in agent_tools.profile_cards(run, ids)), True
        if _OPEN_TO_WORK.search(request) or re.search(r"\b(shortlist|pipeline)\b", request, re.I):
            return _shortlist(run, request), True
        return _search(run, request), True
    except (NotFound, SearchError) as exc:
        text = str(exc)
        return f"I could not answer that: {text[:1].lower() + text[1:]}.", False


# ---- the node --------------------------------------------------------------------------------------------


def project_text(state: SupervisorState) -> str:
    """What the model is told about the project: its id, role, qualifications, pool and shortlist."""
    req = state.get("requirements")
    lines = [f"Project: #{state['project_id']}" if state.get("project_id") else "Project: none yet"]
    if req is not None and (req.title or req.location):
        lines.append(f"Role: {req.title or 'untitled'}" + (f", {req.location}" if req.location else ""))
    quals = (state.get("qualifications") or []) if state.get("approved") else []
    lines.append(f"Approved qualifications: {len(quals)}")
    lines += [f"  - [{q.kind}] {q.text}" for q in quals]
    lines.append(f"Candidate pool: {len(state.get('pool') or [])} people")
    rows = state.get("shortlist") or []
    lines.append("Shortlist: " + (", ".join(f"#{r.profile_id} {r.name}" for r in rows[:10]) if rows else "none"))
    return "\n".join(lines)


async def lookup(state: SupervisorState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    ctx = context(runtime)
    plan = state["plan"]
    assert plan is not None  # a step node only runs as a step of the plan
    step = plan.steps[state.get("step_index", 1) - 1]
    run = replace(ctx, services=svc, project_id=state.get("project_id") or ctx.project_id)
    request = state.get("request") or step.instruction
    model, role = (svc.brain.planner, "planner") if svc.brain.planner is not None else (svc.brain.writer, "writer")
    if model is None:
        progress("lookup", "Looking it up")
        text, ok = await off_loop(answer_by_rules, run, request)
    else:
        if step.instruction and step.instruction.strip() != request.strip():
            request = f"{request}\n\n(The planner's note for this step: {step.instruction})"
        text = await answer_with_tools(model, role, run, request, project_text(state), config=get_config(),
                                       runtime=runtime)
        ok = True
    result = StepResult(agent="lookup", ok=ok, summary=text.splitlines()[0][:300],
                        error=None if ok else text)
    return {"messages": [say(text, "lookup")], "last_result": result}
