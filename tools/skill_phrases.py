"""Skill phrases from the ESCO skill vocabulary, found in job text.

ESCO (the European Skills, Competences, Qualifications and Occupations classification, version 1.1.0) names
about 14,000 skills by a preferred English label: knowledge ("molecular biology", "cloud technologies"),
skills written as a verb and its object ("solve problems", "work in teams", "lead a team") and languages
("German"). The labels ship in ``tools/taxonomy_data/esco_skills_en.txt``.

A label matches text as a phrase of whole words compared by a crude stem, so that inflected forms match
("leading a team" → "lead a team", "cooperating with colleagues" → "cooperate with colleagues",
"cloud technology" → "cloud technologies"); articles do not count ("working in a team" → "work in teams").
A short table (:data:`PHRASE_ALIASES`) maps common job-ad wordings to the label ESCO prefers ("team player" →
"work in teams"), and a skill named as the "management", "development" or "maintenance" of something also matches
the label written as the verb and its object ("budget management" → "manage budgets") when ESCO has it.

Precision guards:

* a one-word label written with a capital ("German", "NoSQL", "LESS") matches only when the text writes it with
  that capital or all in capitals: "less" and "english breakfast tea" are not a skill;
* a one-word label in lower case matches the word in lower case or capitalised (not an all-capitals acronym),
  unless it is an everyday word with another sense in job ads (:data:`EVERYDAY_WORDS`: "plan", "history",
  "energy", "database", "surgery" of a clinic);
* a word ending in "-ing" directly followed by "to" is a verb, not a skill ("reporting to the Head of Sales").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tools.taxonomy_build import TAXONOMY_FILE

ESCO_LABELS_FILE = Path(TAXONOMY_FILE).with_name("esco_skills_en.txt")
MAX_PHRASE_TOKENS = 8
ARTICLES = frozenset({"a", "an", "the"})
# One-word lower-case labels that are everyday words in job ads, or name a different thing there.
EVERYDAY_WORDS = frozenset({
    "plan", "sing", "swim", "improvise", "energy", "history", "hair", "dies", "migration", "prayer", "protein",
    "consultation", "logic", "literature", "database", "morality", "ethics", "politics", "terminology",
    "spelling", "pregnancy", "obesity", "autism", "allergies", "medicines", "cameras", "sensors", "algorithms",
    "wildlife", "football", "golf", "tennis", "ski", "boxing", "yoga", "bristles", "beeswax", "graphite",
    "explosives", "gemstones", "petroleum", "blueprints", "patents", "trademarks", "securities", "similitude",
    "reflexion", "crafting", "betting", "electricity", "lasers", "radars", "adhesives", "surgery", "grammar",
    "morphology", "semantics", "typology", "coining", "silvering", "livestock", "rehabilitation", "ecosystems",
    "contraindications", "analgesics", "pesticides", "herbicides", "refrigerants", "oxidation", "camouflage",
    "lactation", "childbirth", "transplantation", "resuscitation", "defibrillation", "intubation", "olfaction",
    "periodisation", "electroform", "electromagnets", "semiconductors", "microprocessors", "torah", "quran",
    "spiritualism", "occultism", "astrology", "numerology", "reiki", "foreclosure", "repossession", "depreciation",
    "reinsurance", "polymerisation", "alkylation", "bioleaching",
})
# How job ads commonly word a skill that ESCO names otherwise (ESCO's alternative wordings), → its preferred label.
PHRASE_ALIASES: dict[str, str] = {
    "teamwork": "work in teams", "team player": "work in teams", "team work": "work in teams",
    "communication skills": "communication", "communicator": "communication",
    "attention to detail": "attend to detail", "detail oriented": "attend to detail",
    "detail-oriented": "attend to detail", "problem solving": "solve problems", "problem-solving": "solve problems",
    "problem solver": "solve problems", "stakeholder management": "manage relationships with stakeholders",
    "time management": "manage time", "self-motivated": "show initiative", "proactive": "think proactively",
    "analytical skills": "think analytically", "analytical thinking": "think analytically",
    "creative thinking": "think creatively", "creativity": "think creatively", "agile": "Agile development",
    "budget management": "manage budgets", "budgeting": "manage budgets", "work autonomously": "work independently",
    "team leadership": "lead a team", "leading teams": "lead a team",
    "cloud": "cloud technologies", "cloud computing": "cloud technologies",
    "open source": "operate open source software", "open-source": "operate open source software",
    "e-commerce": "e-commerce systems",
}
# Nouns naming the act on an object, and the verb ESCO writes that act with ("budget management" → "manage").
NOMINAL_VERBS = {"management": "manage", "development": "develop", "maintenance": "maintain"}
_TOKEN_RE = re.compile(r"[^\W_](?:[\w+#.'-]*[\w+#])?")
_VERB_TO_RE = re.compile(r"\s+to\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """An ESCO label found in text at ``text[start:end]``."""

    label: str
    start: int
    end: int


def stem(word: str) -> str:
    """A crude stem that inflected forms share: "solving", "solves", "solve" → "solv"; "teams" → "team"."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        rest = w[:-len(suffix)]
        if w.endswith(suffix) and len(rest) >= 3 and re.search(r"[aeiouy]", rest):
            w = rest
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":  # planning → plan, running → run
                w = w[:-1]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def phrase_key(words: list[str]) -> str:
    """The stemmed words, articles left out ("working in a team" and "work in teams" share "work in team")."""
    return " ".join(stem(w) for w in words if w.lower() not in ARTICLES)


