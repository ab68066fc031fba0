"""Facet columns beside the vectors (one numpy array per facet) and the masks that facets and tenancy make of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from tools.search.types import Facets
from tools.taxonomy import SENIORITY_LEVELS

_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()

MaskFn = Callable[["FacetColumns"], np.ndarray]

COLUMN_DTYPES: dict[str, Any] = {
    "country": np.dtype("<U2"), "metro": np.dtype("<U7"), "years": np.dtype(np.float32),
    "seniority": np.dtype(np.int8), "open_to_work": np.dtype(bool), "updated_day": np.dtype(np.int32),
    "organisation": np.dtype(np.int64),
}
_COLUMN_FILL: dict[str, Any] = {"country": "", "metro": "", "years": np.nan, "seniority": -1, "open_to_work": False,
                                "updated_day": 0, "organisation": 0}


@dataclass
class FacetColumns:
    """Facet values, one entry per vector."""

    country: np.ndarray  # '<U2' ISO code, '' if unknown
    metro: np.ndarray  # '<U7' BLS metro code, '' if none
    years: np.ndarray  # float32 years of experience, nan if unknown
    seniority: np.ndarray  # int8 index into SENIORITY_LEVELS, -1 unknown
    open_to_work: np.ndarray  # bool
    updated_day: np.ndarray  # int32 days since 1970-01-01
    organisation: np.ndarray  # int64: 0 = network member, else the organisation whose applicant this is

    def __len__(self) -> int:
        return len(self.organisation)

    def columns(self) -> Iterator[tuple[str, np.ndarray]]:
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def take(self, rows: np.ndarray | slice) -> FacetColumns:
        return FacetColumns(**{name: col[rows] for name, col in self.columns()})

    def coerced(self, n: int) -> FacetColumns:
        """These columns with the index's dtypes, each checked to hold ``n`` entries."""
        out = {}
        for name, col in self.columns():
            arr = np.asarray(col)
            if arr.shape != (n,):
                raise ValueError(f"facet column {name} has shape {arr.shape}, expected ({n},)")
            want = COLUMN_DTYPES[name]
            if name in ("country", "metro") and arr.dtype != want:
                values = ["" if v is None else str(v) for v in arr.tolist()]
                too_long = [v for v in values if len(v) > want.itemsize // 4]
                if too_long:
                    raise ValueError(f"facet column {name} holds values longer than {want}: {too_long[:3]}")
                arr = np.array(values, dtype=want)
            if name == "country" and n and not np.char.isupper(arr[arr != ""]).all():
                arr = np.char.upper(arr).astype(want)
            out[name] = arr.astype(want, copy=False)
        return FacetColumns(**out)

    @classmethod
    def empty(cls, n: int = 0) -> FacetColumns:
        return cls(**{name: np.full(n, _COLUMN_FILL[name], dtype=dt) for name, dt in COLUMN_DTYPES.items()})

    @classmethod
    def concat(cls, parts: list[FacetColumns]) -> FacetColumns:
        if not parts:
            return cls.empty()
        return cls(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in COLUMN_DTYPES})


def day_number(date: Any) -> int:
    """Days since 1970-01-01 of a date or datetime."""
    return int(date.toordinal() - _EPOCH_ORDINAL)


def facet_columns_of(rows: Sequence[Any]) -> FacetColumns:
    """Facet columns of profile rows (``country, metro_code, years_experience, seniority, open_to_work,
    updated_at, organisation_id``). Years stay float64, as SQL compares them (a float32 5.1 is below a facet's
    5.1); the vector index casts them to its own dtype."""

    def day(value: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return day_number(value)

    return FacetColumns(
        country=np.array([r.country or "" for r in rows], dtype="<U2"),
        metro=np.array([r.metro_code or "" for r in rows], dtype="<U7"),
        years=np.array([np.nan if r.years_experience is None else r.years_experience for r in rows], dtype=np.float64),
        seniority=np.array([SENIORITY_LEVELS.index(r.seniority) if r.seniority in SENIORITY_LEVELS else -1
                            for r in rows], dtype=np.int8),
        open_to_work=np.array([bool(r.open_to_work) for r in rows], dtype=bool),
        updated_day=np.array([day(r.updated_at) for r in rows], dtype=np.int32),
        organisation=np.array([r.organisation_id or 0 for r in rows], dtype=np.int64),
    )


def _eq_any(column: np.ndarray, values: list[Any]) -> np.ndarray:
    """``column`` equals one of ``values``; 2-character codes compare as 8-byte integers (fast)."""
    if column.dtype == np.dtype("<U2") and column.flags.c_contiguous and column.size:
        keys = np.array(values, dtype="<U2").view(np.uint64)
        column = column.view(np.uint64)
        values = keys.tolist()
    if len(values) <= 4:
        out = column == values[0]
        for v in values[1:]:
            out |= column == v
        return out
    return np.isin(column, values)


@dataclass(frozen=True)
class FacetFilter:
    """A mask function for facets and the tenancy rule: network members (organisation 0) plus the applicants of
    ``organisation_id``; ``facets.pool`` narrows to one of the two. The rules of the keyword side
    (``tools.search.keyword.facet_sql``). Being data, not just a function, the Chroma store can translate it
    to a ``where`` filter."""

    facets: Facets
    organisation_id: int | None

    def __call__(self, cols: FacetColumns) -> np.ndarray:
        facets, org = self.facets, self.organisation_id or None
        orgs = cols.organisation
        if facets.pool == "network" or (org is None and facets.pool == "all"):
            m = orgs == 0
        elif facets.pool == "applicants":
            m = orgs == org if org is not None else np.zeros(len(orgs), dtype=bool)
        else:
            m = (orgs == 0) | (orgs == org)
        if facets.country:
            m &= _eq_any(cols.country, facets.country)
        if facets.metro:
            m &= _eq_any(cols.metro, facets.metro)
        if facets.years_min is not None:
            m &= cols.years >= facets.years_min  # nan compares False: unknown years never pass a years facet
        if facets.years_max is not None:
            m &= cols.years <= facets.years_max
        if facets.seniority:
            m &= _eq_any(cols.seniority, [SENIORITY_LEVELS.index(s) for s in facets.seniority])
        if facets.open_to_work is not None:
            m &= cols.open_to_work == facets.open_to_work
        if facets.updated_since is not None:
            m &= cols.updated_day >= day_number(facets.updated_since)
        return m


def facet_filter(facets: Facets | None, organisation_id: int | None) -> FacetFilter:
    """The mask function of these facets and tenancy (see :class:`FacetFilter`)."""
    return FacetFilter(facets or Facets(), organisation_id)

