"""Census Population Estimates, county totals, vintage 2016 (co-est2016-alldata.csv).

Latin-1 CSV, one row per state (SUMLEV 40) and county (SUMLEV 50) with
POPESTIMATE2010 ... POPESTIMATE2016 (July 1 estimates) and the names of the
state and county. Vintage 2016 uses 2015 county codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..buildlog import FileAccount
from ..counties import fips_from_parts
from ..errors import SourceFormatError
from ._common import numeric, require_columns

YEARS = range(2010, 2017)


def read(path: Path, account: FileAccount) -> pd.DataFrame:
    columns = ["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME"] + [
        f"POPESTIMATE{y}" for y in YEARS
    ]
    raw = account.read(pd.read_csv(path, dtype=str, encoding="latin-1", keep_default_na=False))
    require_columns(raw, columns, path)
    raw["_row"] = raw.index + 2
    levels = set(raw["SUMLEV"]) - {"040", "050"}
    if levels:
        raise SourceFormatError(
            path,
            f"unexpected summary levels {sorted(levels)} (expected 040 states and 050 counties)",
        )
    raw = account.drop(raw, raw["SUMLEV"] == "040", "state total (SUMLEV 040)", key="STNAME")
    raw = raw.assign(fips=fips_from_parts(raw["STATE"], raw["COUNTY"]))
    wide = pd.DataFrame({"fips": raw["fips"], "county_name": raw["CTYNAME"]})
    for y in YEARS:
        wide[y] = numeric(raw, f"POPESTIMATE{y}", path, required=True)
    account.keep(wide)
    return wide.melt(
        id_vars=["fips", "county_name"], var_name="year", value_name="population"
    ).astype({"year": int})
