"""The classical brain's intake: a recruiter's plain words or a pasted job description → requirements → qualifications.

:func:`extract_requirements` reads the text with rules and the taxonomy only (no model):

* the text cut into sections, sentences and clauses (:mod:`.document`);
* the role phrase (a ``Title:`` line, the first sentence, or the phrase after "looking for") resolved to an
  O*NET occupation, seniority words split off (:mod:`.role`);
* location: US metro areas, the talent pool's international cities, countries (:mod:`.place`);
* years of experience ("5+ years", "3-5 years", "five years"), remote / hybrid / on-site, spoken languages and
  the other requirement sentences, verbatim (:mod:`.facts`);
* skills from the taxonomy's extractor, split into must-have and nice-to-have by their sentence, clause or
  section ("Nice to have:", "is a plus", "ideally"; :mod:`.skills`);
* then inferred facts (years, seniority, typical skills, a BLS salary band), each recorded with its source, and
  clarifying questions for what is missing (:mod:`.infer`).

:func:`draft_qualifications` turns the requirements into template qualifications in a fixed order and
:func:`describe` summarises them for a terminal or chat (:mod:`.draft`).
"""

from tools.requirements.draft import describe, display_skill, draft_qualifications
from tools.requirements.extract import extract_requirements
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
    "salary_band", "typical_skills",
]
