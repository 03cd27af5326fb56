"""Building the city panel from the FBI's city table, 2010-2019.

For every year: read the table (readers.fbi_cities), place each agency, set aside
every agency that names no place (with the reason, listed in the build log), give
each place the county holding most of its people, compute rates per 10,000 of the
table's own population, and join the county covariates (from the county panel,
which `make data` builds first). Writes data/processed/city_panel.parquet and
city_panel.log.json.

Placing an agency: its name and state, lower case ('chicago il'), are looked up in
data/city_aliases.csv (consolidated city-county governments), then in Data
Commons' hand fixes, then in its table of FBI city names. A code of 7 digits is a
Census place, 10 digits a county subdivision (a township), 6 digits a California
place code that lost its leading zero in Data Commons' file (restored). A 5-digit
code is a metropolitan area or a county: the agency (Las Vegas Metropolitan Police,
Charlotte-Mecklenburg, a county police force) names no one place and is set aside.
Two agencies of one year placed in the same place are both set aside: which one
polices the place cannot be told.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import paths
from ..core.atomic import write_parquet
from ..core.errors import ValidationError
from ..geo.counties import BOUNDARY_CHANGES
from ..geo.regions import region
from ..names import gazetteer
from ..names.gazetteer import name_key, place_stems
from ..names.places import MALFORMED, METRO, NO_MATCH, OTHER_STATE, Placer
from ..readers import fbi_cities, geo, places
from ..sources.buildlog import BuildLog, FileAccount
from .city_schema import CITY_COLUMNS, CITY_YEARS, COUNTY_COVARIATES, validate_city_panel
from .load import city_panel_path, load_panel

# Why an agency names no place (build log "unplaced" and "agencies"); the geocode
# reasons are city_places'.
TWICE = (
    "another agency of this year's table is placed in the same place ({place}), and the "
    "Census name of the place does not tell which polices it"
)
TWICE_NAMED = (
    "another agency of this year's table is placed in the same place ({place}) and carries "
    "its Census name; this one does not"
)
NO_COUNTY = (
    "place {place} is in neither Geocorr 2018 nor the Census place lists: its county is unknown"
)
SPANS = (
    "place {place} spans {n} counties and is not in Geocorr 2018 (2010 places), which gives "
    "the population of each part: the county holding most of its people is unknown"
)


def city_log_path() -> Path:
    return paths.processed_dir() / "city_panel.log.json"


def build_city_panel(raw_dir: Path | None = None, out: Path | None = None) -> pd.DataFrame:
    """Build the city panel from the verified raw files and the county panel, and write it."""
    started = time.perf_counter()
    out = out or city_panel_path()
    log = BuildLog("city_panel", raw_dir)
    path, account = log.open("states-2015")
    states = geo.read_states(path, account)
    by_name = {n.upper(): a for n, a in zip(states["state_name"], states["state_abbr"])}
    state_fips = dict(zip(states["state_abbr"], states["state_fips"]))

    def lookup(text: str) -> str | None:
        return by_name.get(text.upper())

    placer = Placer.load(log)
    path, account = log.open("geocorr-2018-county-place")
    facts = PlaceFacts(
        gazetteer.load(log), _largest_county(places.read_place_counties(path, account))
    )

    counties = load_panel(years=[2015]).set_index("fips")
    frames, unplaced, per_year = [], [], []
    for year in CITY_YEARS:
        path, account = log.open(f"fbi-table8-{year}")
        agencies = fbi_cities.read(path, account, year, lookup)
        kept, dropped = _place(agencies, placer, state_fips, facts)
        frames.append(kept)
        unplaced += dropped
        per_year.append(_year_account(year, account, kept, dropped))
    panel = _finish(pd.concat(frames, ignore_index=True), counties)
    validate_city_panel(panel)
    write_parquet(out, panel)
    log.sections["agencies"] = per_year
    log.sections["unplaced"] = unplaced
    log.sections["leading_zero_restored"] = sorted(placer.restored)
    log.sections["townships_recoded"] = sorted(facts.townships_recoded)
    log.sections["seconds"] = round(time.perf_counter() - started, 2)
    log.write(city_log_path(), outputs=[out])
    return panel


def _largest_county(table: pd.DataFrame) -> pd.DataFrame:
    """Per place: the county holding the largest share of its people, and that share."""
    table = table.sort_values(["place", "share", "fips"], ascending=[True, False, True])
    first = table.drop_duplicates("place").set_index("place")
    return first[["fips", "share"]]


class PlaceFacts:
    """What the Census name files say of a place code: its name and its counties (places
    of 2010), and, for a place born since, the counties of the 2020 place of its name."""

    def __init__(self, gaz, county_of: pd.DataFrame):
        self.gaz = gaz
        self.by_code = gaz.places.by_code()
        # Data Commons writes some townships as state + subdivision (7 digits).
        self.township_of = {c[:2] + c[5:]: c for c, p in self.by_code.items() if len(c) == 10}
        # A dict: the build asks once per agency-year (about 90,000 times).
        self.county_of = dict(zip(county_of.index, zip(county_of["fips"], county_of["share"])))
        self.townships_recoded: set[str] = set()

    def code(self, code: str) -> str:
        """A 7-digit code that is no place but a township's state + subdivision becomes the
        township's 10-digit code."""
        if len(code) == 7 and code not in self.by_code and code in self.township_of:
            self.townships_recoded.add(code)
            return self.township_of[code]
        return code

    def county(self, code: str, name: str, state: str) -> tuple[str | None, float, str]:
        """(county, share of the place's people in it, reason when unknown)."""
        if len(code) == 10:
            return code[:5], 1.0, ""
        if code in self.county_of:
            fips, share = self.county_of[code]
            return fips, float(share), ""
        known = self.by_code.get(code)
        counties = known.fips if known is not None else self._counties_2020(name, state)
        if len(counties) == 1:
            return counties[0], 1.0, ""
        if counties:
            return None, np.nan, SPANS.format(place=code, n=len(counties))
        return None, np.nan, NO_COUNTY.format(place=code)

    def _counties_2020(self, name: str, state: str) -> tuple[str, ...]:
        found = {p.fips for p in self.gaz.places_2020.find(state, name_key(name))}
        return found.pop() if len(found) == 1 else ()

    def names_match(self, code: str, agency: str) -> bool:
        """Whether an agency's name is one of the ways to write the place's Census name."""
        known = self.by_code.get(code)
        if known is None:
            return False
        return name_key(agency) in {name_key(s) for s in place_stems(known.name)}


