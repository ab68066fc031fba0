"""The `hire` command as a user runs it: a real process, a fresh data folder, real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tools.records import models as m

HIRE = [sys.executable, "-m", "app.cli"]


def hire(data_dir: Path, *args: str, check: bool = True, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HIRE_DATA_DIR": str(data_dir), "COLUMNS": "200", "HF_HUB_OFFLINE": "1", **extra_env}
    if "HIRE_DATABASE_URL" not in extra_env:
        env.pop("HIRE_DATABASE_URL", None)
    result = subprocess.run([*HIRE, *args], capture_output=True, text=True, env=env, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"hire {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def _resumes(folder: Path) -> Path:
    folder.mkdir()
    (folder / "ana.txt").write_text(
        "Ana Souza\nSenior Backend Engineer\n\nSummary\nBackend engineer with 8 years of Go and Kubernetes.\n\n"
        "Experience\nSenior Backend Engineer, Nova Labs, Berlin\nJan 2019 - Present\nBuilt Go services on k8s.\n"
        "Backend Developer, Blue Systems\nMar 2016 - Dec 2018\nPython and PostgreSQL.\n\n"
        "Education\nBachelor of Science in Computer Science, Universidade de São Paulo, 2015\n\n"
        "Skills\nGo, Kubernetes, Python, PostgreSQL, Docker\n", encoding="utf-8")
    doc = Document()
    doc.add_paragraph("Maria Keller")
    doc.add_paragraph("Registered Nurse")
    doc.add_paragraph("Experience")
    doc.add_paragraph("Registered Nurse, City Hospital, 05/2015 to Current")
    doc.add_paragraph("Patient care, Epic charting, Microsoft Excel.")
    doc.add_paragraph("Skills")
    doc.add_paragraph("Patient care, Microsoft Excel")
    doc.save(folder / "maria.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.pdf").write_bytes(os.urandom(4096))
    (folder / "big.txt").write_text("x" * (2 * 1024 * 1024))
    return folder


def test_init_seed_import_stats(tmp_path: Path) -> None:
    data = tmp_path / "var"
    missing = hire(data, "stats", check=False)
    assert missing.returncode == 2 and "hire init" in missing.stderr.replace("\n", " ")

    assert "Database ready" in hire(data, "init").stdout
    seeded = hire(data, "seed", "--profiles", "1500", "--seed", "5")
    assert "Loaded 1,500 profiles" in seeded.stdout
    again = hire(data, "seed", "--profiles", "1500", "--seed", "5")
    assert "Loaded 0 profiles (1,500 already present)" in again.stdout

    folder = _resumes(tmp_path / "cvs")
    imported = hire(data, "import", str(folder), "--org", "acme", check=False, HIRE_MAX_UPLOAD_MB="1")
    out = imported.stdout
    assert imported.returncode == 1, out  # some files were bad, and the command says so
    assert "empty.txt: empty" in out and "garbage.pdf: " in out and "big.txt: " in out and "limit" in out
    reimport = hire(data, "import", str(folder / "ana.txt"), "--org", "acme")
    assert reimport.returncode == 0
    rows = [[cell.strip() for cell in line.split("│")[1:4]] for line in reimport.stdout.splitlines()
            if "ana.txt" in line]
    assert rows == [["ana.txt", "0", "1"]], reimport.stdout  # file, imported, duplicates

    engine = create_engine(f"sqlite:///{data / 'hire.db'}")
    with Session(engine) as s:
        applicants = s.scalars(select(m.Profile).where(m.Profile.kind == "applicant")).all()
        assert sorted(p.source for p in applicants) == ["import:ana.txt", "import:maria.docx"]
        ana = next(p for p in applicants if p.source == "import:ana.txt")
        assert {sk.skill.name for sk in ana.skills} >= {"Go", "Kubernetes", "Python", "PostgreSQL"}
        assert len(ana.experiences) == 2 and ana.experiences[0].is_current
        acme = s.scalar(select(m.Organisation.id).where(m.Organisation.slug == "acme"))
        assert {p.organisation_id for p in applicants} == {acme}
        assert s.scalar(select(func.count()).select_from(m.Profile).where(m.Profile.kind == "member")) == 1500

    stats = hire(data, "stats").stdout
    assert "profiles" in stats and "member 1,500" in stats and "applicant 2" in stats


def _first_hit_id(data: Path) -> int:
    engine = create_engine(f"sqlite:///{data / 'hire.db'}")
    with engine.connect() as conn:
        from sqlalchemy import text

        pid = conn.execute(text("SELECT rowid FROM profile_fts WHERE profile_fts MATCH 'python' LIMIT 1")).scalar()
    engine.dispose()
    return int(pid)


def test_help_for_every_command(tmp_path: Path) -> None:
    for command in ("init", "seed", "import", "stats", "build-taxonomy", "index", "search", "insights", "show"):
        result = hire(tmp_path, command, "--help")
        assert "Usage" in result.stdout and "--help" in result.stdout


def test_import_into_a_database_on_a_full_disk_loses_nothing(tmp_path: Path) -> None:
    """A database that cannot be written reports the file as failed; nothing half-written remains."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a tiny tmpfs")
    data = tmp_path / "var"
    hire(data, "init")
    small = tmp_path / "small"
    small.mkdir()
    size_kib = (data / "hire.db").stat().st_size // 1024 + 96  # room for the database and a little more
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(small)]).returncode != 0:
        pytest.skip("tmpfs mount not permitted here")
    try:
        shutil.copy(data / "hire.db", small / "hire.db")
        folder = _resumes(tmp_path / "cvs")
        big = folder / "many.csv"
        rows = ["Category,Resume"] + [
            f'Engineering,"Engineer number {i}. Experience Jan 2010 - Present at Firm {i}. Skills Python, Go. '
            + ("lorem ipsum " * 150) + '"'
            for i in range(200)
        ]
        big.write_text("\n".join(rows))
        result = hire(data, "import", str(big), "--org", "acme", check=False,
                      HIRE_DATABASE_URL=f"sqlite:///{small / 'hire.db'}")
        assert result.returncode == 1
        assert "nothing from this file was stored" in result.stdout
        engine = create_engine(f"sqlite:///{small / 'hire.db'}")
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(m.Profile)) == 0
        engine.dispose()
    finally:
        subprocess.run(["umount", str(small)])


