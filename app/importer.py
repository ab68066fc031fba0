"""``hire import``: resumes from CSV, TXT, PDF and DOCX files into an organisation's applicant pool.

Each file is read and parsed on its own; hidden text and passages addressed to an AI are cut out before
parsing (:mod:`tools.resumes.untrusted`), stored apart with the profile and listed in the file's report; a
bad file or row is reported with the reason and the rest go on. Each file's rows are written in one
transaction, so a failure (a full disk, a lost database) leaves no half-imported file behind and is reported
for that file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.loader import load_records
from tools.matching.plans import country_of
from tools.records import EducationRecord, ExperienceRecord, ProfileRecord
from tools.resumes import ResumeDocument, ResumeSkip, iter_resume_documents, parse_resume
from tools.resumes.untrusted import LABEL_HIDDEN, LABEL_HIDDEN_TEXT
from tools.taxonomy import Taxonomy
from tools.taxonomy import load as load_taxonomy

SUPPORTED = {".csv", ".txt", ".pdf", ".docx", ".html", ".htm"}


@dataclass(slots=True)
class FileReport:
    path: str
    imported: int = 0
    duplicates: int = 0
    with_skills: int = 0
    with_experience: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, what was noticed and ignored)
    error: str | None = None
    profile_ids: list[int] = field(default_factory=list)  # the profiles this file added

    @property
    def ok(self) -> bool:
        return self.error is None


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and the supported files inside named folders (sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            yield path


def to_record(doc: ResumeDocument, taxonomy: Taxonomy) -> ProfileRecord:
    parsed = parse_resume(doc.raw_text, taxonomy)
    title = parsed.current_title or (parsed.experiences[0].title if parsed.experiences else None)
    match = taxonomy.normalize_title(title or parsed.headline) if (title or parsed.headline) else None
    seniority = match.seniority if match and match.seniority else (
        taxonomy.seniority_for_years(parsed.years_experience) if parsed.years_experience is not None else None
    )
    place = parsed.location
    country = country_of([p.strip() for p in place.split(",")]) if place else None
    return ProfileRecord(
        location=place[:200] if place else None, country=country if country and len(country) == 2 else None,
        source=f"import:{doc.source}"[:200], external_id=doc.external_id, raw_text=doc.raw_text,
        headline=parsed.headline, summary=parsed.summary, current_title=title,
        current_company=parsed.experiences[0].company if parsed.experiences else None,
        occupation_code=parsed.occupation_code, seniority=seniority, years_experience=parsed.years_experience,
        experiences=[
            ExperienceRecord(e.title or "", e.company, e.start, e.end, e.is_current, e.description)
            for e in parsed.experiences
        ],
        educations=[EducationRecord(e.school, e.degree, e.field_of_study, e.end_year) for e in parsed.educations],
        skills=[(m.skill, "extracted") for m in parsed.skills],
        ground_truth={"category": doc.category} if doc.category else None,
        withheld=[{"label": w.label, "text": w.text} for w in doc.withheld] or None,
    )


def withheld_warnings(doc: ResumeDocument) -> list[str]:
    """What was kept out of a resume's profile, one line per kind, for the import report."""
    out = []
    hidden = [w.text for w in doc.withheld if w.label == LABEL_HIDDEN_TEXT]
    if hidden:
        shown = " | ".join(hidden)
        out.append(f"hidden text left out of the profile ({len(shown)} characters, not visible in the document): "
                   f"“{shown[:120]}”")
    passages = [w.text for w in doc.withheld if w.label not in (LABEL_HIDDEN_TEXT, LABEL_HIDDEN)]
    if passages:
        noun = "passage" if len(passages) == 1 else "passages"
        out.append(f"{len(passages)} {noun} addressed to an AI left out of the profile: “{passages[0][:120]}”")
    out += [f"{w.text} removed" for w in doc.withheld if w.label == LABEL_HIDDEN]
    return out


def import_file(engine: Engine, path: Path, organisation_id: int, max_bytes: int,
                taxonomy: Taxonomy | None = None) -> FileReport:
    taxonomy = taxonomy or load_taxonomy()
    report = FileReport(str(path))
    records: list[ProfileRecord] = []
    for item in iter_resume_documents(path, max_bytes):
        if isinstance(item, ResumeSkip):
            report.skipped.append((item.source, item.reason))
            continue
        try:
            record = to_record(item, taxonomy)
        except Exception as exc:  # a parser bug on one resume must not stop the others
            report.skipped.append((item.source, f"could not parse: {type(exc).__name__}: {exc}"))
            continue
        records.append(record)
        report.warnings += [(item.source, w) for w in withheld_warnings(item)]
        report.with_skills += bool(record.skills)
        report.with_experience += bool(record.experiences)
    if not records:
        return report
    try:
        stats = load_records(engine, records, organisation_id)
    except (SQLAlchemyError, OSError) as exc:
        report.error = f"nothing from this file was stored: {type(exc).__name__}: {str(exc).splitlines()[0]}"
        return report
    report.imported, report.duplicates = stats.inserted, stats.duplicates
    report.profile_ids = list(stats.profile_ids)
    return report


def import_paths(engine: Engine, paths: Iterable[Path], organisation_id: int, max_bytes: int) -> Iterator[FileReport]:
    taxonomy = load_taxonomy()
    for path in expand_paths(paths):
        yield import_file(engine, path, organisation_id, max_bytes, taxonomy)
