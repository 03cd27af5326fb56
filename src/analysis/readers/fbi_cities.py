"""The FBI's city crime table: Crime in the United States, Table 8, "Offenses Known to
Law Enforcement by State by City" (2016: Table 6, the same content), one file a year.

One sheet: title rows, a header row (found here by its text, State and City, not by
its position), then one row per city agency that reported all 12 months, then
footnote rows (text without a population). The state is written only on each
state's first row; state and city names carry footnote digits ('ILLINOIS5',
'Chicago7, 8'). The rape columns change: 'Forcible rape' (legacy definition)
2010-2012; 'Rape (revised definition)' and 'Rape (legacy definition)' 2013-2016, an
agency filling one of them; 'Rape' (revised) 2017-2019. The violent crime total
includes whichever rape count the agency gave, and is blank where the FBI left its
rape count out (Chicago 2010-2013, for one).

`read` returns one row per agency: state (postal code), agency (as printed), name
(footnote digits removed), population and the offence counts, blanks kept blank,
with `rape` the count in whichever definition the agency used and
`rape_definition` saying which.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import SourceFormatError
from ..sources.buildlog import FileAccount
from ._common import numeric, read_sheet

# Header text (lower case, footnote digits and line breaks removed) -> column.
HEADERS = {
    "state": "state_text",
    "city": "agency",
    "population": "population",
    "violent crime": "violent_crimes",
    "murder and nonnegligent manslaughter": "murder",
    "forcible rape": "rape_legacy",
    "rape (legacy definition)": "rape_legacy",
    "rape (revised definition)": "rape_revised",
    "rape": "rape_revised",
    "robbery": "robbery",
    "aggravated assault": "aggravated_assault",
    "property crime": "property_crimes",
    "burglary": "burglary",
    "larceny-theft": "larceny_theft",
    "motor vehicle theft": "motor_vehicle_theft",
    "arson": "arson",
}
COUNTS = [
    "violent_crimes",
    "murder",
    "rape",
    "robbery",
    "aggravated_assault",
    "property_crimes",
    "burglary",
    "larceny_theft",
    "motor_vehicle_theft",
    "arson",
]
REQUIRED = ["state_text", "agency", "population", "violent_crimes", "murder", "robbery"]
REQUIRED += ["aggravated_assault", "property_crimes", "burglary", "larceny_theft"]
REQUIRED += ["motor_vehicle_theft"]
_FOOTNOTE = re.compile(r"[\d,\s]+$")
# An agency listed without a population of its own (a city's sheriff, a resort's police):
# the people it serves are counted under another agency, so it has no rate.
NO_POPULATION = "no population of its own (its residents are counted under another agency)"


def header_key(text: object) -> str:
    """'Rape\\n(revised\\ndefinition)1' -> 'rape (revised definition)'."""
    words = " ".join(str(text).replace("\n", " ").split()).lower()
    words = words.replace("- ", "-")  # 'Larceny-\ntheft', broken across two lines
    return _FOOTNOTE.sub("", words).strip()


def strip_footnotes(text: str) -> str:
    """'Chicago7, 8' -> 'Chicago'; 'ILLINOIS5' -> 'ILLINOIS'."""
    return _FOOTNOTE.sub("", " ".join(str(text).split())).strip()


def read(
    path: Path, account: FileAccount, year: int, state_abbr: Callable[[str], str | None]
) -> pd.DataFrame:
    return parse(read_sheet(path), path, account, year, state_abbr)


def parse(
    sheet: pd.DataFrame,
    path: Path,
    account: FileAccount,
    year: int,
    state_abbr: Callable[[str], str | None],
) -> pd.DataFrame:
    """The agencies of one year's sheet (cells as text, no header: `read_sheet`)."""
    first = sheet[0].fillna("").map(header_key)
    second = sheet[1].fillna("").map(header_key)
    starts = sheet.index[(first == "state") & (second == "city")]
    if len(starts) == 0:
        raise SourceFormatError(path, "no header row with 'State' and 'City'")
    header = starts[0]
    keys = [header_key(c) for c in sheet.iloc[header]]
    unknown = [k for k in keys if k and k not in HEADERS]
    if unknown:
        raise SourceFormatError(
            path, f"unknown column(s) {unknown}: the table's layout changed (readers/fbi_cities.py)"
        )
    raw = sheet.iloc[header + 1 :].reset_index(drop=True)
    raw.columns = [HEADERS.get(k, f"blank {i}") for i, k in enumerate(keys)]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SourceFormatError(path, f"missing column(s) {missing} in the header row {keys}")
    raw["_row"] = raw.index + header + 2  # spreadsheet row numbers, 1-based
    account.read(raw)
    raw["agency"] = raw["agency"].fillna("").str.strip()
    note = raw["population"].fillna("").str.strip().eq("") & raw["agency"].eq("")
    raw = account.drop(raw, note, "footnote or blank row (no city, no population)", key="_row")
    raw = account.drop(
        raw,
        raw["population"].fillna("").str.strip().eq(""),
        NO_POPULATION,
        key="agency",
    )
    # The state is printed on its first city only; a footnote digit may follow it.
    text = raw["state_text"].fillna("").map(strip_footnotes).replace("", np.nan).ffill()
    raw["state"] = text.map(lambda t: state_abbr(t) if isinstance(t, str) else None)
    bad = raw["state"].isna()
    if bad.any():
        shown = sorted(set(text[bad].astype(str)))[:5]
        raise SourceFormatError(path, f"rows whose state is not a US state or DC: {shown}")
    frame = pd.DataFrame(
        {
            "year": year,
            "state": raw["state"],
            "agency": raw["agency"],
            "name": raw["agency"].map(strip_footnotes),
            "population": numeric(raw, "population", path, required=True),
            "row": raw["_row"],
        }
    )
    for column in [c for c in COUNTS if c != "rape"]:
        frame[column] = numeric(raw, column, path) if column in raw.columns else np.nan
    legacy = numeric(raw, "rape_legacy", path) if "rape_legacy" in raw else np.nan
    revised = numeric(raw, "rape_revised", path) if "rape_revised" in raw else np.nan
    frame["rape"] = pd.Series(revised, index=raw.index).fillna(pd.Series(legacy, index=raw.index))
    frame["rape_definition"] = np.select(
        [pd.Series(revised, index=raw.index).notna(), pd.Series(legacy, index=raw.index).notna()],
        ["revised", "legacy"],
        default=None,
    )
    return account.keep(
        frame[["year", "state", "agency", "name", "population", *COUNTS, "rape_definition", "row"]]
    )