def test_index_search_and_insights_commands(tmp_path: Path) -> None:
    data = tmp_path / "var"
    hire(data, "init")
    hire(data, "seed", "--profiles", "600", "--seed", "3", "--occupations", "15-")
    indexed = hire(data, "index").stdout
    assert "Embedded 600 profiles" in indexed and "Keyword index: 600 profiles" in indexed
    again = hire(data, "index").stdout
    assert "Vector index is up to date" in again and "Keyword index is up to date (600 profiles" in again
    assert (data / "keyword" / "CURRENT").read_text().strip() == "g000001"

    found = hire(data, "search", "python OR java", "--country", "US", "--years", "2+").stdout
    assert "matching" in found and "ranks are combined, not scores" in found
    assert "Python (skill)" in found or "Oracle Java (skill)" in found
    keyword_only = hire(data, "search", "python", "--mode", "keyword", "--page-size", "5").stdout
    assert keyword_only.count("(skill)") >= 5

    bad = hire(data, "search", "python AND (java", check=False)
    assert bad.returncode == 2 and "unbalanced parenthesis" in bad.stderr
    unknown = hire(data, "search", "python wage:100", check=False)
    assert unknown.returncode == 2 and "unknown field or facet 'wage'" in unknown.stderr
    bad_facet = hire(data, "search", "python", "--seniority", "wizard", check=False)
    assert bad_facet.returncode == 2 and "wizard" in bad_facet.stderr

    first_id = _first_hit_id(data)
    shown = hire(data, "show", str(first_id), "--query", "python").stdout
    assert "Python" in shown
    assert hire(data, "show", "999999", check=False).returncode == 2

    insight = hire(data, "insights", "python").stdout
    assert "profiles · open to work" in insight and "Salary band" in insight and "Skills" in insight

    rebuilt = hire(data, "index", "--rebuild").stdout
    assert "Embedded 600 profiles" in rebuilt and "Keyword index: 600 profiles" in rebuilt
    assert (data / "keyword" / "CURRENT").read_text().strip() == "g000002"
    assert not (data / "keyword" / "g000001").exists()

    def table(out: str) -> list[str]:  # the result table without the timing line
        return [line for line in out.splitlines() if " ms" not in line]

    assert table(hire(data, "search", "python", "--mode", "keyword", "--page-size", "5").stdout) == table(keyword_only)
