"""Credentials, spoken-language levels and work authorisation: the qualification kinds that are not skills.

* :mod:`.vocabulary`: licences, certifications and endorsements (``tools/taxonomy_data/credentials.json``) with
  their aliases, occupations and prevalence, and :func:`find_credentials`, which finds them in text with spans;
* :mod:`.languages`: language levels (native, fluent, professional, basic; CEFR mapped) and the level written
  next to a language;
* :mod:`.authorization`: statements about the right to work in a country, in requests and in profiles.
"""

from tools.credentials.authorization import (
    AuthorizationMention,
    country_in,
    find_authorization,
    find_required_authorization,
)
from tools.credentials.languages import LEVEL_RANK, level_in, level_near, written_in_english
from tools.credentials.vocabulary import (
    Credential,
    CredentialMention,
    CredentialStatus,
    all_credentials,
    canonical_credential,
    find_credentials,
    satisfying,
    typical_credentials,
)

__all__ = [
    "LEVEL_RANK", "AuthorizationMention", "Credential", "CredentialMention", "CredentialStatus", "all_credentials",
    "canonical_credential", "country_in", "find_authorization", "find_credentials", "find_required_authorization",
    "level_in", "level_near", "satisfying", "typical_credentials", "written_in_english",
]
