"""The plain record a profile travels in between the generator or importer and the system of record."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """Hash of the text with case and whitespace folded: the same resume re-imported is a duplicate."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ExperienceRecord:
    title: str
    company: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    is_current: bool
    description: str = ""
    occupation_code: str | None = None


@dataclass(slots=True)
class EducationRecord:
    school: str | None
    degree: str | None
    field_of_study: str | None
    end_year: int | None


@dataclass(slots=True)
class ProfileRecord:
    """A talent profile before it is stored: generated members or imported applicants."""

    source: str
    raw_text: str
    full_name: str | None = None
    headline: str = ""
    summary: str = ""
    current_title: str | None = None
    current_company: str | None = None
    occupation_code: str | None = None
    seniority: str | None = None
    years_experience: float | None = None
    location: str | None = None
    metro_code: str | None = None
    country: str | None = None
    open_to_work: bool = False
    external_id: str | None = None
    ground_truth: dict[str, Any] | None = None
    withheld: list[dict[str, str]] | None = None  # hidden or injected passages kept out of raw_text
    updated_at: dt.datetime | None = None
    experiences: list[ExperienceRecord] = field(default_factory=list)
    educations: list[EducationRecord] = field(default_factory=list)
    skills: list[tuple[str, str]] = field(default_factory=list)  # (canonical skill, stated | extracted)
    content_hash: str = field(init=False)  # computed where the record is made (a worker process, in bulk)

    def __post_init__(self) -> None:
        self.content_hash = content_hash(self.raw_text)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
