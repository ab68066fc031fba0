"""The place table: country names as people write them and their ISO codes, US and Indian states, the
international hubs known by name, and the other names cities go by (suburbs, local spellings). One table for
requirement extraction, matching, the resume reader and the demo generator (which draws its international
profiles from the hubs)."""

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

# (city, country code, the locale names there are drawn from, relative weight among the hubs)
INTERNATIONAL_HUBS: tuple[tuple[str, str, str, float], ...] = (
    ("Berlin, Germany", "DE", "de_DE", 6), ("Munich, Germany", "DE", "de_DE", 3),
    ("Hamburg, Germany", "DE", "de_DE", 2), ("London, United Kingdom", "GB", "en_GB", 7),
    ("Manchester, United Kingdom", "GB", "en_GB", 2), ("Dublin, Ireland", "IE", "en_IE", 2),
    ("Paris, France", "FR", "fr_FR", 4), ("Amsterdam, Netherlands", "NL", "nl_NL", 3),
    ("Madrid, Spain", "ES", "es_ES", 2), ("Barcelona, Spain", "ES", "es_ES", 2),
    ("Lisbon, Portugal", "PT", "pt_PT", 1.5), ("Zürich, Switzerland", "CH", "de_CH", 1.5),
    ("Warsaw, Poland", "PL", "pl_PL", 2), ("Kraków, Poland", "PL", "pl_PL", 1),
    ("Stockholm, Sweden", "SE", "sv_SE", 1.5), ("Toronto, Canada", "CA", "en_CA", 4),
    ("Vancouver, Canada", "CA", "en_CA", 2), ("Bangalore, India", "IN", "en_IN", 5),
    ("Hyderabad, India", "IN", "en_IN", 3), ("São Paulo, Brazil", "BR", "pt_BR", 3),
    ("Mexico City, Mexico", "MX", "es_MX", 2), ("Tokyo, Japan", "JP", "ja_JP", 3),
    ("Seoul, South Korea", "KR", "ko_KR", 2), ("Shanghai, China", "CN", "zh_CN", 2),
    ("Moscow, Russia", "RU", "ru_RU", 1), ("Sydney, Australia", "AU", "en_AU", 2),
)

US_STATES: dict[str, str] = {  # USPS code -> state, district or territory
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "Virgin Islands",
}

INDIAN_STATES: frozenset[str] = frozenset({  # lower case, as resumes from India write them
    "andhra pradesh", "arunachal pradesh", "assam", "bihar", "chhattisgarh", "goa", "gujarat", "haryana",
    "himachal pradesh", "jharkhand", "karnataka", "kerala", "madhya pradesh", "maharashtra", "manipur",
    "meghalaya", "mizoram", "nagaland", "odisha", "orissa", "punjab", "rajasthan", "sikkim", "tamil nadu",
    "telangana", "tripura", "uttar pradesh", "uttarakhand", "west bengal", "delhi", "new delhi", "chandigarh",
    "jammu and kashmir", "puducherry", "pondicherry",
})

CITY_ALIASES: dict[str, str] = {  # alias → international city or the first city of a US metro
    "Bengaluru": "Bangalore", "Munchen": "Munich", "Muenchen": "Munich", "Zuerich": "Zurich", "Cracow": "Krakow",
    "CDMX": "Mexico City", "NYC": "New York", "New York City": "New York", "SF": "San Francisco",
    "Bay Area": "San Francisco", "Silicon Valley": "San Jose", "LA": "Los Angeles", "DC": "Washington",
    "Washington DC": "Washington", "Washington, D.C.": "Washington", "Philly": "Philadelphia",
    "Honolulu": "Urban Honolulu", "Saint Louis": "St. Louis", "Boise": "Boise City",
    # large US cities not among the principal cities their metro area is named by
    "Scottsdale": "Phoenix", "Tempe": "Phoenix", "Gilbert": "Phoenix", "Glendale": "Phoenix", "Plano": "Dallas",
    "Irving": "Dallas", "Frisco": "Dallas", "Garland": "Dallas", "Pasadena": "Los Angeles",
    "Santa Monica": "Los Angeles", "Irvine": "Los Angeles", "Santa Ana": "Los Angeles", "Burbank": "Los Angeles",
    "Brooklyn": "New York", "Manhattan": "New York", "Queens": "New York", "Jersey City": "New York",
    "Newark": "New York", "Evanston": "Chicago", "Naperville": "Chicago", "Redmond": "Seattle",
    "Everett": "Seattle", "Palo Alto": "San Jose", "Mountain View": "San Jose", "Cupertino": "San Jose",
    "Menlo Park": "San Francisco", "Berkeley": "San Francisco", "Fremont": "San Francisco",
    "Miami Beach": "Miami", "Fort Lauderdale": "Miami", "Boca Raton": "Miami", "St. Petersburg": "Tampa",
    "Clearwater": "Tampa", "Aurora": "Denver", "Lakewood": "Denver", "Bloomington": "Minneapolis",
    "Cambridge": "Boston", "Somerville": "Boston", "Arlington": "Washington", "Alexandria": "Washington",
    "Bethesda": "Washington", "Durham": "Raleigh", "Chandler": "Phoenix", "Mesa": "Phoenix",
}
