"""Skill extraction from job text, measured on the TECH and HOUSE skill-extraction benchmarks (ESCO 1.1.0 labels).

Each benchmark sentence is a line of a job ad; its gold skills are the ESCO preferred labels its annotators gave
its skill spans ("LABEL NOT PRESENT" and "UNDERSPECIFIED" are not skills and are dropped). The predictor is the
skill step of intake: the taxonomy's extractor (:meth:`tools.taxonomy.Taxonomy.extract_skills`) filtered by the
same rule intake applies (:func:`tools.requirements.skills.keep_mention`, no role, nothing skipped).

Two comparisons, both micro-averaged over the sentences' label sets:

* strict: a predicted skill's canonical name equals a gold ESCO label, case-insensitively;
* mapped: both sides normalised with the taxonomy (:meth:`Taxonomy.normalize_skill`; a predicted skill is already
  canonical) and compared case-insensitively. A gold label the taxonomy cannot normalise stays in the gold set
  (it counts as missed) and is counted as not expressible.

``coverage`` is the share of sentences with at least one gold skill where the extractor finds any skill.

Run ``python -m eval.skill_extraction [--data DIR] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tools.requirements.skills import keep_mention
from tools.taxonomy import Taxonomy, load

# the public data beside the checkout (../shared/data), or where HIRE_SHARED_DATA_DIR says
DEFAULT_DATA = Path(os.environ.get("HIRE_SHARED_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data"
                    ) / "skill_extraction"
SPLITS = {"tech": "tech_validation_annotations.csv", "house": "house_validation_annotations.csv"}
NOT_A_SKILL = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    gold: frozenset[str]  # ESCO preferred labels, as written


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def load_split(path: Path) -> list[Sentence]:
    """The benchmark's sentences, in file order, each with its distinct gold labels (possibly none)."""
    gold: dict[str, set[str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels = gold.setdefault(row["sentence"], set())
            label = row["label"].strip()
            if label and label not in NOT_A_SKILL:
                labels.add(label)
    return [Sentence(text, frozenset(labels)) for text, labels in gold.items()]


def predict(text: str, taxonomy: Taxonomy) -> list[str]:
    """The canonical skills intake keeps from one sentence, in order of first mention."""
    kept = [m.skill for m in taxonomy.extract_skills(text) if keep_mention(m, text, taxonomy, None, [])]
    return list(dict.fromkeys(kept))


def compare(predicted: Iterable[str], gold: Iterable[str]) -> Counts:
    """True/false positives and misses between two label sets, compared case-insensitively."""
    p = {s.casefold() for s in predicted}
    g = {s.casefold() for s in gold}
    return Counts(len(p & g), len(p - g), len(g - p))


def evaluate(sentences: list[Sentence], taxonomy: Taxonomy,
             predictor: Callable[[str, Taxonomy], list[str]] = predict) -> dict:
    """Strict and mapped precision/recall/F1, coverage, and how many gold labels the taxonomy cannot express."""
    strict = mapped = Counts()
    with_gold = found_any = 0
    gold_labels = unexpressible = 0
    for sentence in sentences:
        predicted = predictor(sentence.text, taxonomy)
        strict += compare(predicted, sentence.gold)
        normalised_gold = set()
        for label in sentence.gold:
            canonical = taxonomy.normalize_skill(label)
            unexpressible += canonical is None
            normalised_gold.add(canonical or label)
        mapped += compare({taxonomy.normalize_skill(s) or s for s in predicted}, normalised_gold)
        gold_labels += len(sentence.gold)
        if sentence.gold:
            with_gold += 1
            found_any += bool(predicted)
    return {
        "sentences": len(sentences), "sentences_with_gold": with_gold, "gold_labels": gold_labels,
        "strict": strict.scores(), "mapped": mapped.scores(),
        "gold_not_expressible": unexpressible,
        "coverage": round(found_any / with_gold, 4) if with_gold else 0.0,
    }


def run(data_dir: Path = DEFAULT_DATA, taxonomy: Taxonomy | None = None) -> dict[str, dict]:
    """Every validation split found in ``data_dir``, by name; a missing split is reported as missing."""
    taxonomy = taxonomy or load()
    report: dict[str, dict] = {}
    for name, file in SPLITS.items():
        path = data_dir / file
        report[name] = evaluate(load_split(path), taxonomy) if path.exists() else {"missing": str(path)}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the benchmark CSV files")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    report = run(args.data)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
