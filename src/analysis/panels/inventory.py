"""What the data hold, year by year: the tables a reader needs to judge the panels.

Read from the panels and from their build logs (data/processed/*.log.json), so the
figures here are the build's own: how many counties have each outcome in each year and
why the others have none; how much the BLS re-issue moved the later unemployment rates;
the geography rules (codes renamed, counties split or set aside); and for the cities,
how many agencies each year's FBI table lists, how many were placed, and why the others
were not.
"""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from ..core import paths
from .years import gap_reason


def _log(name: str) -> dict:
    return json.loads((paths.processed_dir() / f"{name}.log.json").read_text())


def county_years(panel: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Per outcome and year: the counties with a value, and why the rest have none (no
    source for the year, an optional source absent from this build, or the reasons the
    build log gives for single counties)."""
    missing, reasons = Counter(), {}
    for entry in _log("county_panel")["missing_values"]:
        missing[(entry["column"], entry["year"])] += entry["count"]
        reasons.setdefault((entry["column"], entry["year"]), []).append(entry["reason"])
    counts = panel.groupby("year")[outcomes].count()
    n_counties = panel["fips"].nunique()
    rows = []
    for outcome in outcomes:
        for year, have in counts[outcome].items():
            reason = gap_reason(outcome, int(year))
            logged = reasons.get((outcome, int(year)), [])
            if not reason and have == 0:
                reason = "an optional source (ICPSR) is not in this build"
            elif not reason and logged:
                more = f" (and {len(logged) - 1} more: the build log)" if len(logged) > 1 else ""
                reason = logged[0] + more
            rows.append(
                {
                    "outcome": outcome,
                    "year": int(year),
                    "counties": int(have),
                    "counties_missing": int(n_counties - have),
                    "logged_missing": missing.get((outcome, int(year)), 0),
                    "note": reason,
                }
            )
    return pd.DataFrame(rows)


def laus_revisions() -> pd.DataFrame:
    """Per year 2018-2022: how far the later BLS release behind ERS's 2023 edition moved
    the county unemployment rates of the April 2023 re-issue the panel uses."""
    return pd.DataFrame(_log("county_panel")["laus_revisions"])


def geography() -> pd.DataFrame:
    """Each geography rule the county panel applied, once, with the files it applied to
    and the rows it touched."""
    rules = pd.DataFrame(_log("county_panel")["geography"])
    rules["from"] = rules.get("from", pd.Series(dtype=object)).fillna("")
    rules["to"] = rules.get("to", pd.Series(dtype=object)).fillna("")
    grouped = rules.groupby(["rule", "from", "to", "why"], sort=False)
    files = ("file", lambda f: ", ".join(dict.fromkeys(f)))
    return grouped.agg(files=files, rows=("rows", "sum")).reset_index()


def city_agencies() -> pd.DataFrame:
    """Per year of the FBI's city table: agencies listed, kept (placed in a Census place
    and county), dropped, the dropped by reason, and the population of each."""
    rows = []
    for entry in _log("city_panel")["agencies"]:
        reasons = entry.get("dropped_by_reason", {})
        rows.append(
            {k: entry[k] for k in ("year", "agencies", "kept", "dropped")}
            | {f"dropped: {reason}": count for reason, count in reasons.items()}
            | {
                "population_kept": entry["population_kept"],
                "population_dropped": entry["population_dropped"],
            }
        )
    return pd.DataFrame(rows).fillna(0)


def city_unplaced() -> pd.DataFrame:
    """Every agency row of the city tables that was not placed, with its reason."""
    return pd.DataFrame(_log("city_panel")["unplaced"])


def cities_by_state(panel: pd.DataFrame) -> pd.DataFrame:
    """State x year: the cities each year's FBI table lists (0 where none)."""
    return panel.groupby(["state", "year"]).size().unstack(fill_value=0).sort_index()
