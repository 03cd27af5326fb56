"""Census 2010 FIPS codes for counties and equivalents (national_county.txt).

No header: STATE (postal abbreviation), STATEFP, COUNTYFP, COUNTYNAME, CLASSFP;
3,234 rows including territories; 2010 codes (46113, 02270, 51515 present).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..sources.buildlog import FileAccount

COLUMNS = ["state_abbr", "state_fips", "county_fips", "county_name", "class_code"]


def read(path: Path, account: FileAccount) -> pd.DataFrame:
    raw = account.read(pd.read_csv(path, header=None, dtype=str, keep_default_na=False))
    if raw.shape[1] != len(COLUMNS):
        raise SourceFormatError(
            path, f"expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}), found {raw.shape[1]}"
        )
    raw.columns = COLUMNS
    raw["_row"] = raw.index + 1
    bad = ~(raw["state_fips"].str.fullmatch(r"\d{2}") & raw["county_fips"].str.fullmatch(r"\d{3}"))
    if bad.any():
        raise SourceFormatError(
            path,
            "malformed FIPS on line(s) " + ", ".join(map(str, raw.loc[bad, "_row"].tolist()[:5])),
        )
    raw["fips"] = raw["state_fips"] + raw["county_fips"]
    return account.keep(raw[["fips", *COLUMNS]])
