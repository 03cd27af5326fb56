"""MIT Election Lab county presidential returns 2000-2016 (countypres_2000-2016.csv).

Long CSV: year, state, state_po, county, FIPS (number: leading zeros lost),
office, candidate, party, candidatevotes, totalvotes, version; three rows per
county and year (democrat, republican, other). Alaska reports by state house
district (FIPS 2001-2040, 2099), not by borough, so Alaska has no county
shares. Rows without FIPS are statewide write-ins and overseas ballots;
'Kansas City' (FIPS 36000) is Kansas City, MO, which reports apart from the
four counties it spans and cannot be allocated to them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.counties import SUM, pad_fips, to_2015_boundaries
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns, share_pct


def read(path: Path, account: FileAccount, year: int = 2016) -> pd.DataFrame:
    columns = ["year", "state", "county", "FIPS", "party", "candidatevotes", "totalvotes"]
    raw = account.read(pd.read_csv(path, dtype=str, keep_default_na=False))
    require_columns(raw, columns, path)
    raw["_row"] = raw.index + 2
    raw = account.drop(
        raw, raw["year"] != str(year), f"election other than {year}", list_rows=False
    )
    raw = account.drop(
        raw,
        raw["FIPS"].str.strip().isin(["", "NA"]),
        "no FIPS: statewide write-ins or overseas ballots",
        key="county",
    )
    raw = account.drop(
        raw,
        raw["state"] == "Alaska",
        "Alaska reports by state house district, not by borough",
        key="county",
    )
    raw["fips"] = pad_fips(raw["FIPS"])
    raw = account.drop(
        raw,
        raw["fips"] == "36000",
        "'Kansas City' (Kansas City, MO) reports apart from the counties it spans "
        "(Jackson, Clay, Platte, Cass); its votes cannot be allocated to them",
    )
    total = numeric(raw, "totalvotes", path, required=True)
    raw = account.drop(raw, total == 0, "no votes recorded for this code")
    account.keep(raw)

    republican = raw[raw["party"] == "republican"]
    counts = republican["fips"].value_counts()
    if (counts != 1).any() or set(raw["fips"]) - set(republican["fips"]):
        odd = sorted(set(counts.index[counts != 1]) | (set(raw["fips"]) - set(republican["fips"])))
        raise SourceFormatError(
            path, f"expected one republican row per county in {year}; not so for {odd[:10]}"
        )
    votes = pd.DataFrame(
        {
            "fips": republican["fips"],
            "republican_votes": numeric(republican, "candidatevotes", path, required=True),
            "total_votes": numeric(republican, "totalvotes", path, required=True),
        }
    )
    # Harmonise the per-county rows, recorded in a sub-account so the file's
    # row count above stays the number of lines read.
    merged = FileAccount(account.file_id, account.path, account.sha256)
    merged.read(votes)
    votes = merged.keep(
        to_2015_boundaries(votes, merged, {"republican_votes": SUM, "total_votes": SUM})
    )
    account.recoded += merged.recoded
    account.notes += [f"county rows: {d['reason']} ({d['count']})" for d in merged.dropped]
    return pd.DataFrame(
        {
            "fips": votes["fips"],
            "trump_share_2016": share_pct(votes["republican_votes"], votes["total_votes"]),
        }
    )
