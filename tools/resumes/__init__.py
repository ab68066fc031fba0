"""Resume ingestion (CSV, TXT, PDF, DOCX, HTML) and a rule-based resume parser.

* :mod:`tools.resumes.read`: files and CSV rows → :class:`ResumeDocument` (cleaned text) or
  :class:`ResumeSkip` (why not); :func:`clean_text`.
* :mod:`tools.resumes.layout`: the one resume-layout reader, shared with the matcher: section headings,
  dates and date ranges, chunks.
* :mod:`tools.resumes.parse`: cleaned text → :class:`ParsedResume`, with :mod:`tools.resumes.experience`,
  :mod:`tools.resumes.education`, :mod:`tools.resumes.fields` (title, employer, location),
  :mod:`tools.resumes.contact` (contact data kept out of every field) and :mod:`tools.resumes.details` (the
  Kaggle data set's "Details" export).
"""

from tools.resumes.education import ParsedEducation
from tools.resumes.experience import ParsedExperience
from tools.resumes.parse import ParsedResume, parse_resume
from tools.resumes.read import (
    SUPPORTED_SUFFIXES,
    ResumeDocument,
    ResumeError,
    ResumeSkip,
    clean_text,
    iter_resume_documents,
)

__all__ = [
    "ParsedEducation",
    "ParsedExperience",
    "ParsedResume",
    "ResumeDocument",
    "ResumeError",
    "ResumeSkip",
    "SUPPORTED_SUFFIXES",
    "clean_text",
    "iter_resume_documents",
    "parse_resume",
]
