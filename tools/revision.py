"""Revising approved qualifications: typed edits, the classical rule that writes them, and applying them.

Both brains answer a revise step with :class:`RevisionEdits` (the classical one through
:func:`classical_edits`, the LLM through structured output); :func:`apply_edits` turns either into the
revised list with each change described for the recruiter, ignores edits whose index is out of range or
repeated, and runs the policy check again. No usable edit means the target names no qualification.

The classical rule: a qualification is named when every word of the target (less filler words) appears in its
sentence, skills or titles. drop / remove / delete removes it; tighten / require / mandatory / must makes a
nice-to-have a must-have; any other instruction makes a must-have nice to have and halves a nice-to-have's
weight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from tools.hiring import PolicyCheck, QualificationSpec
from tools.policy import check_all

EditAction = Literal["remove", "require", "loosen", "reweight", "add"]

_FILLER = frozenset({"the", "a", "an", "requirement", "qualification", "must", "have", "make", "it", "to"})
_REMOVE = re.compile(r"\b(drop|remove|delete)\b")
_TIGHTEN = re.compile(r"\b(tighten|require|mandatory|must)\b")


class QualificationEdit(BaseModel):
    """One change to the approved qualifications."""

    action: EditAction = Field(description="remove: drop the qualification; require: make it a must-have; "
                               "loosen: make a must-have nice to have; reweight: give it `weight`; "
                               "add: a new qualification given in `qualification`.")
    index: int | None = Field(default=None, description="Index of the qualification changed, in the list given; "
                              "empty for add.")
    weight: float | None = Field(default=None, ge=0, le=5, description="The new weight, for reweight only.")
    qualification: QualificationSpec | None = Field(default=None, description="The new qualification, for add "
                                                    "only. Leave its `policy` at the default and `id` empty.")


class RevisionEdits(BaseModel):
    """The edits a recruiter's instruction asks for; none when it names no qualification."""

    edits: list[QualificationEdit] = Field(default_factory=list, description="The changes, in order; empty when "
                                           "the instruction names no qualification in the list.")


class Revision(BaseModel):
    """The revised qualifications (policy checked) and the changes in the recruiter's words."""

    qualifications: list[QualificationSpec]
    changes: list[str] = Field(description="One line per change, e.g. '“Hands-on Kubernetes” is now nice to have'.")


class NoSuchQualification(BaseModel):
    """The target names none of the qualifications."""

    target: str | None
    current: list[str] = Field(description="The qualification sentences there are.")

    @property
    def message(self) -> str:
        return f"No qualification mentions “{self.target}”. Current: " + "; ".join(self.current)


def named(quals: Sequence[QualificationSpec], target: str | None) -> list[int]:
    """Indices of the qualifications whose sentence, skills or titles hold every word of ``target``."""
    words = [w for w in re.findall(r"[\w+#.]+", (target or "").lower()) if w not in _FILLER]
    if not words:
        return []
    hits = []
    for i, q in enumerate(quals):
        hay = " ".join([q.text, *q.skills, *q.titles]).lower()
        if all(w in hay for w in words):
            hits.append(i)
    return hits


def classical_edits(quals: Sequence[QualificationSpec], instruction: str, target: str | None) -> RevisionEdits:
    """The classical rule's edits for an instruction about the qualifications ``target`` names."""
    text = instruction.lower()
    edits = []
    for i in named(quals, target):
        q = quals[i]
        if _REMOVE.search(text):
            edits.append(QualificationEdit(action="remove", index=i))
        elif _TIGHTEN.search(text) and q.kind == "nice":
            edits.append(QualificationEdit(action="require", index=i))
        elif q.kind == "must":
            edits.append(QualificationEdit(action="loosen", index=i))
        else:
            edits.append(QualificationEdit(action="reweight", index=i, weight=round(q.weight / 2, 2)))
    return RevisionEdits(edits=edits)


def apply_edits(quals: Sequence[QualificationSpec], edits: RevisionEdits,
                target: str | None) -> Revision | NoSuchQualification:
    """The qualifications with the edits applied and policy checked. Edits that point at no qualification, repeat
    one, miss what their action needs or change nothing are ignored; :class:`NoSuchQualification` when none is
    left."""
    revised: list[QualificationSpec | None] = list(quals)
    added: list[QualificationSpec] = []
    changes: list[str] = []
    touched: set[int] = set()
    for edit in edits.edits:
        if edit.action == "add":
            if edit.qualification is not None and edit.qualification.text.strip():
                new = edit.qualification.model_copy(update={"id": None, "policy": PolicyCheck()})
                added.append(new)
                changes.append(f"added “{new.text}”")
            continue
        i = edit.index
        if i is None or not 0 <= i < len(quals) or i in touched:
            continue
        q = quals[i]
        change = _changed(q, edit)
        if change is None:
            continue
        revised[i], line = change
        changes.append(line)
        touched.add(i)
    if not changes:
        return NoSuchQualification(target=target, current=[q.text for q in quals])
    return Revision(qualifications=check_all([q for q in revised if q is not None] + added), changes=changes)


def _changed(q: QualificationSpec, edit: QualificationEdit) -> tuple[QualificationSpec | None, str] | None:
    """(the qualification after the edit, None when removed; the change in words), or None when nothing changes."""
    if edit.action == "remove":
        return None, f"removed “{q.text}”"
    if edit.action == "require":
        if q.kind == "must":
            return None
        return q.model_copy(update={"kind": "must", "weight": 1.0, "id": None}), f"“{q.text}” is now a must-have"
    if edit.action == "loosen":
        if q.kind == "nice":
            return None
        return q.model_copy(update={"kind": "nice", "weight": 0.5, "id": None}), f"“{q.text}” is now nice to have"
    if edit.weight is None or edit.weight == q.weight:
        return None
    more = "more" if edit.weight > q.weight else "less"
    return q.model_copy(update={"weight": edit.weight, "id": None}), f"“{q.text}” weighs {more}"


def revise_qualifications(quals: Sequence[QualificationSpec], instruction: str,
                          target: str | None) -> Revision | NoSuchQualification:
    """The classical brain's revision: :func:`classical_edits` applied by :func:`apply_edits`."""
    return apply_edits(quals, classical_edits(quals, instruction, target), target)
