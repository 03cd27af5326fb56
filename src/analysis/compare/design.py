"""One year of a panel laid out for estimation: the focal and comparison units
(counties, or cities) in code order, and per outcome the sample that has every
value a method needs, with counts of the units dropped for a missing value.

Missing values drop a unit from that outcome only: `Design.sample` is called per
outcome, and the counts in each result row say how many units of each group were
left out and why. A city the FBI's table does not list that year is left out of
the year's comparison and counted (`n_absent_*`); a county always has a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError, ValidationError
from ..geo.regions import REGION_INDICATORS, region_indicator
from .groups import Groups

RESULT_COLUMNS = [
    "unit",
    "definition",
    "comparison",
    "focal_group",
    "year",
    "outcome",
    "method",
    "estimand",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "n_focal",
    "n_comparison",
    "n_dropped_focal",
    "n_dropped_comparison",
    "n_overlap_excluded",
    "weights",
    "covariates",
    "se_method",
    "note",
]


# The columns a reader's table of results shows (the CSV keeps them all).
SUMMARY_COLUMNS = [
    "outcome",
    "method",
    "weights",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "n_focal",
    "n_comparison",
    "note",
]


# Every method needs at least this many units with a value in each group.
MIN_PER_GROUP = 2


@dataclass
class Sample:
    """Complete cases for one outcome: arrays aligned on `ids`, the units' codes (sorted)."""

    outcome: str
    ids: np.ndarray
    treated: np.ndarray
    y: np.ndarray
    X: np.ndarray  # covariates, no constant column
    covariates: tuple[str, ...]
    weights: np.ndarray | None
    n_dropped_focal: int
    n_dropped_comparison: int
    drop_note: str = ""
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    units: str = "counties"  # how messages name the units

    @property
    def n_focal(self) -> int:
        return int(self.treated.sum())

    @property
    def n_comparison(self) -> int:
        return int(len(self.treated) - self.treated.sum())

    def require(self, minimum: int = MIN_PER_GROUP) -> None:
        if self.n_focal < minimum or self.n_comparison < minimum:
            raise EstimationError(
                f"too few {self.units} with a value for {self.outcome}: {self.n_focal} in the "
                f"focal group and {self.n_comparison} in the comparison group (need {minimum} "
                "in each)"
            )


