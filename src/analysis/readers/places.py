"""The tables that place a city agency: Data Commons' geocodes (an FBI city name to a
Census place code) and Geocorr's county-to-place allocation (which county holds most
of a place's people).

city_geocodes.csv: no header; '<city lower case> <state abbreviation>',<geoid>, the
geoid a 7-digit Census place code (state + place) or a 10-digit county subdivision
code (state + county + subdivision: the townships of New Jersey, Pennsylvania,
Michigan, New York and New England). manual_geocodes.csv: the same, tab-separated,
Data Commons' hand fixes; some name metropolitan areas (5-digit CBSA codes) or a
county, and eight California codes lost their leading zero (6 digits).

geocorr2018_county_place_2010_thru_2019.csv: county, state, placefp, names, 2010
population and the allocation factors, a second label row under the header; a
place that spans counties appears once per county; placefp 99999 is the part of a
county in no place. Its counties are on 2015 codes already (Kusilvak 02158, Oglala
Lakota 46102); the build checks each against the 2015 counties.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns


def read_geocodes(path: Path, account: FileAccount, sep: str = ",") -> pd.DataFrame:
    """key ('<name> <st>', lower case), geoid (as written), row."""
    raw = pd.read_csv(
        path, sep=sep, header=None, names=["key", "geoid"], dtype=str, keep_default_na=False
    )
    account.read(raw)
    raw["row"] = raw.index + 1
    if (raw["key"].str.strip() == "").any() or not raw["geoid"].str.fullmatch(r"\d+").all():
        bad = raw[(raw["key"].str.strip() == "") | ~raw["geoid"].str.fullmatch(r"\d+")]
        raise SourceFormatError(
            path, f"rows without a name or a numeric code: {bad.head(3).to_dict('records')}"
        )
    raw["key"] = raw["key"].str.strip().str.lower()
    duplicated = raw["key"].duplicated(keep=False)
    if duplicated.any():
        raise SourceFormatError(
            path, f"names listed twice: {sorted(set(raw.loc[duplicated, 'key']))[:5]}"
        )
    return account.keep(raw)


def read_place_counties(path: Path, account: FileAccount) -> pd.DataFrame:
    """place (7-digit GEOID), fips (its county, 2015 codes), share (of the place's 2010
    people living in that county), county_share (of the county's people living in the
    place), population_2010 (of the place's part in the county)."""
    # Latin-1: place names such as 'Cañon City' are written in it.
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
    require_columns(raw, ["county", "state", "placefp", "pop10", "afact", "AFACT2"], path)
    account.read(raw)
    raw["_row"] = raw.index + 2
    raw = account.drop(
        raw, raw["county"] == "County code", "second header row (labels)", key="_row"
    )
    raw = account.drop(
        raw,
        raw["placefp"] == "99999",
        "the part of a county in no place (placefp 99999)",
        key="_row",
        list_rows=False,
    )
    frame = pd.DataFrame(
        {
            "fips": raw["county"].str.strip(),
            "place": raw["state"].str.strip() + raw["placefp"].str.strip(),
            "share": numeric(raw, "AFACT2", path, required=True),
            "county_share": numeric(raw, "afact", path, required=True),
            "population_2010": numeric(raw, "pop10", path, required=True),
        }
    )
    return account.keep(frame)
