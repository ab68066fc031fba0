"""Country names as people write them, and ISO codes: one table for requirement extraction and matching."""

from __future__ import annotations

COUNTRIES: dict[str, str] = {  # how people write a country -> ISO code
    "Germany": "DE", "United Kingdom": "GB", "UK": "GB", "U.K.": "GB", "England": "GB", "Britain": "GB",
    "Great Britain": "GB", "Scotland": "GB", "Ireland": "IE", "France": "FR", "Netherlands": "NL", "Holland": "NL",
    "Spain": "ES", "Portugal": "PT", "Switzerland": "CH", "Poland": "PL", "Sweden": "SE", "Canada": "CA",
    "India": "IN", "Brazil": "BR", "Mexico": "MX", "Japan": "JP", "South Korea": "KR", "Korea": "KR", "China": "CN",
    "Russia": "RU", "Australia": "AU", "Italy": "IT", "Austria": "AT", "Belgium": "BE", "Denmark": "DK",
    "Norway": "NO", "Finland": "FI", "Singapore": "SG", "Israel": "IL", "Argentina": "AR", "United States": "US",
    "USA": "US", "US": "US", "U.S.": "US", "U.S.A.": "US", "America": "US", "United States of America": "US",
    "Deutschland": "DE", "Wales": "GB", "The Netherlands": "NL", "Czech Republic": "CZ", "Czechia": "CZ",
    "Romania": "RO", "Greece": "GR", "Hungary": "HU", "Ukraine": "UA", "Chile": "CL", "Colombia": "CO",
    "New Zealand": "NZ", "Turkey": "TR", "United Arab Emirates": "AE", "UAE": "AE", "South Africa": "ZA",
    "Nigeria": "NG", "Egypt": "EG", "Philippines": "PH", "Vietnam": "VN", "Indonesia": "ID", "Pakistan": "PK",
    "Taiwan": "TW", "Hong Kong": "HK",
}

COUNTRY_NAMES: dict[str, str] = {  # ISO code -> the name shown to recruiters
    "DE": "Germany", "GB": "United Kingdom", "IE": "Ireland", "FR": "France", "NL": "Netherlands", "ES": "Spain",
    "PT": "Portugal", "CH": "Switzerland", "PL": "Poland", "SE": "Sweden", "CA": "Canada", "IN": "India",
    "BR": "Brazil", "MX": "Mexico", "JP": "Japan", "KR": "South Korea", "CN": "China", "RU": "Russia",
    "AU": "Australia", "IT": "Italy", "AT": "Austria", "BE": "Belgium", "DK": "Denmark", "NO": "Norway",
    "FI": "Finland", "SG": "Singapore", "IL": "Israel", "AR": "Argentina", "US": "United States",
    "AE": "United Arab Emirates", "CL": "Chile", "CO": "Colombia", "CZ": "Czech Republic", "EG": "Egypt",
    "GR": "Greece", "HK": "Hong Kong", "HU": "Hungary", "ID": "Indonesia", "NG": "Nigeria", "NZ": "New Zealand",
    "PH": "Philippines", "PK": "Pakistan", "RO": "Romania", "TR": "Turkey", "TW": "Taiwan", "UA": "Ukraine",
    "VN": "Vietnam", "ZA": "South Africa",
}

# the same names case-folded, for lookups in text that was folded first
COUNTRIES_FOLDED: dict[str, str] = {name.casefold(): code for name, code in COUNTRIES.items()}