def _place(
    agencies: pd.DataFrame, placer: Placer, state_fips: dict[str, str], facts: PlaceFacts
) -> tuple[pd.DataFrame, list[dict]]:
    """The agencies with a place and a county, and the ones set aside (with reasons)."""
    found = [
        placer.place(name, state, state_fips[state])
        for name, state in zip(agencies["name"], agencies["state"])
    ]
    agencies = agencies.assign(
        place=pd.Series(
            [facts.code(f.place) if f.place else None for f in found],
            dtype=object,
            index=agencies.index,
        ),
        reason=[f.reason for f in found],
    )
    agencies = _one_agency_per_place(agencies, facts)
    where = [
        facts.county(code, name, state) if isinstance(code, str) else (None, np.nan, "")
        for code, name, state in zip(agencies["place"], agencies["name"], agencies["state"])
    ]
    agencies["county"] = [w[0] for w in where]
    agencies["county_share"] = [w[1] for w in where]
    no_county = agencies["place"].notna() & agencies["county"].isna()
    agencies.loc[no_county, "reason"] = [w[2] for w, gone in zip(where, no_county) if gone]
    agencies["county"] = agencies["county"].map(
        lambda c: BOUNDARY_CHANGES[c].new if c in BOUNDARY_CHANGES else c
    )
    outside = agencies["county"].notna() & ~agencies["county"].isin(facts.gaz.universe)
    if outside.any():
        raise ValidationError(
            "places whose county is not a 2015 county: "
            + str(agencies.loc[outside, ["place", "county"]].head().to_dict("records"))
        )
    agencies["place_kind"] = np.where(
        agencies["place"].str.len().eq(10), "county subdivision", "place"
    )
    placed = agencies["reason"].eq("")
    dropped = [
        {
            "year": int(r.year),
            "state": r.state,
            "agency": r.agency,
            "row": int(r.row),
            "population": float(r.population),
            "reason": r.reason,
        }
        for r in agencies[~placed].itertuples()
    ]
    return agencies[placed].drop(columns=["reason"]), dropped


