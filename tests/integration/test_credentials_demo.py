"""`hire demo` end to end with the classical brain on a small seeded pool: licences and spoken languages become
qualifications and are judged with quotes that are verbatim in the stored profiles."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from tools.records import models as m

HIRE = [sys.executable, "-m", "app.cli"]
# A verdict line, then its quote lines: “quote” (profile start–end)
_VERDICT_RE = re.compile(r"^\s+(meets|partly|does not|no evidence)\s+(.+?) — (.+)$")
_QUOTE_RE = re.compile(r"^\s+“(.*)” \(profile (\d+)–(\d+)\)$")
_CANDIDATE_RE = re.compile(r"^\d+\. .+ \(#(\d+)\) — ")


def hire(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "HIRE_DATA_DIR": str(data_dir), "COLUMNS": "400", "HF_HUB_OFFLINE": "1"}
    env.pop("HIRE_DATABASE_URL", None)
    result = subprocess.run([*HIRE, *args], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, f"hire {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("credentials-pool")
    hire(data, "init")
    hire(data, "seed", "--profiles", "500", "--seed", "19", "--occupations", "53-3032,43-4051", "--workers", "1")
    hire(data, "index")
    return data


def verdicts(out: str) -> list[tuple[int, str, str, str, list[tuple[str, int, int]]]]:
    """(profile id, verdict, qualification, reason, quotes) of every verdict in the printed shortlist."""
    rows: list[tuple[int, str, str, str, list[tuple[str, int, int]]]] = []
    profile = 0
    for line in out.split("Shortlist", 1)[1].splitlines():
        if c := _CANDIDATE_RE.match(line):
            profile = int(c.group(1))
        elif v := _VERDICT_RE.match(line):
            rows.append((profile, v.group(1), v.group(2), v.group(3), []))
        elif (q := _QUOTE_RE.match(line)) and rows:
            rows[-1][4].append((q.group(1), int(q.group(2)), int(q.group(3))))
    return rows


def assert_verbatim(data: Path, rows: list) -> None:
    engine = create_engine(f"sqlite:///{data / 'hire.db'}")
    with engine.connect() as conn:
        texts = dict(conn.execute(select(m.Profile.id, m.Profile.raw_text)).all())
    for profile, _verdict, _qual, _reason, quotes in rows:
        for quote, start, end in quotes:
            assert " ".join(texts[profile][start:end].split()) == " ".join(quote.split())


def test_cdl_driver_demo(pool: Path) -> None:
    out = hire(pool, "demo", "-y", "--show", "25", "Regional CDL class A truck driver in Dallas, Texas, 2+ years, "
                                                      "hazmat endorsement a plus")
    assert "│ must │ Holds a CDL Class A licence" in out and "│ nice │ Holds a hazmat endorsement (H)" in out
    rows = verdicts(out)
    assert_verbatim(pool, rows)
    cdl = [r for r in rows if r[2] == "Holds a CDL Class A licence"]
    met = [r for r in cdl if r[1] == "meets"]
    assert met and all(r[3].startswith("Holds ") and r[4] and re.search(r"CDL|Class A", r[4][0][0]) for r in met)
    # the check tells drivers apart: Class A holders are a larger share of the shortlist than of the pool's drivers
    engine = create_engine(f"sqlite:///{pool / 'hire.db'}")
    with engine.connect() as conn:
        truths = [t for (t,) in conn.execute(select(m.Profile.ground_truth).where(
            m.Profile.occupation_code.like("53-3032%")))]
    holders = sum(1 for t in truths if "CDL Class A" in t["credentials"]) / len(truths)
    assert 0.5 < holders < 0.95
    assert len({r[0] for r in met}) / len({r[0] for r in cdl}) > holders
    hazmat = [r for r in rows if r[2] == "Holds a hazmat endorsement (H)"]
    assert any(r[1] == "meets" and re.search(r"(?i)haz", r[4][0][0]) for r in hazmat)
    assert not any("key words" in r[3] for r in cdl + hazmat)


def test_bilingual_customer_support_demo(pool: Path) -> None:
    out = hire(pool, "demo", "-y", "--show", "25",
               "Bilingual English/Spanish customer service representative in Houston, Texas, 1+ years")
    assert "│ must │ Fluent English" in out and "│ must │ Fluent Spanish" in out
    rows = verdicts(out)
    assert_verbatim(pool, rows)
    spanish = [r for r in rows if r[2] == "Fluent Spanish"]
    assert any(r[1] == "meets" and "Spanish" in r[4][0][0] for r in spanish)
    assert not any("English" in r[3] for r in spanish)
    english = [r for r in rows if r[2] == "Fluent English"]
    assert english and all(r[1] in ("meets", "partly") for r in english)
    assert not any("No mention of English" in r[3] for r in rows)


def test_keyword_search_finds_the_new_sections(pool: Path) -> None:
    found = hire(pool, "search", '"hazmat endorsement" OR "Class A CDL"', "--mode", "keyword", "--page-size", "5")
    assert "matching" in found and found.count("(text)") >= 5
    spanish = hire(pool, "search", "Spanish AND Houston", "--mode", "keyword")
    assert "Spanish (text)" in spanish and "matching" in spanish
