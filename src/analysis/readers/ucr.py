"""FBI UCR county-level 'Crimes Reported' files from ICPSR (DS0004).

Layout (ICPSR studies 33523, 35019, 37059): one row per county with FIPS_ST,
FIPS_CTY, CPOPCRIM (population of reporting agencies), COVIND (coverage
indicator, 0-100), VIOL and PROPERTY (offence counts). 2010 is an R data file,
2012 and 2016 are Stata files; the columns are the same.

County code 777 holds tribal agencies of a state and 999 state police or port
authority records not allocated to a county (codebook, 'Coverage Indicator'):
neither is a county, so both are dropped. The codebook also says that where
COVIND is 0 and every offence count is 0, the zeros mean "no data": the panel
builder turns those into missing values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..geo.counties import SUM, fips_from_parts, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns

COLUMNS = [
    "FIPS_ST",
    "FIPS_CTY",
    "CPOPCRIM",
    "COVIND",
    "VIOL",
    "PROPERTY",
    "MURDER",
    "RAPE",
    "ROBBERY",
    "AGASSLT",
    "BURGLRY",
    "LARCENY",
    "MVTHEFT",
    "ARSON",
]
OFFENCES = COLUMNS[4:]
NOT_COUNTIES = {
    777: "county code 777: a state's tribal agencies, not a county",
    999: "county code 999: state police or port authority not allocated to a county",
}


def _load(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".rda":
        import pyreadr

        objects = pyreadr.read_r(str(path))
        return next(iter(objects.values()))
    return pd.read_stata(path, convert_categoricals=False)


def read(path: Path, account: FileAccount, year: int) -> pd.DataFrame:
    raw = account.read(_load(path))
    require_columns(raw, COLUMNS, path)
    raw = raw.assign(_row=range(1, len(raw) + 1))
    values = {c: numeric(raw, c, path, required=True) for c in COLUMNS}
    frame = pd.DataFrame(
        {
            "fips": fips_from_parts(values["FIPS_ST"], values["FIPS_CTY"]),
            "year": year,
            "violent_crimes": values["VIOL"],
            "property_crimes": values["PROPERTY"],
            "crime_coverage": values["COVIND"],
            "crime_population": values["CPOPCRIM"],
            "no_data": (values["COVIND"] == 0)
            & (pd.DataFrame({c: values[c] for c in OFFENCES}).sum(axis=1) == 0),
        }
    )
    for code, reason in NOT_COUNTIES.items():
        frame = account.drop(frame, values["FIPS_CTY"].reindex(frame.index) == code, reason)
    frame = to_2015_boundaries(
        frame,
        account,
        {
            "violent_crimes": SUM,
            "property_crimes": SUM,
            "crime_population": SUM,
            "crime_coverage": _coverage_weighted_by_population,
            "no_data": lambda new, old: bool(new["no_data"] and old["no_data"]),
        },
    )
    return account.keep(frame)


def _coverage_weighted_by_population(new: pd.Series, old: pd.Series) -> float:
    weight = new["crime_population"] + old["crime_population"]
    if weight == 0:
        return max(new["crime_coverage"], old["crime_coverage"])
    return (
        new["crime_coverage"] * new["crime_population"]
        + old["crime_coverage"] * old["crime_population"]
    ) / weight
