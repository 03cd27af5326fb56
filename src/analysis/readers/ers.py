"""USDA ERS county-level data sets, 2023 editions: the county figures of SAIPE and LAUS
that no Census or BLS file in the registry gives.

PovertyEstimates (Poverty2023.xlsx): SAIPE 2023 poverty (POVALL_2023 people in
poverty, PCTPOVALL_2023 percent) and median household income (MEDHHINC_2023).
Unemployment (Unemployment2023.xlsx): BLS LAUS 2000-2023 (Civilian_labor_force_YYYY,
Unemployed_YYYY, Unemployment_rate_YYYY) and SAIPE 2022 median household income
(Median_Household_Income_2022), the only 2022 county income found.

Both: title rows, then a header row starting with FIPS_Code; the US and state rows
(county code 000) first; Puerto Rico in the unemployment file. Rates are stored as
binary floats (4.1000000000000005), rounded here to the one decimal published.
Connecticut appears as its 9 planning regions wherever the underlying release used
them (2023 poverty and income, 2022 income): those rows are set aside and the 8
counties left missing (counties.CT_PLANNING_REGIONS). Alaska's 02063 and 02066 are
put back together into 02261 from the counts; a median cannot be, and is missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import MISSING, SUM, drop_territories, pad_fips, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, read_sheet, require_columns
from .laus import rate_from_counts
from .saipe import pooled_poverty_rate


def _table(path: Path, account: FileAccount, states: bool = False) -> pd.DataFrame:
    """The sheet under its FIPS_Code header row, county rows only (or, with `states`,
    the state rows only: county code 000, the national row set aside)."""
    sheet = read_sheet(path)
    starts = sheet.index[sheet[0].fillna("").str.strip().eq("FIPS_Code")]
    if len(starts) == 0:
        raise SourceFormatError(path, "no header row starting with 'FIPS_Code'")
    header = starts[0]
    raw = sheet.iloc[header + 1 :].reset_index(drop=True)
    raw.columns = [str(c).strip() for c in sheet.iloc[header]]
    raw["_row"] = raw.index + header + 2  # spreadsheet row numbers, 1-based
    account.read(raw)
    raw["fips"] = pad_fips(raw["FIPS_Code"].fillna("").str.strip())
    raw = account.drop(
        raw, ~raw["fips"].str.fullmatch(r"\d{5}"), "blank or note row (no FIPS code)", key="_row"
    )
    total = raw["fips"].str.endswith("000")
    if states:
        raw = account.drop(raw, ~total, "a county row (the state panel reads states)",
                           list_rows=False)  # fmt: skip
        raw = account.drop(raw, raw["fips"] == "00000", "national total (FIPS 00000)")
    else:
        raw = account.drop(raw, total, "national or state total (county code 000)")
    return drop_territories(raw.assign(state=raw["fips"].str[:2]), account, "state")


def read_poverty(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    raw = _table(path, account)
    wanted = [f"POVALL_{year}", f"PCTPOVALL_{year}", f"MEDHHINC_{year}"]
    require_columns(raw, wanted, path)
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "year": year,
            "poverty_count": numeric(raw, wanted[0], path),
            "poverty_pct": numeric(raw, wanted[1], path).round(1),
            "median_household_income": numeric(raw, wanted[2], path),
        }
    )
    rules = {
        "poverty_count": SUM,
        "poverty_pct": pooled_poverty_rate,
        "median_household_income": MISSING,
    }
    return account.keep(to_2015_boundaries(frame, account, rules)).drop(columns="poverty_count")


def read_unemployment(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    raw = _table(path, account)
    wanted = [f"Civilian_labor_force_{year}", f"Unemployed_{year}", f"Unemployment_rate_{year}"]
    require_columns(raw, wanted, path)
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "year": year,
            "labor_force": numeric(raw, wanted[0], path),
            "unemployed": numeric(raw, wanted[1], path),
            "unemployment_pct": numeric(raw, wanted[2], path).round(1),
        }
    )
    # The file keeps every year's columns: rows empty in `year` are areas of other years
    # (Connecticut's planning regions before 2024, Alaska's 02261 after 2019).
    rules = {"labor_force": SUM, "unemployed": SUM, "unemployment_pct": rate_from_counts}
    return account.keep(to_2015_boundaries(_only_filled(frame, account, year), account, rules))


def read_income(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    raw = _table(path, account)
    column = f"Median_Household_Income_{year}"
    require_columns(raw, [column], path)
    frame = pd.DataFrame(
        {"fips": raw["fips"], "year": year, "median_household_income": numeric(raw, column, path)}
    )
    frame = _only_filled(frame, account, year)
    return account.keep(to_2015_boundaries(frame, account, {"median_household_income": MISSING}))


def _only_filled(frame: pd.DataFrame, account: FileAccount, year: int) -> pd.DataFrame:
    values = frame.drop(columns=["fips", "year"])
    return account.drop(
        frame,
        values.isna().all(axis=1),
        f"no value for {year} (an area of another year's geography, or suppressed)",
    )


# --- state rows, for the state panel ------------------------------------------------


def read_state_unemployment(path: Path, account: FileAccount, years) -> pd.DataFrame:
    """State FIPS, year, unemployment_rate: the state rows' LAUS rates for `years`."""
    raw = _table(path, account, states=True)
    columns = [f"Unemployment_rate_{y}" for y in years]
    require_columns(raw, columns, path)
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "state_fips": raw["state"],
                    "year": y,
                    "unemployment_rate": numeric(raw, f"Unemployment_rate_{y}", path).round(1),
                }
            )
            for y in years
        ],
        ignore_index=True,
    )
    account.keep(raw)
    return frame


def read_state_poverty(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    """State FIPS, year, poverty_pct, median_income from the state rows."""
    raw = _table(path, account, states=True)
    wanted = [f"PCTPOVALL_{year}", f"MEDHHINC_{year}"]
    require_columns(raw, wanted, path)
    frame = pd.DataFrame(
        {
            "state_fips": raw["state"],
            "year": year,
            "poverty_pct": numeric(raw, wanted[0], path).round(1),
            "median_income": numeric(raw, wanted[1], path),
        }
    )
    return account.keep(frame)


def read_state_income(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    """State FIPS, year, median_income from the state rows."""
    raw = _table(path, account, states=True)
    column = f"Median_Household_Income_{year}"
    require_columns(raw, [column], path)
    frame = pd.DataFrame(
        {"state_fips": raw["state"], "year": year, "median_income": numeric(raw, column, path)}
    )
    return account.keep(frame)