class Design:
    """The focal and comparison counties' rows for one year (or, for a
    subset, the rows a mask keeps)."""

    def __init__(
        self,
        panel: pd.DataFrame,
        groups: Groups,
        year: int | None,
        _rows: pd.DataFrame | None = None,
        _absent: tuple[int, int] = (0, 0),
    ):
        self.groups, self.year = groups, year
        self.absent = _absent  # (focal, comparison) units without a row this year
        if _rows is None:
            _rows, self.absent = self._select(panel, groups, year)
        self.rows = _rows
        self.ids = _rows[groups.key].to_numpy(dtype=str)
        self.treated = np.isin(self.ids, groups.focal)
        self._columns: dict[str, np.ndarray] = {}
        self.memo: dict = {}  # results shared between outcomes (e.g. matches)

    @staticmethod
    def _select(
        panel: pd.DataFrame, groups: Groups, year: int | None
    ) -> tuple[pd.DataFrame, tuple[int, int]]:
        key, plural = groups.key, groups.unit.plural
        for col in (key, "year"):
            if col not in panel.columns:
                raise AnalysisError(
                    f"the panel has no {col!r} column (columns: "
                    f"{', '.join(map(str, panel.columns[:20]))}); is it the {groups.unit.name} "
                    "panel?"
                )
        rows = panel.loc[panel["year"] == year] if year is not None else panel
        ids = rows[key].to_numpy(dtype=str)
        unique = np.unique(ids)
        if len(unique) < len(ids):
            dupes = [f for f, n in zip(*np.unique(ids, return_counts=True)) if n > 1]
            raise ValidationError(
                f"the panel has more than one row per {groups.unit.singular} for {year}: "
                f"{', '.join(dupes[:5])}"
            )
        absent = []
        for label, members in (("focal", groups.focal), ("comparison", groups.control)):
            missing = np.setdiff1d(members, unique)
            if len(missing) and groups.unit.complete:
                raise ValidationError(
                    f"{len(missing)} {label} {plural} of {groups.definition!r} have no panel "
                    f"row for {year} (e.g. {', '.join(missing[:5])}): the definition and the "
                    f"panel do not cover the same {plural}"
                )
            absent.append(len(missing))
        keep = np.isin(ids, groups.focal) | np.isin(ids, groups.control)
        order = np.argsort(ids[keep], kind="stable")
        rows = rows.loc[keep].iloc[order].reset_index(drop=True)
        return rows.assign(**{key: ids[keep][order]}), (absent[0], absent[1])

    def subset(self, mask: np.ndarray) -> Design:
        return Design(
            None,
            self.groups,
            self.year,
            _rows=self.rows.loc[mask].reset_index(drop=True),
            _absent=self.absent,
        )

    def column(self, name: str) -> np.ndarray:
        """A panel column as floats (missing as NaN); log_population is derived."""
        if name not in self._columns:
            if name == "log_population":
                values = np.log(self.column("population"))
            elif name in REGION_INDICATORS:
                region = self.rows.get("census_region")
                if region is None:
                    raise AnalysisError(
                        f"covariate {name!r} is for cities: the {self.groups.unit.name} panel "
                        "has no census_region"
                    )
                values = region_indicator(region, name).to_numpy()
            else:
                if name not in self.rows.columns:
                    raise AnalysisError(
                        f"the panel has no column {name!r}, which this comparison needs"
                    )
                values = self.rows[name].to_numpy(dtype=float, na_value=np.nan)
            self._columns[name] = values
        return self._columns[name]

    def sample(
        self,
        outcome: str,
        covariates: tuple[str, ...] = (),
        weights: bool = False,
        extra: tuple[str, ...] = (),
    ) -> Sample:
        """Counties with the outcome, every covariate (and the population
        weight, and `extra` columns) present."""
        y = self.column(outcome)
        X = (
            np.column_stack([self.column(c) for c in covariates])
            if covariates
            else np.empty((len(y), 0))
        )
        outcome_ok = ~np.isnan(y)
        covariates_ok = ~np.isnan(X).any(axis=1)
        for name in (["population"] if weights else []) + list(extra):
            covariates_ok &= ~np.isnan(self.column(name))
        keep = outcome_ok & covariates_ok
        dropped_focal = int((self.treated & ~keep).sum())
        dropped_control = int((~self.treated & ~keep).sum())
        note = ""
        if dropped_focal or dropped_control:
            parts = [f"{int((~outcome_ok).sum())} without {outcome}"]
            if (outcome_ok & ~covariates_ok).any():
                parts.append(f"{int((outcome_ok & ~covariates_ok).sum())} without a covariate")
            note = (
                f"dropped {dropped_focal} focal and {dropped_control} comparison "
                f"{self.groups.unit.plural} for a missing value ({', '.join(parts)})"
            )
        return Sample(
            outcome=outcome,
            ids=self.ids[keep],
            treated=self.treated[keep],
            y=y[keep],
            X=X[keep],
            covariates=tuple(covariates),
            weights=self.column("population")[keep] if weights else None,
            n_dropped_focal=dropped_focal,
            n_dropped_comparison=dropped_control,
            drop_note=note,
            extra={name: self.column(name)[keep] for name in extra},
            units=self.groups.unit.plural,
        )

    def base_row(self, sample: Sample | None, outcome: str, method: str, **fields) -> dict:
        """The columns every result row carries."""
        row = {
            "unit": self.groups.unit.name,
            "definition": self.groups.definition,
            "comparison": self.groups.comparison,
            "focal_group": self.groups.focal_group,
            "year": self.year,
            "outcome": outcome,
            "method": method,
            "n_focal": sample.n_focal if sample else int(self.treated.sum()),
            "n_comparison": sample.n_comparison if sample else int((~self.treated).sum()),
            "n_dropped_focal": sample.n_dropped_focal if sample else 0,
            "n_dropped_comparison": sample.n_dropped_comparison if sample else 0,
            "n_overlap_excluded": self.groups.n_overlap_excluded,
        }
        row.update(fields)
        notes = [n for n in (row.get("note", ""), sample.drop_note if sample else "") if n]
        plural = self.groups.unit.plural
        if any(self.absent):
            row["n_absent_focal"], row["n_absent_comparison"] = self.absent
            notes.append(
                f"{self.absent[0]} focal and {self.absent[1]} comparison {plural} are not in "
                f"the FBI's city table for {self.year} (it lists agencies that reported all "
                "year) and are left out"
            )
        if self.groups.n_overlap_excluded:
            notes.append(
                f"{self.groups.n_overlap_excluded} {plural} marked cooperating are "
                f"also {self.groups.focal_group}; they count in the focal group only"
            )
        row["note"] = "; ".join(notes)
        return row

    def failed_row(
        self, sample: Sample | None, outcome: str, method: str, reason: object, **fields
    ) -> dict:
        """A row for a specification that cannot be estimated, saying why."""
        return self.base_row(sample, outcome, method, **fields, **not_estimated(reason))


def not_estimated(reason: object, *notes: str) -> dict:
    """The fields of a row that could not be estimated: no estimate, and the reason first
    in its note (then any other notes)."""
    missing = dict.fromkeys(["estimate", "std_error", "ci_low", "ci_high", "p_value"], np.nan)
    return {**missing, "note": "; ".join([f"not estimated: {reason}", *notes])}


def result_table(rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame: the shared columns first, then method-specific
    ones in the order they first appear."""
    extra: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in RESULT_COLUMNS:
                extra.setdefault(key, None)
    table = pd.DataFrame.from_records(rows, columns=[*RESULT_COLUMNS, *extra])
    table["year"] = table["year"].astype("Int64")
    if "relative_year" in table.columns:
        table["relative_year"] = table["relative_year"].astype("Int64")
    for col in (
        "n_focal",
        "n_comparison",
        "n_dropped_focal",
        "n_dropped_comparison",
        "n_overlap_excluded",
    ):
        table[col] = table[col].astype("Int64")
    for col in ("estimate", "std_error", "ci_low", "ci_high", "p_value"):
        table[col] = table[col].astype(float)
    return table


def year_design(panel: pd.DataFrame, groups: Groups, year: int | None, options) -> Design:
    """The design of the one-year methods: the focal and comparison units in `year`."""
    return Design(panel, groups, year)
