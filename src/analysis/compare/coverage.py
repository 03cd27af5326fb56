"""Crime-data coverage as a choice: `min_coverage=N` keeps a county's crime figures
for a year only where at least N % of its residents live in agencies that
reported all year.

Coverage by year:
- 2010, 2012, 2016 (ICPSR): the files' coverage indicator, COVIND;
- 2017: Kaplan's coverage indicator (the same measure), from Urban's earlier
  2017 file; New York City's five counties have none (their counts come from
  the NY Division of Criminal Justice Services, complete) and pass every cut;
- 2015: Urban gives only a quality flag: 1 New York City, 2 coverage at least
  80 %, 3 below 80 %. A cut at 80 or below keeps flags 1 and 2, which for cuts
  under 80 is stricter than asked (flag 3 counties between N and 80 cannot be
  told apart); a cut above 80 cannot be applied to 2015, whose crime figures
  are then left out.

Only the crime columns are blanked; every other outcome keeps all counties.
The dropped county-years are returned, so result rows can count them per group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError
from .choices import CRIME_OUTCOMES
from .groups import member_of

FLAG_ONLY_YEAR = 2015
FLAG_THRESHOLD = 80.0  # Urban's quality flag 2 means coverage >= 80 %
CRIME_VALUES = (*CRIME_OUTCOMES, "violent_crimes", "property_crimes")


def check_min_coverage(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnalysisError(f"min_coverage must be a percentage 0-100, not {value!r}") from None
    if not 0 <= number <= 100:
        raise AnalysisError(f"min_coverage must be a percentage 0-100, not {value!r}")
    return number


def passes(rows: pd.DataFrame, min_coverage: float) -> pd.Series:
    """True where a county-year's crime figures meet the cut (rows of any years)."""
    coverage = rows["crime_coverage"]
    quality = rows["crime_quality"]
    numeric = coverage >= min_coverage
    new_york_city = coverage.isna() & (quality == 1)
    flagged = rows["year"] == FLAG_ONLY_YEAR
    by_flag = quality.isin([1, 2]) & (min_coverage <= FLAG_THRESHOLD)
    return (numeric | new_york_city).where(~flagged, by_flag).fillna(False).astype(bool)


def apply_min_coverage(
    panel: pd.DataFrame, min_coverage: float | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel with crime blanked below the cut, the county-years blanked: fips, year,
    coverage). A county-year without crime figures is not counted as dropped."""
    empty = pd.DataFrame({"fips": [], "year": [], "crime_coverage": []})
    if min_coverage is None or min_coverage <= 0:  # every county-year covers 0 % or more
        return panel, empty
    has_crime = panel["total_crime_per_10k"].notna()
    below = has_crime & ~passes(panel, min_coverage)
    if not below.any():
        return panel, empty
    cut = panel.copy()
    cut.loc[below, [c for c in CRIME_VALUES if c in cut.columns]] = np.nan
    dropped = panel.loc[below, ["fips", "year", "crime_coverage"]].astype({"fips": str})
    return cut, dropped.reset_index(drop=True)


def flag_only_years(outcome: str, years, min_coverage: float | None) -> str:
    """Why a crime comparison in the flag-only year cannot take this cut ("" if it can)."""
    if min_coverage is None or min_coverage <= FLAG_THRESHOLD or outcome not in CRIME_OUTCOMES:
        return ""
    if FLAG_ONLY_YEAR not in set(years):
        return ""
    return (
        f"{FLAG_ONLY_YEAR} crime has only Urban's quality flag (coverage >= 80 % or not), so "
        f"min_coverage {min_coverage:g} cannot be applied to it. Use min_coverage 80 or "
        "less, or a year with a coverage figure: 2010, 2012, 2016 or 2017."
    )


def annotate(
    rows: list[dict], dropped: pd.DataFrame, groups, min_coverage: float | None, years
) -> None:
    """Add min_coverage, and the counties of each group it left out, to crime rows
    (for a panel method: the counties left out in any year, and the count per year)."""
    if min_coverage is None:
        return
    in_focal = member_of(dropped["fips"], groups.focal)
    in_comparison = member_of(dropped["fips"], groups.control)
    for row in rows:
        row["min_coverage"] = min_coverage
        if row["outcome"] not in CRIME_OUTCOMES:
            continue
        one_year = row.get("year") is not None
        row_years = [row["year"]] if one_year else sorted(years)
        in_years = dropped["year"].isin(row_years).to_numpy()
        cut = dropped[in_years]
        focal = dropped[in_years & in_focal]
        comparison = dropped[in_years & in_comparison]
        row["n_below_coverage_focal"] = focal["fips"].nunique()
        row["n_below_coverage_comparison"] = comparison["fips"].nunique()
        if one_year:
            counts = (
                f"{focal['fips'].nunique()} focal and {comparison['fips'].nunique()} comparison"
            )
        else:
            per_year = [
                f"{year}: {(focal['year'] == year).sum()}/{(comparison['year'] == year).sum()}"
                for year in row_years
                if (cut["year"] == year).any()
            ]
            counts = "(focal/comparison) " + ", ".join(per_year)
        left = f"min_coverage {min_coverage:g} left out counties below the cut: {counts}"
        if FLAG_ONLY_YEAR in row_years:
            left += (
                f" ({FLAG_ONLY_YEAR} is cut on Urban's flag: coverage >= 80 %)"
                if min_coverage <= FLAG_THRESHOLD
                else f" ({FLAG_ONLY_YEAR} has only Urban's >= 80 % flag, so a cut above 80 "
                "leaves out every 2015 county)"
            )
        row["note"] = "; ".join(n for n in (row.get("note", ""), left) if n)
