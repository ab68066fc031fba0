"""The talent-pool generator: reproducible, and distributed like the BLS figures it is drawn from."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import pytest

from tools.generator import INTERNATIONAL_SHARE, generate, generate_chunk, talent_model
from tools.taxonomy import load

N = 20_000
# Tolerance: every checked share must lie within 4.5 binomial standard deviations of its BLS share.
# With 10-20 checks per test, a correct generator fails this by chance with probability below 1e-4.
Z_MAX = 4.5


@pytest.fixture(scope="module")
def pool():
    return list(generate(N, seed=11))


def _z(observed: int, n: int, p: float) -> float:
    return (observed / n - p) / math.sqrt(p * (1 - p) / n)


def test_same_seed_same_rows_different_seed_different_rows() -> None:
    a = [p.as_dict() for p in generate(1500, seed=5)]
    b = [p.as_dict() for p in generate(1500, seed=5)]
    c = [p.as_dict() for p in generate(1500, seed=6)]
    assert a == b
    assert sum(x["raw_text"] == y["raw_text"] for x, y in zip(a, c, strict=True)) == 0
    # a chunk generated on its own equals the same rows inside the whole pool (what worker processes rely on)
    assert [p.as_dict() for p in generate_chunk(5, 1, 500)] == a[1000:1500]


def test_occupations_follow_bls_national_employment(pool) -> None:
    taxonomy = load()
    socs = {o.code[:7] for o in talent_model().occupations}
    employment = {soc: taxonomy.bls_national[soc]["employment"] for soc in socs}
    total = sum(employment.values())
    observed = Counter(p.occupation_code[:7] for p in pool)
    top = sorted(employment, key=employment.get, reverse=True)[:15]
    for soc in top:
        assert abs(_z(observed[soc], N, employment[soc] / total)) < Z_MAX, (soc, observed[soc])
    # the generator covers most of US employment, not a niche of it
    us_total = sum(v["employment"] or 0 for v in taxonomy.bls_national.values())
    assert total / us_total > 0.75


def test_us_metros_follow_bls_metro_employment(pool) -> None:
    taxonomy = load()
    socs = {o.code[:7] for o in talent_model().occupations}
    national = {soc: taxonomy.bls_national[soc]["employment"] for soc in socs}
    total = sum(national.values())
    expected: dict[str, float] = defaultdict(float)
    for soc, emp in national.items():
        rows = taxonomy.metro_employment.get(soc, [])
        metro_total = sum(r[1] for r in rows)
        for area, metro_emp, _median in rows:
            expected[area] += emp / total * metro_emp / metro_total
    us = [p for p in pool if p.country == "US"]
    assert abs(_z(len(us), N, 1 - INTERNATIONAL_SHARE)) < Z_MAX
    observed = Counter(p.metro_code for p in us)
    top = sorted(expected, key=expected.get, reverse=True)[:10]
    for area in top:
        assert abs(_z(observed[area], len(us), expected[area])) < Z_MAX, taxonomy.metros[area]
    assert observed.most_common(1)[0][0] == top[0]  # New York first, as in the BLS data


def test_profiles_are_coherent_and_carry_ground_truth(pool) -> None:
    taxonomy = load()
    for p in pool[:2000]:
        truth = p.ground_truth
        assert truth["occupation_code"] == p.occupation_code and truth["years"] == p.years_experience
        assert 0 <= p.years_experience <= 40
        assert p.experiences and p.experiences[0].title == p.current_title
        for newer, older in zip(p.experiences, p.experiences[1:], strict=False):
            assert older.start_date <= newer.start_date
            assert older.end_date is not None and older.end_date <= newer.start_date
        assert p.full_name and p.full_name in p.raw_text
        assert len(set(truth["skills"])) == len(truth["skills"]) >= 5
    # the stated skills can be found in the text again (some written as aliases such as k8s or Postgres)
    recovered = [len(set(taxonomy.skill_set(p.raw_text)) & set(p.ground_truth["skills"]))
                 / len(p.ground_truth["skills"]) for p in pool[:1000]]
    assert sum(recovered) / len(recovered) > 0.99


def test_names_come_from_several_locales_and_scripts(pool) -> None:
    names = [p.full_name for p in pool]
    assert any(any("\u3040" <= ch <= "\u9fff" for ch in n) for n in names)  # CJK
    assert any(any("\uac00" <= ch <= "\ud7af" for ch in n) for n in names)  # Hangul
    assert any(any(ch in "äöüéñçø" for ch in n) for n in names)
    assert Counter(p.country for p in pool)["DE"] > 50


def test_occupation_filter_and_seniority_follow_years() -> None:
    tech = list(generate(2000, seed=1, occupations=("15-",)))
    assert all(p.occupation_code.startswith("15-") for p in tech)
    juniors = [p for p in tech if p.years_experience < 2]
    seniors = [p for p in tech if p.years_experience >= 10]
    assert juniors and seniors
    assert all(p.seniority == "junior" for p in juniors)
    assert all(p.seniority == "lead" for p in seniors)
    with pytest.raises(ValueError, match="no occupation"):
        list(generate(10, seed=1, occupations=("99-",)))