class PhraseIndex:
    """The ESCO labels keyed by their stemmed words; one-word labels with a capital kept apart (case matters)."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.phrases: dict[str, str] = {}  # stemmed words -> label (several words, or a lower-case word)
        self.capitalised: dict[str, str] = {}  # the word as written -> label ("German", "NoSQL")
        self.by_name: dict[str, str] = {}  # folded stemmed words -> label, for look-up by name
        # the words of labels written in lower case: plain English words ("pricing", "maintenance"), no product names
        self.plain_words = frozenset(w for label in labels if label == label.lower()
                                     for w in label.split() if w.isalpha())
        for label in labels:
            words = _TOKEN_RE.findall(label)
            if not words:
                continue
            key = phrase_key(words)
            self.by_name.setdefault(key, label)
            if len(words) == 1 and label != label.lower():
                if len(label) > 1:
                    self.capitalised.setdefault(words[0], label)
                continue
            if len(words) > 1 or label not in EVERYDAY_WORDS:
                self.phrases.setdefault(key, label)
        for alias, label in PHRASE_ALIASES.items():
            self.phrases.setdefault(phrase_key(_TOKEN_RE.findall(alias)), label)
        self.verbs = _verbs(labels)

    def is_verb_phrase(self, phrase: str) -> bool:
        """Whether a label or phrase reads as a duty, a verb and its object ("lead a team", "managing crews",
        "troubleshoot"), not as the name of a skill ("civil engineering", "first aid")."""
        words = _TOKEN_RE.findall(phrase)
        if not words or not words[0].isalpha() or stem(words[0]) not in self.verbs:
            return False
        gerund_head = words[-1].lower().endswith("ing") and (len(words) == 1 or not words[0].lower().endswith("ing"))
        return not gerund_head  # 'welding', 'report writing' name a skill

    def lookup(self, name: str) -> str | None:
        """The ESCO label a skill name stands for ("Cloud Technologies" → "cloud technologies"), or None."""
        words = _TOKEN_RE.findall(name)
        return self.by_name.get(phrase_key(words)) if words else None

    def find(self, text: str) -> list[PhraseMatch]:
        """ESCO labels in ``text``, longest first, non-overlapping, in order."""
        toks = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)
                if m.group().lower() not in ARTICLES]
        stems = [stem(t) for t, _, _ in toks]
        found: list[PhraseMatch] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(text, toks, stems, i)
            if hit:
                found.append(hit[0])
                i += hit[1]
            else:
                i += 1
        return found

    def _match_at(self, text: str, toks: list[tuple[str, int, int]], stems: list[str],
                  i: int) -> tuple[PhraseMatch, int] | None:
        for n in range(min(MAX_PHRASE_TOKENS, len(toks) - i), 0, -1):
            start, end = toks[i][1], toks[i + n - 1][2]
            label = self.phrases.get(" ".join(stems[i:i + n]))
            if n == 1:
                word = toks[i][0]
                plain = word.islower() or word.istitle()  # "cloud", "Cloud"; not "CLOUD" (an acronym)
                label = self.capitalised.get(word) or self._upper(word) or (label if plain else None)
                if label and word.lower().endswith("ing") and _VERB_TO_RE.match(text, end):
                    label = None
            last = toks[i + n - 1][0].lower()
            if label is None and n > 1 and last in NOMINAL_VERBS:  # "wind turbine maintenance" → "maintain ..."
                label = self.phrases.get(" ".join([stem(NOMINAL_VERBS[last]), *stems[i:i + n - 1]]))
            if label:
                return PhraseMatch(label, start, end), n
        return None

    def _upper(self, word: str) -> str | None:
        """An all-capitals word matches the capitalised label it spells ("SASS" → "Sass")."""
        if not word.isupper() or len(word) < 2:
            return None
        for candidate in (word.capitalize(), word):
            label = self.capitalised.get(candidate)
            if label:
                return label
        return None


_NOT_VERBS = frozenset({"blockchain", "literary", "modern", "synthetic", "variety", "european"})


def _verbs(labels: list[str]) -> frozenset[str]:
    """Stems of the verbs ESCO skill labels start with: a lower-case word that begins at least three labels and
    stands elsewhere in a label less than a quarter as often ("manage", "lead", "teach"; not "civil", "machine")."""
    first: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for label in labels:
        words = label.split()
        if not words:
            continue
        first[words[0]] += 1
        elsewhere.update(words[1:])
    return frozenset(stem(w) for w, n in first.items()
                     if w.isalpha() and w.islower() and w not in _NOT_VERBS and n >= 3 and n >= 4 * elsewhere[w])


@cache
def esco_index(path: Path = ESCO_LABELS_FILE) -> PhraseIndex:
    """The shipped ESCO label vocabulary (cached per process)."""
    labels = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return PhraseIndex(labels)
