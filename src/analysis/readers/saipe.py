"""Census SAIPE county poverty and median household income.

The yearly Excel files (est10ALL.xls, est12all.xls, ...) open with title rows;
the header row starts with 'State FIPS' (row 3 in 2010 and 2012, row 4 later,
where row 3 holds group labels), and the columns are named slightly
differently across years ('Poverty Percent All Ages', 'Poverty Percent, All
Ages'). The US total and state rows come first with county code 0; 2010 has
note lines below the table. '.' marks a suppressed estimate (Kalawao County,
HI). 2010-2013 use the old codes 46113, 02270 and still list Bedford city, VA;
2020 on list Alaska's 02063 and 02066, put back together into 02261 here
(poverty from the counts, the median missing).

The compiled panel (Data4Democracy) is a long CSV fips, year, medianHI,
povertyR with FIPS stored as numbers; it is read for 2011 only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import MISSING, SUM, fips_from_parts, pad_fips, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, read_sheet, require_columns

SUPPRESSED = ["."]
WANTED = {
    "statefips": "state",
    "countyfips": "county",
    "povertyestimateallages": "poverty_count",
    "povertypercentallages": "poverty_pct",
    "medianhouseholdincome": "median_household_income",
}


def _key(label: object) -> str:
    """'Poverty Percent, All Ages' and 'Poverty Percent All Ages' -> 'povertypercentallages'."""
    key = re.sub(r"[^a-z0-9]", "", str(label).lower())
    return key.removesuffix("code")


def _rows(path: Path, account: FileAccount) -> pd.DataFrame:
    """The table under its 'State FIPS' header, every national, state and county row."""
    sheet = read_sheet(path)
    starts = sheet.index[sheet[0].fillna("").str.strip().str.startswith("State FIPS")]
    if len(starts) == 0:
        raise SourceFormatError(path, "no header row starting with 'State FIPS'")
    header = starts[0]
    raw = sheet.iloc[header + 1 :].reset_index(drop=True)
    raw.columns = [_key(c) for c in sheet.iloc[header]]
    raw = raw.loc[:, ~pd.Index(raw.columns).duplicated()]  # the CI columns repeat one name
    raw["_row"] = raw.index + header + 2  # spreadsheet row numbers, 1-based
    account.read(raw)
    require_columns(raw, WANTED, path)
    frame = raw.rename(columns=WANTED)
    return account.drop(
        frame,
        ~frame["state"].fillna("").str.fullmatch(r"\d{2}"),
        "note or blank line below the table",
        key="_row",
    )


def read_year(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    frame = _rows(path, account)
    county = numeric(frame, "county", path, required=True)
    frame = account.drop(frame, county == 0, "national or state total (county code 0)", key="state")
    frame = pd.DataFrame(
        {
            "fips": fips_from_parts(frame["state"], numeric(frame, "county", path)),
            "year": year,
            "poverty_count": numeric(frame, "poverty_count", path, missing_tokens=SUPPRESSED),
            "poverty_pct": numeric(frame, "poverty_pct", path, missing_tokens=SUPPRESSED),
            "median_household_income": numeric(
                frame, "median_household_income", path, missing_tokens=SUPPRESSED
            ),
        }
    )
    frame = to_2015_boundaries(
        frame,
        account,
        {
            "poverty_count": SUM,
            "poverty_pct": pooled_poverty_rate,
            "median_household_income": MISSING,
        },
    )
    return account.keep(frame).drop(columns="poverty_count")


def read_states(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    """The state rows (county code 0): state FIPS, year, poverty_pct, median_income."""
    frame = _rows(path, account)
    county = numeric(frame, "county", path, required=True)
    frame = account.drop(frame, county != 0, "a county row (the state panel reads states)",
                         list_rows=False)  # fmt: skip
    frame = account.drop(frame, frame["state"] == "00", "national total (state code 00)",
                         key="state")  # fmt: skip
    frame = pd.DataFrame(
        {
            "state_fips": frame["state"],
            "year": year,
            "poverty_pct": numeric(frame, "poverty_pct", path, missing_tokens=SUPPRESSED),
            "median_income": numeric(
                frame, "median_household_income", path, missing_tokens=SUPPRESSED
            ),
        }
    )
    return account.keep(frame)


def pooled_poverty_rate(new: pd.Series, old: pd.Series) -> float:
    """Poverty rate of two areas together, from each one's count and rate."""
    universe = new["poverty_count"] / new["poverty_pct"] + old["poverty_count"] / old["poverty_pct"]
    return float(np.round((new["poverty_count"] + old["poverty_count"]) / universe, 1))


def read_compiled(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    raw = account.read(pd.read_csv(path, dtype=str, keep_default_na=False))
    require_columns(raw, ["fips", "year", "medianHI", "povertyR"], path)
    raw["_row"] = raw.index + 2
    raw = account.drop(
        raw,
        raw["year"] != str(year),
        f"year other than {year} (the yearly SAIPE files cover those)",
        list_rows=False,
    )
    frame = pd.DataFrame(
        {
            "fips": pad_fips(raw["fips"]),
            "year": year,
            "poverty_pct": numeric(raw, "povertyR", path, missing_tokens=["NA"]),
            "median_household_income": numeric(raw, "medianHI", path, missing_tokens=["NA"]),
        }
    )
    # No counts here, so a merged county's combined rate is unknown.
    frame = to_2015_boundaries(
        frame, account, {"poverty_pct": MISSING, "median_household_income": MISSING}
    )
    return account.keep(frame)
