"""The built definition tables, for notebooks and the comparison code.

    from analysis import load_definition, definition_overlap
    status = load_definition("ice2014")        # Series: fips -> sanctuary / other
    definition_overlap()                       # counties each pair of definitions shares

`make data` builds data/processed/definitions.parquet (one row per county and
definition) and data/processed/jurisdictions.parquet (every row of every list
and how it resolved).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import AnalysisError, UnknownChoice
from ..panels.units import COUNTY, DEFAULT_UNIT, Unit
from ..panels.units import unit as lookup_unit
from ..sources.buildlog import verified_product
from .definitions import OTHER, USER_SOURCE_PREFIX, Definition, load_definitions

COOPERATING_PREFIX = "g287_"


def definitions_path() -> Path:
    return COUNTY.definitions_path()


def city_definitions_path() -> Path:
    return lookup_unit("city").definitions_path()


def resolution_path() -> Path:
    return paths.processed_dir() / "jurisdictions.parquet"


def log_path() -> Path:
    return paths.processed_dir() / "definitions.log.json"


def _read(path: Path) -> pd.DataFrame:
    return _cached_read(path, verified_product(path).stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=4)
def _cached_read(path: Path, mtime_ns: int) -> pd.DataFrame:
    # Notebooks ask for several definitions in a row; a rebuilt file has a new mtime.
    return pd.read_parquet(path)


def _definitions(names: list[str] | None, path: Path | None = None) -> list[Definition]:
    known = {d.id: d for d in load_definitions(path)}
    for name in names or []:
        if name not in known:
            raise UnknownChoice("definition", name, known)
    return [known[n] for n in names] if names else list(known.values())


def _table(definitions: list[Definition]) -> pd.DataFrame:
    return _built(definitions_path(), definitions)


def _built(path: Path, definitions: list[Definition]) -> pd.DataFrame:
    """The built table at `path`, which must hold every one of `definitions`."""
    table = _read(path)
    built = set(table["definition"].unique())
    missing = [d.id for d in definitions if d.id not in built]
    if missing:
        raise AnalysisError(
            f"definition(s) {', '.join(missing)} are in data/definitions.toml but "
            f"not in {paths.relative(path)}: run `make data`."
        )
    return table


def load_definition(
    name: str, reasons: bool = False, unit: str | Unit = DEFAULT_UNIT.name
) -> pd.Series | pd.DataFrame:
    """Every unit's status under one definition: a Series indexed by the unit's code
    (counties: all 3,142 of 2015, by fips) with values sanctuary / cooperating / other,
    named after the definition. With `reasons=True`, a DataFrame with the status and the
    source rows behind it (cities: also the reading, strict or broad, and the date the
    policy took effect). unit="city": every city of the city panel, indexed by place, in
    the definition's city reading."""
    found = lookup_unit(unit)
    (definition,) = _definitions([name])
    table = _unit_table(found, [definition])
    part = table[table["definition"] == name].set_index(found.key).sort_index()
    if reasons:
        return part.drop(columns=["definition"])
    return part["status"].rename(name)


def _unit_table(unit: Unit, definitions: list[Definition]) -> pd.DataFrame:
    path = unit.definitions_path()
    if not path.exists():
        raise AnalysisError(
            f"{paths.relative(path)} does not exist yet: run `make data` (it needs the "
            f"{unit.singular} panel, {paths.relative(unit.panel_path())})."
        )
    return _built(path, definitions)


def list_definitions() -> pd.DataFrame:
    """The definitions with their reader label, lists, status, what counts, caveats and,
    once built, the number of counties each marks."""
    definitions = _definitions(None)
    frame = pd.DataFrame(
        [
            {
                "id": d.id,
                "label": d.reader_label,
                "title": d.title,
                "status": d.status,
                "sources": ", ".join(d.sources),
                "methods": ", ".join(d.methods),
                "year": d.year,
                "as_of": d.as_of,
                "caveats": d.caveats,
                "city_reading": d.city_reading,
            }
            for d in definitions
        ]
    ).set_index("id")
    if definitions_path().exists():
        table = _read(definitions_path())
        marked = table[table["status"] != OTHER].groupby("definition").size()
        frame["counties"] = marked.reindex(frame.index).fillna(0).astype("Int64")
        built = set(table["definition"].unique())
        frame.loc[[d not in built for d in frame.index], "counties"] = pd.NA
    return frame


