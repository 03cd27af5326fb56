"""ACS 2011-2015 5-year county tables.

American FactFinder 'with_ann' CSVs (B03003 Hispanic origin, S2301 employment
status): latin-1, line 1 holds codes (GEO.id2 is the 5-digit FIPS), line 2
human-readable labels, then one line per county (3,142, 2015 codes).

NHGIS extract ds216 (B05003 sex by age by nativity and citizenship): latin-1
CSV with STATEA and COUNTYA codes, including Puerto Rico. Shares follow the
table's structure: foreign born = ADURE005+010+016+021 (male and female, under
and over 18), of whom not citizens = ADURE007+012+018+023, over ADURE001.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..geo.counties import drop_territories, fips_from_parts
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns, share_pct

FOREIGN_BORN = ["ADURE005", "ADURE010", "ADURE016", "ADURE021"]
NONCITIZEN = ["ADURE007", "ADURE012", "ADURE018", "ADURE023"]


def _factfinder(path: Path, account: FileAccount, columns: list[str]) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, encoding="latin-1", skiprows=[1], keep_default_na=False)
    account.read(raw)
    require_columns(raw, ["GEO.id2", *columns], path)
    raw["_row"] = raw.index + 3  # line 1 codes, line 2 labels
    raw["fips"] = raw["GEO.id2"].str.zfill(5)
    return raw


def read_hispanic(path: Path, account: FileAccount) -> pd.DataFrame:
    raw = _factfinder(path, account, ["HD01_VD01", "HD01_VD03"])
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "hispanic_pct": share_pct(
                numeric(raw, "HD01_VD03", path, required=True),
                numeric(raw, "HD01_VD01", path, required=True),
            ),
        }
    )
    return account.keep(frame)


def read_employment(path: Path, account: FileAccount) -> pd.DataFrame:
    raw = _factfinder(path, account, ["HC02_EST_VC01", "HC03_EST_VC01"])
    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "labor_force_participation_pct": numeric(
                raw, "HC02_EST_VC01", path, missing_tokens=["-"]
            ),
            "employment_population_pct": numeric(raw, "HC03_EST_VC01", path, missing_tokens=["-"]),
        }
    )
    return account.keep(frame)


def read_nativity(path: Path, account: FileAccount) -> pd.DataFrame:
    columns = ["STATEA", "COUNTYA", "ADURE001", *FOREIGN_BORN, *NONCITIZEN]
    raw = pd.read_csv(path, dtype=str, encoding="latin-1", keep_default_na=False)
    account.read(raw)
    require_columns(raw, columns, path)
    raw["_row"] = raw.index + 2
    raw["fips"] = fips_from_parts(raw["STATEA"], raw["COUNTYA"])
    raw = drop_territories(raw, account, "STATEA")
    total = numeric(raw, "ADURE001", path, required=True)

    def summed(cols):
        return sum(numeric(raw, c, path, required=True) for c in cols)

    frame = pd.DataFrame(
        {
            "fips": raw["fips"],
            "foreign_born_pct": share_pct(summed(FOREIGN_BORN), total),
            "noncitizen_pct": share_pct(summed(NONCITIZEN), total),
        }
    )
    return account.keep(frame)
