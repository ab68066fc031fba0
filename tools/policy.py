"""The Responsible-AI check of job qualifications and search filters.

Every qualification a recruiter states, and every filter the search runs, passes through :func:`check_text`
before it is used. The check is a table of compiled regular expressions over a normalised copy of the text
(case-folded, accents folded, zero-width characters removed, dashes unified, number words such as
"thirty-five" turned into digits, whitespace collapsed). Each rule names the protected characteristic it
concerns and gives one of three outcomes:

* ``blocked``: the text names or directly conditions on a protected characteristic ("under 35",
  "female only", "must be Christian"). It must not be used to judge or find candidates.
* ``flagged``: the text is allowed but is a known proxy for a protected characteristic ("native English
  speaker", "recent graduates only", "culture fit"); a recruiter should review it, and the explanation
  suggests a neutral rewording.
* ``ok``: nothing matched. Skills, tools, degrees, years of experience (ranges included), locations,
  languages and legal work authorisation stay ok.

A blocked rule beats a flagged one, which beats ok. Rules are tuned for few false positives: words such as
"young", "single", "native", "straight", "race" or "black" only count in the senses that describe people.
Some rules skip a match that follows words such as "experience", "supporting" or "caring for", or that is
followed by "programme", "services", "markets" and the like, so that "experience working with young people",
"caring for pregnant women" or "single parent support worker" stay ok.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tools.hiring import PolicyCheck, PolicyStatus, QualificationSpec

AGE = "age"
SEX = "sex"
GENDER = "gender"
RACE = "race"
ETHNICITY = "ethnicity"
RELIGION = "religion"
NATIONAL_ORIGIN = "national origin"
DISABILITY = "disability"
PREGNANCY = "pregnancy"
FAMILY = "marital or family status"
ORIENTATION = "sexual orientation"
GENETIC = "genetic information"
# Not a characteristic itself: wording that can stand in for several of them (culture fit, photos, looks).
SEVERAL = "multiple"

PROTECTED: tuple[str, ...] = (
    AGE, SEX, GENDER, RACE, ETHNICITY, RELIGION, NATIONAL_ORIGIN, DISABILITY, PREGNANCY, FAMILY, ORIENTATION,
    GENETIC,
)

LAWS: dict[str, str] = {
    AGE: "Age is protected by the US Age Discrimination in Employment Act (ADEA, workers aged 40 and over), "
         "EU Directive 2000/78/EC and national laws such as the UK Equality Act 2010 and Germany's AGG.",
    SEX: "Sex is protected by Title VII of the US Civil Rights Act and the EU Equal Treatment Directive "
         "2006/54/EC; a sex requirement is lawful only as a genuine occupational qualification, which is rare.",
    GENDER: "Gender identity is protected under Title VII (Bostock v. Clayton County, 2020) and EU "
            "equal-treatment law (Directive 2006/54/EC).",
    RACE: "Race and colour are protected by Title VII of the US Civil Rights Act and the EU Race Equality "
          "Directive 2000/43/EC; no job has a lawful race requirement.",
    ETHNICITY: "Ethnic origin is protected by Title VII of the US Civil Rights Act and the EU Race Equality "
               "Directive 2000/43/EC.",
    RELIGION: "Religion is protected by Title VII of the US Civil Rights Act and EU Directive 2000/78/EC; only "
              "religious organisations may, narrowly, ask for a faith.",
    NATIONAL_ORIGIN: "National origin is protected by Title VII, citizenship status by the US Immigration and "
                     "Nationality Act (8 U.S.C. 1324b), and nationality and ethnic origin by EU law (Directive "
                     "2000/43/EC, free movement of workers).",
    DISABILITY: "Disability is protected by the Americans with Disabilities Act (ADA) and EU Directive "
                "2000/78/EC; ask only whether a candidate can perform the essential functions of the job, with "
                "or without reasonable accommodation.",
    PREGNANCY: "Pregnancy and plans to have children are protected by the US Pregnancy Discrimination Act and "
               "EU Directives 2006/54/EC and 92/85/EEC.",
    FAMILY: "Marital and family status are protected by many US state laws, the UK Equality Act 2010 and EU "
            "member-state law; conditions aimed at parents are also sex discrimination under Title VII.",
    ORIENTATION: "Sexual orientation is protected under Title VII (Bostock v. Clayton County, 2020) and EU "
                 "Directive 2000/78/EC.",
    GENETIC: "Genetic information, family medical history included, is protected by the US Genetic Information "
             "Nondiscrimination Act (GINA); in the EU it is special-category data under GDPR Article 9.",
    SEVERAL: "It can screen people out by race, sex, age, disability or national origin without saying so "
             "(disparate impact under Title VII; indirect discrimination under EU law).",
}

BLOCKED_ADVICE = "Remove it and state only the skills, experience or legal requirements the job needs."


@dataclass(frozen=True)
class Rule:
    """One pattern and what a match means."""

    status: PolicyStatus
    category: str
    pattern: re.Pattern[str]
    reason: str
    suggestion: str = ""
    skip_in_context: bool = False  # ignore a match after "experience supporting" or before "programme" etc.
    unless: re.Pattern[str] | None = None  # ignore the rule when this matches anywhere in the text
    minimum_age: bool = False  # a single lower bound of 14-21 years is a legal minimum age: flag, not block


@dataclass(frozen=True)
class Hit:
    status: PolicyStatus
    category: str
    matched: str
    reason: str
    suggestion: str


# ---------------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"))
_CHAR_MAP = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe63": "-", "\uff0d": "-", "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2264": "<=", "\u2265": ">=",
})
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_NUMBER_WORDS = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[- ](?P<unit>{'|'.join(_UNITS)}))?|(?P<teen>{'|'.join(_TEENS)}))\b"
)
_SPACES = re.compile(r"\s+")


def _number_value(m: re.Match[str]) -> str:
    if m.group("teen"):
        return str(_TEENS[m.group("teen")])
    return str(_TENS[m.group("tens")] + _UNITS.get(m.group("unit") or "", 0))


def normalise(text: str) -> str:
    """Case-fold, fold accents, drop zero-width characters, unify dashes and quotes, spell numbers as digits."""
    text = unicodedata.normalize("NFKD", text.translate(_ZERO_WIDTH).translate(_CHAR_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _NUMBER_WORDS.sub(_number_value, text)
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------------------

# Words after which a mention of a group describes work with that group, not a condition on candidates.
_CONTEXT = re.compile(
    r"\b(?:experienced?|expertise|knowledge|skills?|background\s+in|training|advocacy|programs?|programmes?"
    r"|support\w*|mentor\w*|coach\w*|teach\w*|tutor\w*|counsel\w*|recruit\w*|sourc\w*|promot\w*|retain\w*"
    r"|retention|serv(?:e|es|ed|ing)|caring|care|nurs\w*|treat\w*|educat\w*|work(?:ing)?\s+with|engag\w*"
    r"|outreach|advocat\w*|empower\w*|includ\w*|inclusion|diversity|manag\w*|handl\w*|process\w*|interpret\w*"
    r"|analy[sz]\w*|perform\w*|run(?:ning)?|conduct\w*|lab|laboratory|clinical|research\w*|design\w*"
    r"|develop\w*|familiar\w*|proficien\w*|insur\w*|compliance|law|legal|polic(?:y|ies)|market\w*|inspir\w*)"
    r"(?:\s+[a-z'-]+){0,2}\s+$"
)
_CONTEXT_WINDOW = 60
# Words after which a mention of a group names a service, programme or market for that group.
_SERVICE_AFTER = re.compile(
    r"\s+(?:programs?|programmes?|schemes?|initiatives?|networks?|services?|support|charit(?:y|ies)|outreach"
    r"|advocacy|development|markets?|segments?|audiences?|customers?|clients?|users?|patients?)\b"
)

PERSON = (r"(?:candidates?|applicants?|people|persons?|person|individuals?|workers?|employees?|staff|hires?"
          r"|talent|professionals?|engineers?|developers?|team\s+members?|folks?|someone|somebody|nurses?"
          r"|secretar(?:y|ies)|assistants?|receptionists?|drivers?|models?|workforce|colleagues?|only"
          r"|preferred|required|wanted|needed|need\s+not\s+apply)")
_MUST = r"(?:must|should|has\s+to|have\s+to|needs?\s+to|required\s+to|ought\s+to)"
_UPPER = (r"(?:under|below|younger\s+than|less\s+than|not\s+older\s+than|no\s+older\s+than|not\s+over"
          r"|not\s+above|at\s+most|max(?:imum)?\.?|up\s+to|<=?)")
_LOWER = (r"(?:over|above|older\s+than|more\s+than|at\s+least|not\s+under|not\s+younger\s+than"
          r"|no\s+younger\s+than|min(?:imum)?\.?|>=?)")
_CMP = rf"(?:{_UPPER}|{_LOWER})"
_AGE_NUMBER = r"(?<![\d.])\d{2}(?:\s*(?:-|to|and)\s*\d{2})?(?![\d.])"
_YEARS = r"(?:years?|yrs?)'?"
_NATIONALITIES = (
    r"(?:american|british|scottish|welsh|irish|german|french|italian|spanish|portuguese|dutch|belgian|swiss"
    r"|austrian|polish|czech|slovak|hungarian|romanian|bulgarian|greek|turkish|russian|ukrainian|swedish"
    r"|norwegian|danish|finnish|estonian|latvian|lithuanian|croatian|serbian|bosnian|albanian|chinese"
    r"|japanese|korean|vietnamese|thai|filipino|indonesian|malaysian|indian|pakistani|bangladeshi|nepali"
    r"|afghan|iranian|iraqi|syrian|lebanese|israeli|palestinian|egyptian|moroccan|algerian|tunisian|nigerian"
    r"|ghanaian|kenyan|ethiopian|somali|south\s+african|canadian|mexican|brazilian|argentin(?:e|ian)"
    r"|colombian|venezuelan|chilean|peruvian|cuban|australian)"
)
_LANGUAGES = (
    r"(?:english|german|french|spanish|italian|portuguese|dutch|polish|russian|ukrainian|chinese|mandarin"
    r"|cantonese|japanese|korean|arabic|hindi|urdu|bengali|turkish|swedish|norwegian|danish|finnish|greek"
    r"|czech|hungarian|romanian|hebrew|vietnamese|thai|indonesian|malay|tagalog|persian|farsi|swahili)"
)
_RELIGIOUS = (r"(?:christians?|muslims?|moslems?|islamic|jewish|jews|hindus?|buddhists?|sikhs?|catholics?"
              r"|protestants?|mormons?|atheists?|agnostics?|evangelicals?|religious|believers|church-?goers?)")
_RACES = (r"(?:white|whites|black|blacks|brown|caucasians?|asians?|coloured|colored|african[- ]americans?"
          r"|afro-?americans?|mixed[- ]race|biracial)")
_ETHNIC = r"(?:hispanics?|latin[oaxe]s?|arabs?|roma|romani|gypsy|gypsies|slavs?|slavic|aryans?)"
_PHYSICAL_TASK = re.compile(
    r"\b(?:lift|carry|push|pull|stand|walk|climb|kneel|crouch|bend|move)\w*\b[^.;]*?"
    r"(?:\d+\s*(?:lbs?|pounds|kg|kilos?|kilograms?|hours?|hrs|ft|feet|metres?|meters?|m\b)"
    r"|long\s+periods|ladders?|scaffold\w*|stairs)"
)
_CLEARANCE = re.compile(r"\b(?:security\s+clearance|clearance|itar|export[- ]control\w*|classified)\b")


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _block(category: str, reason: str, *patterns: str, context: bool = False,
           minimum_age: bool = False) -> Rule:
    return Rule("blocked", category, _rx(*patterns), reason, skip_in_context=context, minimum_age=minimum_age)


def _flag(category: str, reason: str, suggestion: str, *patterns: str, context: bool = False,
          unless: re.Pattern[str] | None = None) -> Rule:
    return Rule("flagged", category, _rx(*patterns), reason, suggestion, skip_in_context=context, unless=unless)


# ---------------------------------------------------------------------------------------------------------
# Rules, by characteristic
# ---------------------------------------------------------------------------------------------------------

_AGE_RULES: tuple[Rule, ...] = (
    _block(AGE, "sets an age limit or range.",
           rf"(?:\b(?:between|from|aged?|ages)\s+)?(?:{_CMP}\s*)?{_AGE_NUMBER}\s*-?\s*{_YEARS}"
           r"(?:[- ]olds?|\s+of\s+age)\b"
           r"(?:\s+or\s+(?:younger|older|less|more|under|over|above|below))?"
           r"(?![- ](?:code\w*|compan\w*|firm|system|product|platform|business|brand|app\w*|software|stack"
           r"|monolith|legacy|project|tool|framework|librar\w*|database|house|building|tree))",
           rf"\bage[sd]?\s*[:=]?\s*(?:of\s+)?(?:between\s+|from\s+)?(?:{_CMP}\s*)?{_AGE_NUMBER}",
           rf"\b(?:max(?:imum)?|min(?:imum)?|upper|lower)\.?\s+age\b(?:\s*(?:limit|of|is|:)?\s*{_AGE_NUMBER})?",
           rf"\bage\s+(?:limit|range|bracket|cap|requirement|restriction|preference|criteri(?:a|on))\b"
           rf"(?:\s*(?:of|is|:)?\s*{_AGE_NUMBER})?",
           rf"\b(?:candidates?|applicants?|people|persons?|individuals?|workers?|employees?|staff|anyone|anybody"
           rf"|nobody|no-?one|no\s+one|those|hires?|someone|somebody|men|women|graduates?)\s+(?:who\s+are\s+"
           rf"|that\s+are\s+|aged\s+)?{_CMP}\s*{_AGE_NUMBER}(?!\s*(?:%|\+|{_YEARS}\s+(?:of|in|with|as)|months"
           rf"|hours|days|weeks|k\b|m\b))",
           rf"(?:^|[,;:(]\s*|\b(?:be|being|is|are|aged?|only|ideally|preferably|who\s+are|that\s+are)\s+)"
           rf"{_CMP}\s*-?\s*{_AGE_NUMBER}s?(?=\s*(?:$|[.,;:!?)]|only\b|please\b|preferred\b|need\s+not\b"
           rf"|(?:and|or)\s+(?:under|over|younger|older|less|more)\b))",
           r"\b(?:under|over)-?\s?\d{2}s\b",
           r"(?<![\w.])\d{2}\s*(?:or|and)\s*(?:younger|older)\b",
           r"\b(?:be|aged?|candidates?|applicants?|anyone|those)\s+\d{2}\s*(?:or|and)\s*(?:under|over|above"
           r"|below|up)\b",
           r"\b(?:be|aged?)\s+\d{2}\s*\+",
           r"\b(?:be|aged?|candidates?|applicants?|people|anyone|those)\s+between\s+\d{2}\s*(?:-|to|and)\s*\d{2}"
           r"(?=\s*(?:$|[.,;:!?)]|only\b|preferred\b))",
           minimum_age=True),
    _block(AGE, "describes the age of the people wanted.",
           r"\bin\s+(?:their|your|his|her)\s+(?:early\s+|mid\s+|late\s+)?(?:\d0s|teens|twenties|thirties"
           r"|forties|fifties|sixties)\b",
           r"\b\d0-?somethings?\b",
           r"\bborn\s+(?:in|after|before|between|since|from|on\s+or\s+after)\s+(?:the\s+)?(?:(?:19|20)\d\d"
           r"|'?\d0s|(?:19|20)\d0s)",
           r"\b(?:date|year)\s+of\s+birth\b",
           r"\btoo\s+old\b", r"\bover\s+the\s+hill\b", r"\byoungsters?\b",
           r"\byoung\s*(?:,|and|&)\s*(?:energetic|dynamic|vibrant|fresh|hungry|ambitious|motivated|enthusiastic"
           r"|fun|fit|attractive|driven)\b",
           r"\b(?:energetic|dynamic|vibrant|fresh|fun)\s*(?:,|and|&)\s*young\b",
           rf"\b{_MUST}\s+be\s+young\b",
           r"\bno\s+(?:old(?:er)?\s+[a-z]+|elderly|retirees|pensioners|boomers|seniors|senior\s+citizens"
           r"|over-?\d{2}s)\b",
           rf"\b{_MUST}\s+be\s+(?:a\s+)?(?:millennial|gen(?:eration)?[- ]?(?:z|y|x)|zoomer|boomer)\b",
           r"\bno\s+(?:millennials|boomers|zoomers|gen[- ]?(?:z|x|y)(?:ers)?)\b"),
    _block(AGE, "asks for people of a certain age.",
           rf"\b(?:young(?:er)?|youthful)\s+(?:and\s+[a-z]+\s+|,\s*[a-z]+\s+)?(?:{PERSON}|teams?|blood|graduates?"
           r"|grads?|crowd|generation|guns?|energy|guys|men|women|man|woman|ladies|girls?|boys?|adults?)\b",
           r"\byouthful\b",
           rf"\b(?:old(?:er)?|elderly|aged|senior\s+citizens?|retirees?|pensioners?|(?:baby\s+)?boomers?"
           rf"|millennials?|gen(?:eration)?[- ]?(?:z|y|x|alpha)|zoomers?)\s+(?:{PERSON}|generation|guys|men"
           r"|women|man|woman|ladies|adults?)\b",
           rf"\bmature\s+(?:{PERSON}|students?|age)\b",
           r"\bsenior\s+citizens?\b",
           context=True),
    _flag(AGE, "is a proxy for age: it favours people who are young without naming age.",
          "state the tools or skills meant, e.g. 'comfortable with modern collaboration tools'.",
          r"\bdigital\s+natives?\b"),
    _flag(AGE, "is a proxy for age: graduation recency mostly selects younger people.",
          "state the skills or years of experience needed, e.g. '0-2 years of experience in X' or 'entry-level'.",
          r"\b(?:recent(?:ly)?|new|fresh|newly)\s+(?:college\s+|university\s+)?(?:graduates?|grads?|graduated)\b",
          r"\bfreshers?\b",
          r"\bgraduat\w*\s+(?:after|since|in|from|between|no\s+earlier\s+than|not\s+before|in\s+or\s+after"
          r"|within)\s+(?:the\s+(?:last|past)\s+\d+\s+years?|(?:19|20)\d\d)\b",
          r"\b(?:class|cohort)\s+of\s+(?:19|20)\d\d\b",
          r"\bgraduation\s+(?:year|date)\b",
          r"\b(?:degree|diploma)\s+(?:obtained|earned|completed|awarded|received)\s+(?:after|since|in|within)\s+"
          r"(?:(?:19|20)\d\d|the\s+(?:last|past))",
          r"\b\d+\s+years?\s+(?:out\s+of|since|after|from)\s+(?:school|college|university|graduation)\b",
          r"\bwithin\s+\d+\s+years?\s+of\s+graduat\w*"),
    _flag(AGE, "caps experience, which is a proxy for age (it excludes older, more experienced people).",
          "state the minimum experience needed and the level of the role, e.g. '3+ years of X, mid-level role'.",
          rf"\b(?:no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of|maximum\s+of|max(?:imum)?\.?"
          rf"|up\s+to|less\s+than|fewer\s+than|under|below)\s*\d{{1,2}}\s*\+?\s*{_YEARS}"
          r"(?:[^.;]{0,40}?\b(?:experience|exp|industry|work\w*|professional|career|out\s+of|since)\b)",
          rf"\b\d{{1,2}}\s*{_YEARS}\s+(?:of\s+)?(?:[a-z+#./-]+\s+){{0,2}}?(?:experience|exp)\s*(?:max(?:imum)?"
          r"|at\s+most|or\s+less|or\s+fewer|tops)\b",
          rf"\b(?:experience|exp)\s*[:=]?\s*(?:max(?:imum)?|at\s+most|no\s+more\s+than|up\s+to)\s*\d{{1,2}}\s*"
          rf"{_YEARS}"),
    _flag(AGE, "is a proxy for age: 'overqualified' is often used to turn away older candidates.",
          "state the level of the role and what it offers, e.g. 'this is a mid-level individual-contributor role'.",
          r"\bover-?qualified\b"),
)

_SEX_RULES: tuple[Rule, ...] = (
    _block(SEX, "requires or excludes a sex.",
           r"\b(?:fe)?males?\s+only\b", r"\bonly\s+(?:fe)?males?\b",
           r"\b(?:men|women|ladies|gentlemen|girls|boys|guys)\s+only\b",
           r"\bonly\s+(?:men|women|ladies|gentlemen|girls|boys|guys)\b",
           r"\b(?:men|women|ladies|gentlemen|girls|boys|guys)\s+(?:preferred|required|wanted|needed"
           r"|need\s+not\s+apply)\b",
           rf"\b{_MUST}\s+be\s+(?:a\s+)?(?:fe)?male\b",
           rf"\b{_MUST}\s+be\s+(?:a\s+)?(?:man|woman|lady|gentleman|girl|boy|guy)\b",
           r"\bno\s+(?:fe)?males\b", r"\bno\s+(?:men|women|ladies|girls|boys|guys)\b",
           r"\b(?:preferably|ideally)\s+(?:a\s+)?(?:(?:fe)?male|man|woman|lady|gentleman)\b",
           r"\b(?:sex|gender)\s*[:=]\s*(?:(?:fe)?male|m|f|man|woman|men|women)\b",
           r"\b(?:sex|gender)\s+(?:requirement|preference|restriction)\b"),
    _block(SEX, "asks for people of one sex.",
           rf"\b(?:fe)?males?\s+{PERSON}\b",
           rf"\b(?:men|women)\s+{PERSON}\b",
           context=True),
    _flag(SEX, "is gendered wording that signals only men are wanted.",
          "describe the team and the work instead, e.g. 'collaborative team'.",
          r"\bone\s+of\s+the\s+(?:guys|boys|lads)\b"),
    _flag(SEX, "sets a height or weight requirement, which screens out women and some national-origin groups "
               "more often (disparate impact).",
          "state the physical task and keep it only if it is essential, e.g. 'able to reach shelves at 2 m'.",
          r"\b(?:min(?:imum)?|max(?:imum)?)\.?\s+(?:height|weight)\b",
          r"\b(?:height|weight)\s+(?:requirement|restriction|limit|of\s+at\s+least|over|above|under|below"
          r"|between)\b",
          r"\b(?:height|weight)\s*[:=]",
          rf"\b{_MUST}\s+be\s+(?:tall|slim|slender|thin|petite)\b"),
)

_GENDER_RULES: tuple[Rule, ...] = (
    _block(GENDER, "excludes or requires a gender identity.",
           r"\b(?:no|not)\s+(?:trans(?:gender|sexual)?s?|non-?binary|gender[- ]?(?:fluid|queer|non-?conforming)"
           r"|intersex)\b",
           rf"\b{_MUST}\s+(?:be|identify\s+as)\s+cis(?:gender)?\b",
           r"\b(?:biological(?:ly)?|born)\s+(?:a\s+|as\s+a\s+)?(?:(?:fe)?males?|men|women|man|woman|sex)\b"),
    _block(GENDER, "conditions on gender identity.",
           rf"\b(?:cis(?:gender)?|trans(?:gender)?|non-?binary|intersex)\s+{PERSON}\b",
           r"\bgender\s+identity\b",
           context=True),
)

_RACE_RULES: tuple[Rule, ...] = (
    _block(RACE, "names race or skin colour.",
           rf"\b{_MUST}\s+be\s+(?:a\s+)?(?:white|black|brown|caucasian|asian|coloured|colored)\b(?![- ])",
           r"\b(?:no|only)\s+(?:whites|blacks|asians|caucasians|browns|coloureds|coloreds)\b",
           r"\b(?:no|only)\s+(?:white|black|brown|asian|caucasian)(?=\s*(?:$|[.,;:!?)]))",
           r"\bcaucasians?(?:\s+only)?",
           r"\brace\s*[:=]\s*[a-z]*", r"\b(?:racial|race)\s+(?:background|origin|profile|preference|requirement|makeup"
           r"|identity|appearance)\b",
           r"\bskin\s+(?:colou?r|tone|complexion)\b", r"\b(?:fair|light|dark|pale|white|black)[- ]skinned\b",
           r"\b(?:fair|light|dark|pale)\s+(?:skin|complexion)\b",
           r"\b(?:european|asian|african|western|white|black)[- ]looking\b"),
    _block(RACE, "asks for people of one race.",
           rf"\b{_RACES}\s+(?:{PERSON}|guys|men|women|males?|females?|girls|boys)\b",
           context=True),
    _flag(RACE, "is a grooming rule that falls mostly on Black candidates (several US states' CROWN Acts and "
                "Title VII case law treat it as race discrimination).",
          "drop it, or state a neutral safety rule, e.g. 'hair tied back near machinery'.",
          r"\bno\s+(?:dreadlocks|dreads|locs|braids|cornrows|afros?|twists)\b"),
)

_ETHNICITY_RULES: tuple[Rule, ...] = (
    _block(ETHNICITY, "names an ethnic origin.",
           r"\bethnicity\b",
           r"\bethnic\s+(?:background|origin|group|minorit\w*|profile|appearance|look|features|makeup|identity)\b",
           rf"\b{_ETHNIC}\s+(?:{PERSON}|guys|men|women|males?|females?|girls|boys)\b",
           context=True),
    _block(ETHNICITY, "requires or excludes an ethnic group.",
           rf"\b(?:no|only)\s+{_ETHNIC}\b",
           rf"\b{_MUST}\s+be\s+(?:an?\s+)?{_ETHNIC}\b",
           rf"\b{_ETHNIC}[- ]looking\b"),
)

_RELIGION_RULES: tuple[Rule, ...] = (
    _block(RELIGION, "requires or excludes a religion.",
           rf"\b{_MUST}\s+(?:be|practi[cs]e|share)\s+(?:a\s+|an\s+)?(?:practi[cs]ing\s+|devout\s+|committed\s+"
           rf"|born-again\s+)?{_RELIGIOUS}\b",
           r"\battend(?:s|ing)?\s+(?:church|mass|mosque|synagogue|temple|religious\s+services)\b",
           rf"\b(?:no|not|non-?)\s*{_RELIGIOUS}\b",
           rf"\b(?:devout|god-?fearing|born-again|church-?going)(?:\s+{_RELIGIOUS})?\b",
           rf"\bpracti[cs]ing\s+{_RELIGIOUS}\b",
           r"\b(?:religion|faith)\s*[:=]",
           r"\bshar(?:e|es|ing)\s+(?:our|the\s+same)\s+(?:faith|religio\w*|beliefs|religious\s+values)\b",
           r"\b(?:no|without)\s+(?:religious\s+)?(?:headscar(?:f|ves)|hijabs?|turbans?|kippah|kippot|yarmulkes?"
           r"|niqabs?|burqas?|burkas?|religious\s+(?:symbols|dress|clothing|attire|jewel(?:le)?ry))\b"),
    _block(RELIGION, "asks for people of one religion.",
           rf"\b{_RELIGIOUS}\s+(?:{PERSON}|faith|background|men|women|values|believers?)\b",
           r"\breligio(?:n|us)\s+(?:affiliation|beliefs?|background|preference|requirement|views|observance)\b",
           context=True),
    _flag(RELIGION, "is a grooming or dress rule that falls on people whose religion requires a beard or head "
                    "covering (Title VII requires religious accommodation).",
          "state the safety or hygiene need and allow accommodation, e.g. 'must wear a respirator (fit-tested)'.",
          r"\bclean[- ]?shaven\b", r"\bno\s+(?:beards?|facial\s+hair)\b",
          r"\b(?:no|without)\s+(?:head\s*(?:coverings?|wear|gear)|headwear|headgear)\b"),
)

_NATIONAL_ORIGIN_RULES: tuple[Rule, ...] = (
    _block(NATIONAL_ORIGIN, "conditions on where a person was born or comes from.",
           r"\bborn\s+(?:and\s+(?:raised|bred)\s+)?in\s+(?!(?:the\s+)?'?\d)(?:the\s+)?[a-z][a-z.-]*",
           r"\b(?!new-|first-|still-|well-|high-|free-)[a-z]+-born\b",
           rf"\b{_MUST}\s+be\s+(?:a\s+|an\s+)?{_NATIONALITIES}\b(?![- ]?(?:speak\w*|language|fluent|citizens?"
           r"|citizenship|nationals?|nationality|residents?|passport\w*|based|located|registered|licensed"
           r"|qualified|certified|tax))",
           r"\bof\s+(?:[a-z-]+\s+){1,2}(?:origin|descent|heritage|ancestry|extraction)\b",
           r"\b(?:ethnic|national)\s+origin\b",
           r"\b(?:country|place|nation)\s+of\s+(?:birth|origin)\b",
           rf"\b{_NATIONALITIES}[- ](?:looking|appearance|heritage|ancestry|descent|roots|surname|blood|origin)\b",
           r"\b(?:no|not|without)\s+(?:foreigners|foreign\s+(?:candidates|applicants|nationals|workers|people)"
           r"|immigrants?|migrants?|refugees?|expats?)\b",
           r"\bnatives\s+only\b"),
    _block(NATIONAL_ORIGIN, "asks for people of one national origin.",
           rf"\b{_NATIONALITIES}\s+(?:candidates?|applicants?|people|persons|workers|men|women|employees|staff)\b",
           context=True),
    _flag(NATIONAL_ORIGIN, "makes citizenship or nationality a condition. Citizenship status is protected; "
                           "it may be required only where law demands it, e.g. a security clearance or "
                           "export-control rule.",
          "'authorised to work in <country> (we do / do not sponsor visas)'; if a security clearance is needed, "
          "say 'must be eligible for <clearance> (requires <country> citizenship)'.",
          r"\b(?:[a-z.]+\s+)?citizens?(?:hip)?\s+(?:only|required|requirement|needed|mandatory|preferred)\b",
          rf"\b{_MUST}\s+(?:be|hold|have)\s+(?:a\s+|an\s+)?(?:[a-z.]+\s+)?(?:citizen(?:ship)?|national(?:ity)?)\b",
          r"\bonly\s+(?:[a-z.]+\s+)?(?:citizens|nationals|passport\s+holders)\b",
          r"\b(?:[a-z.]+\s+)?nationals\s+only\b",
          r"\bnationality\s*[:=]", r"\bnationality\s+(?:required|requirement|only)\b",
          r"\b(?:green\s+card|permanent\s+residen(?:t|ts|cy)|passport)\s+(?:holders?\s+)?only\b",
          unless=_CLEARANCE),
    _flag(NATIONAL_ORIGIN, "is a proxy for national origin: being a native speaker is about where someone grew "
                           "up, not how well they speak.",
          "'fluent' or 'professional working proficiency (C1/C2) in <language>'.",
          rf"\bnative\s+(?:{_LANGUAGES}\s+)?speak(?:er|ers|ing)\b",
          rf"\bnative\s+(?:in\s+)?{_LANGUAGES}\b", rf"\b{_LANGUAGES}\s+native\b",
          r"\b(?:mother|native)\s+tongue\b", r"\bfirst\s+language\b"),
    _flag(NATIONAL_ORIGIN, "is about accent, a proxy for national origin; an accent matters only if it "
                           "materially interferes with the work.",
          "'clear spoken communication in <language>'.",
          r"\b(?:no|without(?:\s+an?)?|neutral|non-?regional|standard|american|british|english|local|foreign"
          r"|thick|heavy|strong|regional)\s+accents?\b(?![- ]?colou?r)",
          r"\baccent[- ]?free\b", r"\bunaccented\b"),
)

_DISABILITY_RULES: tuple[Rule, ...] = (
    _block(DISABILITY, "excludes people with a disability or health condition.",
           r"\b(?:no|not|without|non-?|free\s+(?:of|from))\s*(?:any\s+)?(?:physical\s+|mental\s+|known\s+)?"
           r"(?:disabilit(?:y|ies)|disabled|handicap\w*|impairments?|medical\s+conditions?|health\s+(?:problems"
           r"|issues|conditions)|illness(?:es)?|chronic\s+(?:illness\w*|conditions?|diseases?)|mental\s+"
           r"(?:illness\w*|health\s+(?:issues|problems|conditions)|disorders?))\b",
           rf"\b{_MUST}\s+not\s+(?:be|have|use)\s+(?:a\s+|any\s+)?(?:disab\w*|handicap\w*|impair\w*|deaf|blind"
           r"|in\s+a\s+wheelchair|wheelchair\w*)\b",
           r"\b(?:no|not|non)[- ]?(?:deaf|blind|autistic|dyslexic|wheelchair(?:\s+users?)?|mentally\s+ill"
           r"|handicapped)\b(?![- ]?(?:spots?|box|tests?|reviews?|stud(?:y|ies)|dates?|signatures?))",
           r"\b(?:in|of|enjoy\w*)\s+(?:good|perfect|excellent|sound|full)\s+(?:physical\s+|mental\s+)?health\b",
           r"\b(?:perfect|excellent|full)\s+(?:physical|mental)\s+health\b",
           r"\bmentally\s+(?:stable|sound|healthy)\b",
           r"\b(?:history|record)\s+of\s+(?:mental\s+illness|illness|sick(?:ness)?\s+leave|sickness|medical"
           r"\s+(?:conditions?|treatment)|disabilit\w*)\b",
           r"\bsick\s+(?:leave|days)\s+(?:history|record)\b"),
    _block(DISABILITY, "conditions on disability or health status.",
           rf"\b(?:disabled|handicapped|deaf|blind|autistic|dyslexic|wheelchair\s+users?|wheelchair[- ]bound)\s+"
           rf"{PERSON}\b",
           r"\bmedical\s+(?:history|records?)\b",
           r"\bhiv\s*(?:status|negative|positive|test\w*|-?free)\b",
           context=True),
    _flag(DISABILITY, "is a proxy for disability unless the job has a stated physical requirement.",
          "state the physical task itself, e.g. 'able to lift 25 kg' or 'stand for a 4-hour shift', "
          "with or without reasonable accommodation.",
          r"\bable[- ]?bodied\b", unless=_PHYSICAL_TASK),
    _flag(DISABILITY, "asks about health or senses in general terms, a proxy for disability.",
          "state the essential task, e.g. 'able to read instrument displays' or 'able to lift 25 kg', with or "
          "without reasonable accommodation.",
          r"\bphysically\s+fit\b", r"\bfit\s+and\s+healthy\b", r"\bgood\s+physical\s+(?:condition|shape|health)\b",
          r"\b(?:20/20|perfect|normal|excellent)\s+(?:vision|eyesight|sight|hearing)\b",
          r"\bno\s+(?:glasses|spectacles|hearing\s+aids?)\b"),
)

_PREGNANCY_RULES: tuple[Rule, ...] = (
    _block(PREGNANCY, "conditions on pregnancy or plans to have children.",
           r"\b(?:not|no|never|non-?)\s*(?:be\s+|currently\s+|become\s+|get\s+)?pregnan\w*",
           r"\bpregnancy\s+(?:test\w*|status|plans?)\b",
           r"\b(?:no|not|without|avoid\w*|won't\s+take|will\s+not\s+take|not\s+taking|not\s+planning)\s+"
           r"(?:[a-z]+\s+){0,2}?(?:maternity|paternity|parental)\s+leave\b",
           r"\b(?:maternity|paternity)\s+(?:leave\s+)?plans?\b",
           r"\bplan(?:s|ning|ned)?\s+(?:to\s+(?:have|start|raise)\s+|on\s+(?:having|starting)\s+|for\s+)?"
           r"(?:a\s+)?(?:family|families|children|kids|babies|baby)\b(?!['’]s|\s+(?:programs?|services|education"
           r"|activities|events|books?|content|products?|camps?|ministry))",
           r"\b(?:want\w*|intend\w*|wish\w*|hop\w*)\s+to\s+(?:have|start)\s+(?:a\s+)?(?:family|children|kids"
           r"|baby)\b",
           r"\bfamily\s+plans\b", r"\bexpecting\s+(?:a\s+)?(?:baby|child)\b"),
    _block(PREGNANCY, "conditions on pregnancy.",
           r"\b(?:be|is|are|become|becoming|get|getting|currently|being)\s+pregnant\b",
           rf"\bpregnan\w*\s+(?:{PERSON}|women)\b",
           context=True),
)

_FAMILY_RULES: tuple[Rule, ...] = (
    _block(FAMILY, "conditions on marital status or children.",
           rf"\b{_MUST}\s+be\s+(?:single|married|unmarried|divorced|widowed)\b(?![- ]?(?:threaded|page|sign"
           r"|source|tenant|use|core))",
           r"\bunmarried\b", r"\b(?:marital|civil)\s+status\b",
           r"\bsingle\s*(?:,|/|&|and)\s*(?:(?:no|without)\s+[a-z]+|childless)\b",
           rf"\b{_MUST}\s+not\s+have\s+(?:any\s+)?(?:kids|children|dependants|dependents)\b",
           r"\b(?:no|without)\s+(?:small\s+|young\s+)?(?:kids|children|dependants|dependents|family\s+"
           r"(?:commitments|obligations|responsibilities|ties)|childcare\s+(?:commitments|responsibilities"
           r"|duties)|caring\s+responsibilities)\b",
           r"\bchildless\b", r"\bchild-?free\b",
           r"\bfree\s+(?:of|from)\s+(?:family|childcare|caring)\s+[a-z]+",
           r"\b(?:no|not)\s+(?:working\s+|single\s+|young\s+|new\s+)?(?:mothers|moms|mums|fathers|dads|parents)\b",
           r"\bfamily\s+man\b"),
    _block(FAMILY, "asks for people of one marital or family status.",
           rf"\b(?:single|married|divorced|widowed)\s+(?:{PERSON}|men|women|males|females|mothers?|fathers?"
           r"|parents?|moms?|mums?|dads?|status|couples?)\b",
           r"\bfamily\s+status\b",
           context=True),
)

_ORIENTATION_RULES: tuple[Rule, ...] = (
    _block(ORIENTATION, "requires or excludes a sexual orientation.",
           r"^(?:must\s+be\s+|should\s+be\s+|be\s+|only\s+)?straight(?:\s+(?:only|preferred))?\s*[.!]?$",
           rf"\b{_MUST}\s+be\s+straight\b(?![- ]?(?:forward|through|talk\w*|line))",
           r"\b(?:no|not)\s+(?:gays?|lesbians?|homosexuals?|bisexuals?|queers?|lgbt\w*)",
           rf"\bstraight\s+(?:{PERSON}|men|women|males|females|guys|girls)\b"),
    _block(ORIENTATION, "names a sexual orientation.",
           r"\b(?:hetero|homo|bi)sexual\w*\b",
           rf"\b(?:gay|lesbian|queer|lgbt\w*)\s+(?:{PERSON}|men|women)\b",
           r"\bsexual\s+(?:orientation|preference)\b", r"\bsexuality\b",
           context=True),
)

_GENETIC_RULES: tuple[Rule, ...] = (
    _block(GENETIC, "asks for genetic information or family medical history.",
           r"\b(?:genetic|dna|genomic)\s+(?:tests?|testing|screening|screens?|profile|profiling|analysis"
           r"|information|makeup|markers?|predisposition)\b",
           r"\bfamily\s+(?:medical|health|disease)\s+history\b", r"\bfamily\s+history\s+of(?:\s+[a-z]+)?",
           r"\b(?:hereditary|inherited)\s+(?:diseases?|conditions?|disorders?|illness\w*|risks?)\b",
           context=True),
)

_SEVERAL_RULES: tuple[Rule, ...] = (
    _flag(SEVERAL, "is subjective and tends to favour people who resemble the current team.",
          "name the values or behaviours that matter, e.g. 'gives and asks for direct feedback' or 'culture add'.",
          r"\bcultur(?:e|al)[- ](?:fit|match)\b",
          r"\bfits?\s+(?:in(?:to)?\s+)?(?:with\s+)?(?:our|the)\s+(?:team\s+|company\s+)?culture\b",
          r"\bfit\s+in\s+with\s+(?:the|our)\s+team\b", r"\b(?:beer|airport)\s+test\b"),
    _flag(SEVERAL, "asks for a photo, which shows race, sex, age and sometimes religion or disability.",
          "drop the photo; judge the CV and work samples.",
          r"\b(?:photo|photograph|headshot|picture|selfie)s?\s+(?:required|attached|mandatory|needed|must\s+be)\b",
          r"\b(?:with|include|including|attach|send|provide|submit|enclose|add|must\s+have|should\s+have)\s+"
          r"(?:a\s+|your\s+)?(?:recent\s+)?(?:photo|photograph|headshot|picture|selfie)s?\b(?!\s*(?:edit\w*"
          r"|shoot\w*|retouch\w*|portfolio|librar\w*|recognition|processing|manipulation|management))"),
    _flag(SEVERAL, "judges looks, which are a proxy for sex, race and age.",
          "drop it, or state a neutral standard such as 'follows the uniform policy'.",
          r"\bgood[- ]looking\b",
          r"\b(?:attractive|pleasing|pleasant|presentable)\s+(?:appearance|looks|physique|figure)\b",
          rf"\b{_MUST}\s+be\s+(?:attractive|pretty|beautiful|handsome)\b"),
)

RULES: tuple[Rule, ...] = (
    _AGE_RULES + _SEX_RULES + _GENDER_RULES + _RACE_RULES + _ETHNICITY_RULES + _RELIGION_RULES
    + _NATIONAL_ORIGIN_RULES + _DISABILITY_RULES + _PREGNANCY_RULES + _FAMILY_RULES + _ORIENTATION_RULES
    + _GENETIC_RULES + _SEVERAL_RULES
)

_MINIMUM_AGE_REASON = ("sets a minimum age. That is lawful only where a law requires it (e.g. serving "
                       "alcohol, driving, night work, or the general minimum working age).")
_MINIMUM_AGE_SUGGESTION = ("keep it only with its legal basis, e.g. 'must be 18 or older (state law for serving "
                           "alcohol)'; otherwise remove it.")
_UPPER_BOUND = re.compile(r"\b(?:under|below|younger|less|max\w*|at\s+most|up\s+to|or\s+younger)\b|<")
_NEGATED_UPPER = re.compile(r"\b(?:no|not|nobody|no-?one|none)\s+(?:[a-z]+\s+)?(?:under|below|younger)\b")


# ---------------------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------------------

def _is_minimum_age(matched: str) -> bool:
    """True for a single lower bound between 14 and 21 years, e.g. 'must be 18 or older'."""
    numbers = [int(n) for n in re.findall(r"\d+", matched)]
    if len(numbers) != 1 or not 14 <= numbers[0] <= 21:
        return False
    return not _UPPER_BOUND.search(matched) or bool(_NEGATED_UPPER.search(matched))


def _in_context(text: str, m: re.Match[str]) -> bool:
    """True when the match describes work with or for a group rather than a condition on candidates."""
    before = text[max(0, m.start() - _CONTEXT_WINDOW):m.start()]
    return bool(_CONTEXT.search(before) or _SERVICE_AFTER.match(text, m.end()))


def _first_match(rule: Rule, text: str) -> str | None:
    if rule.unless is not None and rule.unless.search(text):
        return None
    for m in rule.pattern.finditer(text):
        if rule.skip_in_context and _in_context(text, m):
            continue
        matched = m.group(0).strip(" ,;:(")
        if matched:
            return matched
    return None


def _hit(rule: Rule, matched: str) -> Hit:
    if rule.minimum_age and _is_minimum_age(matched):
        return Hit("flagged", rule.category, matched, _MINIMUM_AGE_REASON, _MINIMUM_AGE_SUGGESTION)
    return Hit(rule.status, rule.category, matched, rule.reason, rule.suggestion)


def _explain(hit: Hit) -> str:
    law = LAWS.get(hit.category, "")
    label = "several protected characteristics" if hit.category == SEVERAL else hit.category
    if hit.status == "blocked":
        return f'Blocked ({label}): "{hit.matched}" {hit.reason} {law} {BLOCKED_ADVICE}'
    return f'Needs review ({label}): "{hit.matched}" {hit.reason} {law} Suggested rewording: {hit.suggestion}'


def find_hits(text: str) -> list[Hit]:
    """Every rule that matches ``text``, in rule order (one hit per rule)."""
    norm = normalise(text)
    hits: list[Hit] = []
    for rule in RULES:
        matched = _first_match(rule, norm)
        if matched is not None:
            hits.append(_hit(rule, matched))
    return hits


def check_text(text: str) -> PolicyCheck:
    """Classify a free-text qualification, requirement or search filter as ok, flagged or blocked."""
    hits = find_hits(text or "")
    if not hits:
        return PolicyCheck()
    best = next((h for h in hits if h.status == "blocked"), hits[0])
    return PolicyCheck(status=best.status, category=best.category, explanation=_explain(best), matched=best.matched)


def check_qualification(q: QualificationSpec) -> QualificationSpec:
    """A copy of ``q`` with its ``policy`` set from its text."""
    return q.model_copy(update={"policy": check_text(q.text)})


def check_all(qs: list[QualificationSpec]) -> list[QualificationSpec]:
    """:func:`check_qualification` for each qualification, in order."""
    return [check_qualification(q) for q in qs]
