"""Build the state panel (data/processed/state_panel.parquet): one row per state and
year, 1979-2023, from the FBI's state estimates, with the state rows of the LAUS and
SAIPE files the county panel reads (analysis.panels.state_schema says what each column
means and where it comes from).

Rates are per 10,000 of the FBI's own population. A year the FBI marks (its caveats)
or that is not comparable (2021, NIBRS) keeps its values, with the reason in
`crime_caveat`; a value no source gives stays missing, with the reason in the log.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import paths
from ..core.atomic import write_parquet
from ..geo.regions import STATE_FIPS
from ..readers import ers, fbi_states, saipe
from ..sources.buildlog import BuildLog
from .state_schema import (
    CRIME_FILE,
    NIBRS_NOTE,
    NIBRS_YEAR,
    RAPE_REVISED_FROM,
    STATE_COLUMNS,
    STATE_LAUS_YEARS,
    STATE_YEARS,
    gap_reason,
    validate_state_panel,
)
from .units import STATE
from .years import ERS_INCOME_YEAR, ERS_POVERTY_YEAR, SAIPE_FILES

RATES = {
    "violent_per_10k": "violent_crimes",
    "violent_no_rape_per_10k": "violent_no_rape_crimes",
    "property_per_10k": "property_crimes",
}


def state_log_path() -> Path:
    return paths.processed_dir() / "state_panel.log.json"


def build_state_panel(raw_dir: Path | None = None, out: Path | None = None) -> pd.DataFrame:
    """Build the state panel from the verified raw files and write it."""
    started = time.perf_counter()
    out = out or STATE.panel_path()
    log = BuildLog("state_panel", raw_dir)
    crime = _crime(fbi_states.read(*log.open(CRIME_FILE)))
    economy = _economy(log)
    panel = crime.merge(economy, on=["state_fips", "year"], how="left", validate="1:1")
    for column in ("unemployment_rate", "poverty_pct", "median_income"):
        for year in sorted(set(STATE_YEARS) - set(panel.loc[panel[column].notna(), "year"])):
            states = panel.loc[panel["year"] == year, "state"].tolist()
            log.record_missing(column, year, states, gap_reason(column, year))
    panel = panel[list(STATE_COLUMNS)].sort_values(["state", "year"], ignore_index=True)
    validate_state_panel(panel)
    write_parquet(out, panel)
    log.sections["caveats"] = int(panel["crime_caveat"].notna().sum())
    log.sections["seconds"] = round(time.perf_counter() - started, 2)
    log.write(state_log_path(), outputs=[out])
    return panel


def _crime(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as the FBI gives them, rape in the definition its violent totals count,
    rates per 10,000 residents, and the year's caveat."""
    revised = frame["year"] >= RAPE_REVISED_FROM
    frame = frame.assign(
        state_fips=frame["state"].map(STATE_FIPS),
        rape=frame["rape_revised"].where(revised, frame["rape_legacy"]),
        rape_definition=np.where(revised, "revised", "legacy"),
        violent_no_rape_crimes=frame["murder"] + frame["robbery"] + frame["aggravated_assault"],
    )
    for rate, count in RATES.items():
        frame[rate] = 10_000 * frame[count] / frame["population"]
    frame["total_crime_per_10k"] = frame["violent_per_10k"] + frame["property_per_10k"]
    nibrs = frame["year"] == NIBRS_YEAR
    frame["crime_caveat"] = frame["caveat"].where(~nibrs, NIBRS_NOTE)
    return frame.drop(columns=["rape_legacy", "rape_revised", "caveat"])


def _economy(log: BuildLog) -> pd.DataFrame:
    """The state rows of LAUS (ERS's edition) and SAIPE, one row per state and year."""
    path, account = log.open("ers-unemployment-2023")
    parts = [ers.read_state_unemployment(path, account, STATE_LAUS_YEARS)]
    for year, file_id in SAIPE_FILES.items():
        path, account = log.open(file_id)
        parts.append(saipe.read_states(path, account, year))
    path, account = log.open("ers-poverty-2023")
    parts.append(ers.read_state_poverty(path, account, ERS_POVERTY_YEAR))
    path, account = log.open("ers-unemployment-2023")
    parts.append(ers.read_state_income(path, account, ERS_INCOME_YEAR))
    # One row per state and year: each file gives its own columns, missing elsewhere.
    keys = ["state_fips", "year"]
    return pd.concat(parts, ignore_index=True).groupby(keys, as_index=False).first()