def overlap(names: list[str] | None = None) -> pd.DataFrame:
    """How many counties each pair of definitions both mark (sanctuary or
    cooperating); the diagonal is each definition's own count."""
    definitions = _definitions(names)
    table = _table(definitions)
    marks = table["status"] != OTHER
    marked = {
        d.id: set(table.loc[(table["definition"] == d.id) & marks, "fips"]) for d in definitions
    }
    ids = [d.id for d in definitions]
    matrix = pd.DataFrame(
        [[len(marked[a] & marked[b]) for b in ids] for a in ids],
        index=pd.Index(ids, name="definition"),
        columns=ids,
    )
    return matrix


def load_resolution(source: str | None = None) -> pd.DataFrame:
    """Every row of every list: as written, what it names, the counties it
    resolved to (`fips`), how (`method`, `rule`) or why not (`unresolved_reason`)."""
    frame = _read(resolution_path())
    if source is not None:
        if source not in set(frame["source"]):
            raise UnknownChoice("list", source, set(frame["source"]))
        frame = frame[frame["source"] == source].reset_index(drop=True)
    return frame


def definition_rows(name: str) -> pd.DataFrame:
    """Every row of a definition's lists, as resolved, with `counts` (whether it marks
    its counties) and `reason`: why it counts (the rule that resolved it), why it does
    not (the definition's methods, kinds or year), or why it is unresolved."""
    (definition,) = _definitions([name])
    _table([definition])
    frame = _read(resolution_path())
    if "county_names" not in frame.columns:
        raise AnalysisError(
            f"{paths.relative(resolution_path())} was built by an older version (it has no "
            "county names): run `make data`."
        )
    rows = frame[frame["source"].isin(definition.sources)].reset_index(drop=True)
    counts = definition.counts(rows).to_numpy()
    reasons = []
    for row, counted in zip(rows.itertuples(index=False), counts):
        if row.method == "unresolved":
            reasons.append(f"unresolved: {row.unresolved_reason}")
        elif counted:
            reasons.append(f"counts: {row.rule or row.method}")
        else:
            reasons.append(f"not counted: {definition.why_not(row)}")
    return rows.assign(counts=counts, reason=reasons)


def definition_summary(definitions: list[str], population: pd.Series) -> pd.DataFrame:
    """Per definition: what it is, what it marks, how many counties and what share of
    the population (`population`: residents by FIPS, one year)."""
    catalogue = list_definitions().loc[definitions, ["title", "status", "as_of"]]
    counties, shares = [], []
    for name in definitions:
        status = load_definition(name)
        marked = status.index[status != OTHER]
        counties.append(len(marked))
        shares.append(100 * population.reindex(marked).sum() / population.sum())
    return catalogue.assign(counties=counties, population_share_pct=shares)


def city_summary(definitions: list[str], table: pd.DataFrame) -> pd.DataFrame:
    """Per definition: the reading its city pages use, the cities it marks and how (named
    on a list, inside a listed county, inside a listed state), how many of them are in
    one year's FBI table (`table`: the city panel's rows of that year), and their share
    of the table's population."""
    population = table.set_index("place")["population"]
    catalogue = list_definitions()
    rows = []
    for name in definitions:
        places = load_definition(name, reasons=True, unit=lookup_unit("city"))
        marked = places[places["status"] != OTHER]
        how = marked["reason"].str.extract(r"^(listed|in a listed county|in a listed state)")[0]
        rows.append(
            {
                "definition": name,
                "city_reading": catalogue.loc[name, "city_reading"],
                "status": catalogue.loc[name, "status"],
                "cities": len(marked),
                "named": int((how == "listed").sum()),
                "in_listed_county": int((how == "in a listed county").sum()),
                "in_listed_state": int((how == "in a listed state").sum()),
                "in_table": int(marked.index.isin(population.index).sum()),
                "table_population_share_pct": 100
                * population.reindex(marked.index).sum()
                / population.sum(),
            }
        )
    return pd.DataFrame(rows)