def _one_agency_per_place(agencies: pd.DataFrame, facts: PlaceFacts) -> pd.DataFrame:
    """Where several agencies of a year are placed in one place, keep the one that carries
    the place's Census name (Hazleton, not Harleton, in Hazleton city); if none or
    several do, set them all aside."""
    agencies = agencies.copy()
    shared = agencies["place"].notna() & agencies["place"].duplicated(keep=False)
    for code, rows in agencies[shared].groupby("place"):
        named = [i for i in rows.index if facts.names_match(code, rows.at[i, "name"])]
        keep = named if len(named) == 1 else []
        reason = (TWICE_NAMED if keep else TWICE).format(place=code)
        for i in rows.index.difference(keep):
            agencies.at[i, "reason"] = reason
            agencies.at[i, "place"] = None
    return agencies


def _year_account(year: int, account: FileAccount, kept: pd.DataFrame, dropped: list[dict]):
    """One year's agencies: how many the table lists, kept and set aside, and why."""
    without_population = sum(
        d["count"] for d in account.dropped if d["reason"] == fbi_cities.NO_POPULATION
    )
    reasons: dict[str, int] = {}
    if without_population:
        reasons["no population of its own"] = without_population
    for row in dropped:
        kind = _reason_kind(row["reason"])
        reasons[kind] = reasons.get(kind, 0) + 1
    return {
        "year": year,
        "agencies": account.rows_kept + without_population,
        "kept": len(kept),
        "dropped": len(dropped) + without_population,
        "dropped_by_reason": reasons,
        "population_kept": float(kept["population"].sum()),
        "population_dropped": float(sum(r["population"] for r in dropped)),
    }


def _reason_kind(reason: str) -> str:
    """The kind of a reason, for counts ('metropolitan or county police department')."""
    for kind, text in [
        ("no place of this name", NO_MATCH),
        ("metropolitan or county police department", METRO),
        ("code neither place nor township", MALFORMED),
        ("code in another state", OTHER_STATE),
        ("a place that appears twice", TWICE),
        ("a place that appears twice", TWICE_NAMED),
        ("no county for the place", NO_COUNTY),
        ("no county for the place", SPANS),
    ]:
        if reason.startswith(text.split("{")[0]):
            return kind
    return reason


def _finish(frame: pd.DataFrame, counties: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    population = frame["population"].where(frame["population"] > 0)
    per_10k = 1e4 / population
    frame["violent_per_10k"] = frame["violent_crimes"] * per_10k
    frame["violent_no_rape_per_10k"] = (
        frame["murder"] + frame["robbery"] + frame["aggravated_assault"]
    ) * per_10k
    frame["property_per_10k"] = frame["property_crimes"] * per_10k
    frame["total_crime_per_10k"] = frame["violent_per_10k"] + frame["property_per_10k"]
    frame["state_fips"] = frame["place"].str[:2]
    frame["census_region"] = frame["state_fips"].map(region)
    covariates = counties[COUNTY_COVARIATES]
    frame = frame.join(covariates, on="county")
    frame["year"] = frame["year"].astype("int64")
    for column in ["nchs_urban_rural_2013", "rucc_2013"]:
        frame[column] = frame[column].astype("Int64")
    text = ["place", "state", "state_fips", "name", "agency", "place_kind", "county"]
    text += ["rape_definition", "census_region"]
    for column in text:
        frame[column] = frame[column].astype("string")
    numbers = [
        c for c in CITY_COLUMNS if c not in text + ["year", "nchs_urban_rural_2013", "rucc_2013"]
    ]
    frame[numbers] = frame[numbers].astype("float64")
    return frame[list(CITY_COLUMNS)].sort_values(["place", "year"], ignore_index=True)
