"""County classifications: NCHS urban-rural 2013 and USDA rural-urban continuum 2013.

NCHSURCodes2013.txt: fixed width, latin-1, one line per county starting with
the 5-digit FIPS; the last three tokens are the 2013, 2006 and 1990 codes
(1 large central metro ... 6 noncore). 2010 county codes (46113, 02270, 51515).

ruralurbancodes2013.xls: FIPS (number), State, County_Name, Population_2010,
RUCC_2013 (1-9), Description; includes Puerto Rico; 2010 county codes.

A class belongs to an area, so when Bedford city merged into Bedford County
the county keeps its own class.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import KEEP_TARGET, drop_territories, pad_fips, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, read_sheet, require_columns


def read_nchs(path: Path, account: FileAccount) -> pd.DataFrame:
    rows = []
    with open(path, encoding="latin-1") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            tokens = line.split()
            if len(tokens) < 5 or not tokens[0].isdigit() or len(tokens[0]) != 5:
                raise SourceFormatError(
                    path,
                    f"line {number} does not start with a 5-digit FIPS code: {line.strip()[:60]!r}",
                )
            rows.append({"fips": tokens[0], "code": tokens[-3], "_row": number})
    raw = account.read(pd.DataFrame(rows))
    code = numeric(raw, "code", path, required=True)
    bad = ~code.isin(range(1, 7))
    if bad.any():
        raise SourceFormatError(
            path,
            "2013 code outside 1-6 on line(s) "
            + ", ".join(map(str, raw.loc[bad, "_row"].tolist()[:5])),
        )
    frame = pd.DataFrame({"fips": raw["fips"], "nchs_urban_rural_2013": code.astype(int)})
    frame = to_2015_boundaries(frame, account, {"nchs_urban_rural_2013": KEEP_TARGET})
    return account.keep(frame)


def read_rucc(path: Path, account: FileAccount) -> pd.DataFrame:
    sheet = read_sheet(path)
    raw = account.read(sheet.iloc[1:].set_axis(list(sheet.iloc[0]), axis=1).reset_index(drop=True))
    require_columns(raw, ["FIPS", "RUCC_2013"], path)
    raw["_row"] = raw.index + 2
    raw["fips"] = pad_fips(raw["FIPS"])
    raw["state"] = raw["fips"].str[:2]
    raw = drop_territories(raw, account, "state")
    code = numeric(raw, "RUCC_2013", path)
    frame = pd.DataFrame({"fips": raw["fips"], "rucc_2013": code.astype("Int64")})
    frame = to_2015_boundaries(frame, account, {"rucc_2013": KEEP_TARGET})
    return account.keep(frame)
