"""Urban Institute county crime rates (2015, 2017) and county population.

crimerate_county_2015_2017.csv: year, state, county, violent_crime_rate,
property_crime_rate (per 100,000 residents), crime_rate_quality (1 New York
City from NY DCJS, 2 coverage >= 80 %, 3 coverage < 80 %); empty cells where
Urban had no estimate. county-file.csv: year, state, county, state_name,
county_name, population (Census PEP, 2015-2018). Both use 2015 county codes.
crimerate_county_2017.csv (an earlier file of the series): the same 2017 rates
plus coverage_indicator_crime, Kaplan's county coverage indicator (0-100: 100
x (1 - sum of agency population share x share of months not reported));
empty for New York City's five counties, whose counts come from NY DCJS.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..geo.counties import fips_from_parts
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns


def _read_csv(path: Path, account: FileAccount, columns: list[str]) -> pd.DataFrame:
    raw = account.read(pd.read_csv(path, dtype=str, keep_default_na=False))
    require_columns(raw, columns, path)
    raw["_row"] = raw.index + 2  # line 1 is the header
    raw["fips"] = fips_from_parts(raw["state"], raw["county"])
    raw["year"] = numeric(raw, "year", path, required=True).astype(int)
    return raw


def _rates(path: Path, account: FileAccount, extra: dict[str, str]) -> pd.DataFrame:
    """fips, year, the two rates per 100,000, and `extra` (panel name: file column)."""
    raw = _read_csv(
        path,
        account,
        ["year", "state", "county", "violent_crime_rate", "property_crime_rate", *extra.values()],
    )
    columns = {"violent_per_100k": "violent_crime_rate", "property_per_100k": "property_crime_rate"}
    frame = pd.DataFrame({"fips": raw["fips"], "year": raw["year"]})
    for name, column in {**columns, **extra}.items():
        frame[name] = numeric(raw, column, path, missing_tokens=["NA"])
    return account.keep(frame)


def read_crime_rates(path: Path, account: FileAccount) -> pd.DataFrame:
    return _rates(path, account, {"crime_quality": "crime_rate_quality"})


def read_population(path: Path, account: FileAccount) -> pd.DataFrame:
    raw = _read_csv(path, account, ["year", "state", "county", "population"])
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "year": raw["year"],
            "population": numeric(raw, "population", path, required=True),
        }
    )
    return account.keep(frame)


def read_coverage(path: Path, account: FileAccount) -> pd.DataFrame:
    return _rates(path, account, {"crime_coverage": "coverage_indicator_crime"})
