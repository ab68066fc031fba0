"""The classical brain's intake: a recruiter's plain words or a pasted job description → requirements → qualifications.

:func:`extract_requirements` reads the text with rules and the taxonomy only (no model):

* the text cut into sections, sentences and clauses (:mod:`.document`);
* the role phrase (a ``Title:`` line, the first sentence, or the phrase after "looking for") resolved to an
  O*NET occupation, seniority words split off (:mod:`.role`);
* location: US metro areas, the talent pool's international cities, countries (:mod:`.place`);
* years of experience ("5+ years", "3-5 years", "five years"), remote / hybrid / on-site, spoken languages
  (:mod:`.facts`);
* skills from the taxonomy's extractor, multi-word skills kept whole ("A/B testing", "blueprint reading"), split
  into must-have and nice-to-have by their sentence, clause or section ("Nice to have:", "is a plus",
  "preferred", "ideally"; :mod:`.skills`);
* what no kind reads: stated requirements ("clean driving record"), kept verbatim for the recruiter to review,
  and the clauses not understood, offered back; the role, the place, a headcount, the shift and filler are
  never either (:mod:`.facts`);
* then inferred facts (years, seniority, technologies typical of the occupation, a BLS salary band), each
  recorded with its source, and clarifying questions for what is missing or not understood (:mod:`.infer`).

:func:`draft_qualifications` turns the requirements into template qualifications in a fixed order (stated
requirements no kind checks are marked ``review``) and :func:`describe` summarises them for a terminal or chat
(:mod:`.draft`).
"""

from tools.requirements.draft import describe, display_skill, draft_qualifications
from tools.requirements.extract import extract_requirements, role_named
from tools.requirements.facts import MAX_OTHER, SPOKEN_LANGUAGES
from tools.requirements.infer import (
    INFERRED_SKILLS,
    MAX_QUESTIONS,
    YEARS_FOR_SENIORITY,
    format_band,
    salary_band,
    typical_skills,
)
from tools.requirements.role import MAX_RELATED_TITLES, related_titles

__all__ = [
    "INFERRED_SKILLS", "MAX_OTHER", "MAX_QUESTIONS", "MAX_RELATED_TITLES", "SPOKEN_LANGUAGES", "YEARS_FOR_SENIORITY",
    "describe", "display_skill", "draft_qualifications", "extract_requirements", "format_band", "related_titles",
    "role_named", "salary_band", "typical_skills",
]
