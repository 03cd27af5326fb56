"""Census Population Estimates, county totals (co-estYYYY-alldata.csv).

Latin-1 CSV, one row per state (SUMLEV 40) and county (SUMLEV 50) with
POPESTIMATEyyyy (July 1 estimates) and the names of the state and county.

- Vintage 2016 (2010-2016) and vintage 2019 (2010-2019) use 2015 county codes.
  The registry's copy of vintage 2019 is the official file without its header
  line; the header comes from a re-saved copy of the same file (its first line),
  and the build checks that it names as many columns as each row has.
- Vintage 2025 (2020-2025) lists Alaska's 02063 and 02066 (put back together into
  02261 here: populations add up) and Connecticut's 9 planning regions instead of
  its 8 counties (set aside: the counties' populations are missing from 2020).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import SUM, fips_from_parts, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns

VINTAGE_2016_YEARS = range(2010, 2017)


def read(path: Path, account: FileAccount) -> pd.DataFrame:
    """Vintage 2016: fips, county_name, year, population for 2010-2016."""
    raw = _counties(_csv(path, account), path, account, VINTAGE_2016_YEARS)
    wide = pd.DataFrame({"fips": raw["fips"], "county_name": raw["CTYNAME"]})
    for y in VINTAGE_2016_YEARS:
        wide[y] = numeric(raw, f"POPESTIMATE{y}", path, required=True)
    account.keep(wide)
    return wide.melt(
        id_vars=["fips", "county_name"], var_name="year", value_name="population"
    ).astype({"year": int})


def read_header(path: Path, account: FileAccount) -> list[str]:
    """The column names on the first line of a re-saved copy (a UTF-8 BOM removed);
    its other lines are not read."""
    with open(path, encoding="utf-8-sig") as fh:
        names = fh.readline().strip().split(",")
    if names[:3] != ["SUMLEV", "REGION", "DIVISION"]:
        raise SourceFormatError(path, f"the first line is not the header: {names[:5]}")
    account.rows_read = account.rows_kept = 1
    account.notes.append("only the header line is read: the column names of popest-2019")
    return names


def read_years(
    path: Path, account: FileAccount, years, names: list[str] | None = None
) -> pd.DataFrame:
    """fips, year, population for `years` of any vintage; `names`: the header of a
    copy that lost its own."""
    raw = _counties(_csv(path, account, names), path, account, years)
    wide = pd.DataFrame({"fips": raw["fips"]})
    for y in years:
        wide[f"population_{y}"] = numeric(raw, f"POPESTIMATE{y}", path, required=True)
    rules = {f"population_{y}": SUM for y in years}
    wide = account.keep(to_2015_boundaries(wide, account, rules))
    long = wide.melt(id_vars="fips", var_name="year", value_name="population")
    return long.assign(year=long["year"].str.removeprefix("population_").astype(int))


def _csv(path: Path, account: FileAccount, names: list[str] | None = None) -> pd.DataFrame:
    raw = pd.read_csv(
        path,
        dtype=str,
        encoding="latin-1",
        keep_default_na=False,
        header=None if names else "infer",
        names=names,
    )
    if names and raw.iloc[:, -1].eq("").all():
        raise SourceFormatError(path, f"rows have fewer fields than the {len(names)} header names")
    raw["_row"] = raw.index + (1 if names else 2)  # file line numbers
    return account.read(raw)


def _counties(raw: pd.DataFrame, path: Path, account: FileAccount, years) -> pd.DataFrame:
    columns = ["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME"] + [
        f"POPESTIMATE{y}" for y in years
    ]
    require_columns(raw, columns, path)
    levels = set(raw["SUMLEV"]) - {"040", "050"}
    if levels:
        raise SourceFormatError(
            path,
            f"unexpected summary levels {sorted(levels)} (expected 040 states and 050 counties)",
        )
    raw = account.drop(raw, raw["SUMLEV"] == "040", "state total (SUMLEV 040)", key="STNAME")
    return raw.assign(fips=fips_from_parts(raw["STATE"], raw["COUNTY"]))
