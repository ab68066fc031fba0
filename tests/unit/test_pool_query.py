"""The classical query for talent insights: the role and place a step asks about, or the project's."""

from __future__ import annotations

from tools.hiring import HiringRequirements
from tools.pool_query import PoolQuery, insights_query
from tools.search.query import parse
from tools.taxonomy import core_title

BERLIN = HiringRequirements(title="Senior Backend Developers", occupation_code="15-1254.00",
                            occupation="Web Developers", location="Berlin, Germany", country="DE",
                            must_skills=["Python", "Kubernetes"])


def test_the_projects_role_without_seniority_in_the_singular_with_its_skills_and_place() -> None:
    pool = insights_query("Describe the talent pool", None, BERLIN)
    assert pool.query == ('title:"back end developer" AND skill:"Python" AND skill:"Kubernetes" '
                          'AND location:"Berlin"')
    assert pool.facets.model_dump(exclude_unset=True) == {"country": ["DE"], "metro": None}
    assert pool.place == "Berlin, Germany"
    assert parse(pool.query).facets.model_dump(exclude_unset=True) == {}


def test_a_place_the_step_names_replaces_the_project() -> None:
    pool = insights_query("show me the talent pool in Austin", "Austin", BERLIN)
    # a US metro area is a facet, not a location term; the step named no role, so none is asked for
    assert pool.query == ""
    assert pool.facets.model_dump(exclude_unset=True) == {"country": ["US"], "metro": ["0012420"]}
    assert pool.place is not None and pool.place.startswith("Austin")


def test_a_role_the_step_names_replaces_the_project() -> None:
    pool = insights_query("how many registered nurses in Chicago", "Chicago", BERLIN)
    assert pool.query == 'title:"registered nurse"'
    assert pool.facets.metro == ["0016980"] and pool.place is not None and pool.place.startswith("Chicago")


def test_no_role_no_place_and_no_project_is_everyone() -> None:
    assert insights_query("show me the talent pool", None, None) == PoolQuery()


def test_the_title_is_made_singular_crudely_but_keeps_a_double_s() -> None:
    assert core_title("Senior backend developers", singular=True) == "back end developer"
    assert core_title("business analyst", singular=True) == "business analyst"
    assert core_title("process", singular=True) == "process"
    assert core_title("", singular=True) == ""
