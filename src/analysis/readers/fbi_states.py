"""The FBI's state estimates, 1979-2023: the Crime Data Explorer's "Summary (SRS) data
with estimates" (estimated_crimes_1979_2023.csv), one row per state and year.

The FBI built this edition by appending years in different layouts (the mirror's
MANIFEST notes list them, and each is handled here):

- a national row (blank state_abbr) leads 1979-2016 and 2021-2023; it is set aside,
  counted, and the states are kept;
- 2022-2023 numbers carry thousands separators, in quotes ("5,074,296"), and 2022's
  state names are led by spaces;
- the 2022 North Dakota row is coded NC (two NC rows that year): it is recoded ND by
  its state name, and the recode logged;
- rape is `rape_legacy` to 2016 and `rape_revised` from 2013; the states' violent
  totals count the revised rape from 2013. `violent_no_rape_crimes` (murder, robbery
  and aggravated assault) is comparable across the change;
- `caveats` (71 rows, 1995-2015) says where the FBI estimated a state's figures; the
  text is kept with its row.

Nothing in the file says that 2021 was the first year of NIBRS-only reporting, with
estimates resting on agencies covering about 65 % of the population (the state panel
marks the year: analysis.panels.state_schema).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import SourceFormatError
from ..geo.regions import STATE_FIPS
from ..sources.buildlog import FileAccount
from ._common import numeric, require_columns

COUNTS = {
    "population": "population",
    "violent_crime": "violent_crimes",
    "homicide": "murder",
    "rape_legacy": "rape_legacy",
    "rape_revised": "rape_revised",
    "robbery": "robbery",
    "aggravated_assault": "aggravated_assault",
    "property_crime": "property_crimes",
    "burglary": "burglary",
    "larceny": "larceny_theft",
    "motor_vehicle_theft": "motor_vehicle_theft",
}
COLUMNS = ["year", "state_abbr", "state_name", *COUNTS, "caveats"]
# The source's one miscoded row: (year, code as printed, state name) -> the right code.
RECODED = {(2022, "NC", "North Dakota"): "ND"}


def read(path: Path, account: FileAccount) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, COLUMNS, path)
    raw["_row"] = raw.index + 2  # file line numbers, the header being line 1
    account.read(raw)
    raw["state_name"] = raw["state_name"].str.strip()
    raw["state_abbr"] = raw["state_abbr"].str.strip()
    year = numeric(raw, "year", path, required=True).astype(int)
    raw["year"] = year
    raw = account.drop(raw, raw["state_abbr"] == "", "national total (no state code)", key="_row")
    for (when, printed, name), code in RECODED.items():
        wrong = (raw["year"] == when) & (raw["state_abbr"] == printed) & (raw["state_name"] == name)
        if wrong.any():
            account.recoded.append(
                {
                    "from": printed,
                    "to": code,
                    "rows": int(wrong.sum()),
                    "why": f"line {int(raw.loc[wrong, '_row'].iloc[0])}: {name} {when} is "
                    f"coded {printed} in the source; recoded {code} by its name",
                }
            )
            raw.loc[wrong, "state_abbr"] = code
    unknown = sorted(set(raw["state_abbr"]) - set(STATE_FIPS))
    if unknown:
        raise SourceFormatError(path, f"state codes no state has: {', '.join(unknown)}")
    twice = raw.duplicated(["state_abbr", "year"], keep=False)
    if twice.any():
        pairs = raw.loc[twice, ["state_abbr", "year"]].drop_duplicates().head(5)
        shown = ", ".join(f"{s} {y}" for s, y in pairs.itertuples(index=False))
        raise SourceFormatError(path, f"more than one row for a state and year: {shown}")
    frame = pd.DataFrame({"state": raw["state_abbr"], "year": raw["year"]})
    for column, name in COUNTS.items():
        # 2022-2023 write thousands separators.
        frame[name] = numeric(raw, column, path, thousands=True)
    frame["caveat"] = raw["caveats"].str.strip().where(raw["caveats"].str.strip() != "")
    return account.keep(frame.reset_index(drop=True))
