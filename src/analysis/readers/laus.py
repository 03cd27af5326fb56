"""BLS LAUS county annual averages (laucntYY.txt).

Fixed-width text: title and header lines, then one line per county starting
with 'CN' (LAUS code, state FIPS, county FIPS, 'Name, ST', year, labor force,
employed, unemployed with thousands separators, unemployment rate), then a
footer. The April 2018 re-issue uses 2015 county codes, includes Puerto Rico's
municipios and has no line for Kalawao County, HI (15005).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..buildlog import FileAccount
from ..counties import drop_territories
from ..errors import SourceFormatError
from ._common import numeric

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