# Lists whose `date` is when the policy began (enactment, agreement signed).
POLICY_DATED = frozenset({"cis-sanctuary-map", "ice-287g-2025"})


def policy_dated(source: str) -> bool:
    return source in POLICY_DATED or source.startswith(USER_SOURCE_PREFIX)


def enactment_dates(name: str, unit: str | Unit = DEFAULT_UNIT.name) -> pd.Series:
    """When each unit a definition marks came under the listed policy: its code ->
    the earliest date ("YYYY-MM-DD", "YYYY-MM" or "YYYY") among the rows that mark it;
    missing where no such row dates its policy. Only lists whose dates are the policy's
    own count (POLICY_DATED); the DHS and DOJ lists carry their publication date."""
    found = lookup_unit(unit)
    (definition,) = _definitions([name])
    undated = [s for s in definition.sources if not policy_dated(s)]
    if undated:
        raise AnalysisError(
            f"definition {name!r} reads {', '.join(undated)}, whose rows do not date the "
            "policies they list, so there is no adoption year to study. Lists that date "
            f"their policies: {', '.join(sorted(POLICY_DATED))} and user lists with an "
            "`enacted` column (docs/definitions.md)."
        )
    marked = load_definition(name, reasons=True, unit=found)
    marked = marked[marked["status"] != OTHER]
    if "enacted" in marked.columns:  # a table that dates each unit itself (cities)
        return marked["enacted"].astype(object).rename(f"{name}_enacted")
    rows = _read(resolution_path())
    rows = rows[rows["source"].isin(definition.sources)]
    rows = rows[definition.counts(rows)].explode("fips").dropna(subset=["fips"])
    dated = rows.dropna(subset=["date"])
    dated = dated[dated["date"].astype(str).str.len() > 0]
    earliest = dated.groupby("fips")["date"].min()
    return earliest.reindex(marked.index).rename(f"{name}_enacted")


def definition_kinds() -> dict[str, str | None]:
    """Definition ids with the kind of unit they mark ("sanctuary" or "cooperating")."""
    found = list_definitions()
    return {str(i): str(found.loc[i, "status"]) for i in found.index}


def cooperating_definitions() -> list[str]:
    """Definitions that mark cooperating (287(g)) units."""
    return [
        d
        for d, kind in definition_kinds().items()
        if kind == "cooperating" or (kind is None and d.startswith(COOPERATING_PREFIX))
    ]


def sanctuary_definitions() -> list[str]:
    cooperating = cooperating_definitions()
    return [d for d in definition_kinds() if d not in cooperating]


def comparison_choices() -> list[str]:
    return ["all", "cooperating", *cooperating_definitions()]


def _year(name: str) -> int | None:
    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", name)
    return int(found[-1]) if found else None


def default_cooperating(definition: str) -> str:
    """The 287(g) definition nearest in date to `definition`."""
    candidates = cooperating_definitions()
    if not candidates:
        raise AnalysisError(
            "no 287(g) definition (g287_*) is available for the cooperating comparison"
        )
    year = _year(definition)
    if year is None:
        return candidates[0]
    return min(candidates, key=lambda c: (abs((_year(c) or 0) - year), c))


def state_rows_only(name: str) -> bool:
    """Whether every row a definition counts names a whole state (a list of state laws):
    one state made each policy, so the state is the unit of inference."""
    (definition,) = _definitions([name])
    rows = _read(resolution_path())
    rows = rows[rows["source"].isin(definition.sources)]
    counted = rows[definition.counts(rows)]
    return bool(len(counted)) and bool((counted["method"] == "state").all())
