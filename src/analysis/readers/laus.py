"""BLS LAUS county annual averages.

laucntYY.txt (the April 2018 re-issue, 2010-2017): fixed-width text, title and
header lines, then one line per county starting with 'CN' (LAUS code, state
FIPS, county FIPS, 'Name, ST', year, labor force, employed, unemployed with
thousands separators, unemployment rate), then a footer. It uses 2015 county
codes, includes Puerto Rico's municipios and has no line for Kalawao County, HI
(15005).

laucntYY.xlsx (the April 2023 re-issue, 2018-2022, as copied: the title rows
deleted): a header row (Code, Code, Code, Name, Year, blank, Labor_Force,
Employed, Unemployed, (%)), one row per county, a footer. From 2020 Alaska's
Valdez-Cordova (02261) appears as its two parts, put back together here from
the counts (counties.REUNITED); Connecticut keeps its 8 counties.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import SUM, drop_territories, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, read_sheet, require_columns

LINE = re.compile(
    r"^(?P<code>CN\d{13})\s+(?P<state>\d{2})\s+(?P<county>\d{3})\s+(?P<name>.+?)\s{2,}"
    r"(?P<year>\d{4})\s+(?P<labor_force>\S+)\s+(?P<employed>\S+)\s+(?P<unemployed>\S+)"
    r"\s+(?P<rate>\S+)\s*$"
)
NOT_AVAILABLE = ["N.A.", "NA", "-"]


def read(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    rows = []
    with open(path, encoding="latin-1") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.startswith("CN"):
                continue
            match = LINE.match(line.rstrip("\r\n"))
            if not match:
                raise SourceFormatError(
                    path, f"line {number} does not have the LAUS county layout: {line.strip()!r}"
                )
            rows.append({**match.groupdict(), "_row": number})
    if not rows:
        raise SourceFormatError(path, "no county lines (lines starting with 'CN')")
    raw = account.read(pd.DataFrame(rows))
    raw["fips"] = raw["state"] + raw["county"]
    years = set(raw["year"])
    if years != {str(year)}:
        raise SourceFormatError(path, f"expected data for {year}, found years {sorted(years)}")
    raw = drop_territories(raw, account, "state")
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "year": year,
            "labor_force": numeric(
                raw, "labor_force", path, thousands=True, missing_tokens=NOT_AVAILABLE
            ),
            "unemployed": numeric(
                raw, "unemployed", path, thousands=True, missing_tokens=NOT_AVAILABLE
            ),
            "unemployment_pct": numeric(raw, "rate", path, missing_tokens=NOT_AVAILABLE),
        }
    )
    return account.keep(frame)


def rate_from_counts(new: pd.Series, old: pd.Series) -> float:
    """The unemployment rate of two areas together, from their counts, to the one
    decimal BLS publishes."""
    unemployed = new["unemployed"] + old["unemployed"]
    return float(round(100 * unemployed / (new["labor_force"] + old["labor_force"]), 1))


# How a split county's parts combine (counties.REUNITED): counts add up, the rate is
# recomputed from them.
COMBINE = {"labor_force": SUM, "unemployed": SUM, "unemployment_pct": rate_from_counts}
XLSX_COLUMNS = {"Labor_Force": "labor_force", "Unemployed": "unemployed", "(%)": "rate"}


def read_xlsx(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    sheet = read_sheet(path)
    starts = sheet.index[sheet[0].fillna("").str.strip().eq("Code")]
    if len(starts) == 0:
        raise SourceFormatError(path, "no header row starting with 'Code'")
    header = starts[0]
    names = [str(c).strip() for c in sheet.iloc[header]]
    if names[:3] != ["Code", "Code", "Code"]:
        raise SourceFormatError(path, f"expected the columns Code, Code, Code first; found {names}")
    # The three 'Code' columns are the LAUS code, the state and the county FIPS.
    names[1:3] = ["state", "county"]
    raw = sheet.iloc[header + 1 :].reset_index(drop=True)
    raw.columns = names
    raw["_row"] = raw.index + header + 2  # spreadsheet row numbers, 1-based
    account.read(raw)
    require_columns(raw, ["Code", "Year", *XLSX_COLUMNS], path)
    raw = account.drop(
        raw,
        ~raw["Code"].fillna("").str.startswith("CN"),
        "footer or blank row (no LAUS county code)",
        key="_row",
    )
    years = set(raw["Year"].str.strip())
    if years != {str(year)}:
        raise SourceFormatError(path, f"expected data for {year}, found years {sorted(years)}")
    raw = drop_territories(raw, account, "state", key="_row")
    frame = pd.DataFrame(
        {
            "fips": raw["state"].str.strip() + raw["county"].str.strip(),
            "year": year,
            "labor_force": numeric(raw, "Labor_Force", path, missing_tokens=NOT_AVAILABLE),
            "unemployed": numeric(raw, "Unemployed", path, missing_tokens=NOT_AVAILABLE),
            "unemployment_pct": numeric(raw, "(%)", path, missing_tokens=NOT_AVAILABLE),
        }
    )
    return account.keep(to_2015_boundaries(frame, account, COMBINE))
