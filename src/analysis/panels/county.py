"""Building the county panel from the verified raw files.

`build_panel` reads every verified raw file through its reader, joins them on
the county universe of the Census population estimates, derives the rates,
validates the result against the schema (`analysis.panels.county_schema`) and writes
data/processed/county_panel.parquet with its build log beside it. The ICPSR
crime years are optional: without their files those years' crime is left
missing, with the reason in the log.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import sources
from ..core.atomic import write_parquet
from ..core.errors import ValidationError
from ..geo.counties import CT_COUNTIES, PLANNING_REGION_REASON
from ..readers import acs, census_codes, covariates, elections, ers, laus, popest, saipe, ucr, urban
from ..sources.buildlog import BuildLog, FileAccount
from .county_schema import COLUMNS, CRIME_COLUMNS, validate_panel
from .load import log_path, panel_path
from .years import (
    CRIME_YEARS,
    ERS_INCOME_YEAR,
    ERS_LAUS_YEAR,
    ERS_POVERTY_YEAR,
    LAUS_FILES,
    POPEST_2019_YEARS,
    POPEST_2025_YEARS,
    SAIPE_COMPILED_YEARS,
    SAIPE_FILES,
    UCR_FILES,
    URBAN_CRIME_YEARS,
    YEARS,
    files_for,
    gap_reason,
)

# Columns whose years depend on the files (the others have a value in every year).
GAP_COLUMNS = (*CRIME_COLUMNS, "poverty_pct", "median_household_income", "unemployment_pct")


class _Assembler:
    """Joins source frames onto the county x year grid, accounting for every gap."""

    def __init__(self, log: BuildLog, universe: pd.Index):
        self.log = log
        self.universe = universe
        self.grid = pd.MultiIndex.from_product([universe, YEARS], names=["fips", "year"])
        self.pieces: dict[str, list[pd.Series]] = {}

    def column(self, name: str) -> pd.Series:
        """A column assembled so far, on the full grid."""
        return pd.concat(self.pieces[name]).reindex(self.grid)

    def attach(
        self,
        source: pd.DataFrame,
        columns: list[str],
        file_id: str,
        years: list[int] | None = None,
        blank_reason: str = "",
        absent_reasons: dict[str, str] | None = None,
    ) -> None:
        """Put `columns` of `source` (keyed by fips, and year unless `years` says
        which years a constant value covers) into the panel. A county without a row
        is recorded as missing, with its reason in `absent_reasons` (by FIPS) or
        else as having no row in the file."""
        unknown = sorted(set(source["fips"]) - set(self.universe))
        if unknown:
            raise ValidationError(
                f"source file '{file_id}' has county codes that are not 2015 counties of the "
                f"50 states and DC: {', '.join(unknown[:20])}. Add the case to the file's reader "
                "(drop with a reason, or map it in counties.BOUNDARY_CHANGES)."
            )
        keys = ["fips"] if years else ["fips", "year"]
        dupes = source.duplicated(keys)
        if dupes.any():
            raise ValidationError(
                f"source file '{file_id}' has more than one row for "
                f"{source.loc[dupes, keys].head().to_dict('records')}"
            )
        for year, rows in [(None, source)] if years else source.groupby("year"):
            present = rows.set_index("fips")
            absent = self.universe.difference(present.index)
            explained = absent.intersection(list(absent_reasons or {}))
            for col in columns:  # a constant's gap is logged once, for every year
                self.log.record_missing(
                    col, year, list(absent.difference(explained)), f"no row in '{file_id}'"
                )
                for reason in sorted({absent_reasons[f] for f in explained}):
                    self.log.record_missing(
                        col, year, [f for f in explained if absent_reasons[f] == reason], reason
                    )
                self.log.record_missing(
                    col,
                    year,
                    list(present.index[present[col].isna()]),
                    blank_reason or f"'{file_id}' gives no value",
                )
        if years:
            source = source.merge(pd.DataFrame({"year": years}), how="cross")
        indexed = source.set_index(["fips", "year"])
        for col in columns:
            self.pieces.setdefault(col, []).append(indexed[col])

    def frame(self) -> pd.DataFrame:
        columns = {}
        for name, pieces in self.pieces.items():
            combined = pd.concat(pieces)
            if combined.index.duplicated().any():
                raise ValidationError(
                    f"column {name!r} comes from more than one source for the same county and year"
                )
            columns[name] = combined.reindex(self.grid)
        return pd.DataFrame(columns, index=self.grid)


def build_panel(raw_dir: Path | None = None, out: Path | None = None) -> pd.DataFrame:
    """Build the county panel from the verified raw files and write it (atomically)."""
    out = out or panel_path()
    log = BuildLog("county_panel", raw_dir)

    def read(reader, file_id, *args):
        path, account = log.open(file_id)
        return reader(path, account, *args)

    def read_optional(reader, file_id, *args):
        opened = log.open_optional(file_id)
        return None if opened is None else reader(*opened, *args)

    pop = read(popest.read, "popest-2016")
    universe = pd.Index(sorted(pop["fips"].unique()), name="fips")
    panel = _Assembler(log, universe)

    urban_pop = read(urban.read_population, "urban-county-population")
    header = read(popest.read_header, "popest-2019-header")
    population = pd.concat(
        [
            pop[["fips", "year", "population"]],
            urban_pop.loc[urban_pop["year"] == 2017],
            read(popest.read_years, "popest-2019", POPEST_2019_YEARS, header),
        ],
        ignore_index=True,
    )
    panel.attach(population, ["population"], "popest-2016 / urban-county-population / popest-2019")
    path, account = log.open("popest-2025")
    panel.attach(
        popest.read_years(path, account, POPEST_2025_YEARS),
        ["population"],
        "popest-2025",
        absent_reasons=_planning_regions(account),
    )
    names = pop.drop_duplicates("fips")[["fips", "county_name"]]
    panel.attach(names, ["county_name"], "popest-2016", years=YEARS)

    codes = read(census_codes.read, "county-codes-2010")
    states = codes.drop_duplicates("state_fips").set_index("state_fips")["state_abbr"]
    state_fips = pd.Series(universe.str[:2], index=universe)
    panel.attach(
        pd.DataFrame(
            {
                "fips": universe,
                "state_fips": state_fips.to_numpy(),
                "state_abbr": state_fips.map(states).to_numpy(),
            }
        ),
        ["state_fips", "state_abbr"],
        "county-codes-2010",
        years=YEARS,
    )

    absent_years = _attach_crime(panel, read, read_optional, urban_pop, log)

    saipe_files = [(saipe.read_year, fid, year) for year, fid in SAIPE_FILES.items()]
    saipe_files += [(saipe.read_compiled, "saipe-compiled", y) for y in SAIPE_COMPILED_YEARS]
    saipe_files += [(ers.read_poverty, "ers-poverty-2023", ERS_POVERTY_YEAR)]
    for reader, file_id, year in saipe_files:
        path, account = log.open(file_id)
        panel.attach(
            reader(path, account, year),
            ["poverty_pct", "median_household_income"],
            file_id,
            blank_reason=f"'{file_id}' gives no estimate: suppressed ('.'), or "
            "not derivable for a county that absorbed another, or for a split county "
            "put back together (a median) (see this file's 'dropped' entries)",
            absent_reasons=_planning_regions(account),
        )
    path, account = log.open("ers-unemployment-2023")
    panel.attach(
        ers.read_income(path, account, ERS_INCOME_YEAR),
        ["median_household_income"],
        "ers-unemployment-2023",
        blank_reason="'ers-unemployment-2023' gives no 2022 income: a median of a split "
        "county cannot be put back together",
        absent_reasons=_planning_regions(account),
    )
    for year, file_id in LAUS_FILES.items():
        reader = laus.read if year < 2018 else laus.read_xlsx
        panel.attach(read(reader, file_id, year), ["unemployment_pct", "labor_force"], file_id)
    path, account = log.open("ers-unemployment-2023")
    panel.attach(
        ers.read_unemployment(path, account, ERS_LAUS_YEAR),
        ["unemployment_pct", "labor_force"],
        "ers-unemployment-2023",
        absent_reasons=_planning_regions(account),
    )

    constant = [
        (
            read(acs.read_nativity, "nhgis-ds216"),
            ["foreign_born_pct", "noncitizen_pct"],
            "nhgis-ds216",
        ),
        (read(acs.read_hispanic, "acs-b03003"), ["hispanic_pct"], "acs-b03003"),
        (
            read(acs.read_employment, "acs-s2301"),
            ["labor_force_participation_pct", "employment_population_pct"],
            "acs-s2301",
        ),
        (read(covariates.read_nchs, "nchs-2013"), ["nchs_urban_rural_2013"], "nchs-2013"),
        (read(covariates.read_rucc, "rucc-2013"), ["rucc_2013"], "rucc-2013"),
        (read(elections.read, "medsl-countypres"), ["trump_share_2016"], "medsl-countypres"),
    ]
    for frame, columns, file_id in constant:
        panel.attach(frame, columns, file_id, years=YEARS)

    log.sections["laus_revisions"] = _laus_revisions(log)
    log.sections["geography"] = _geography(log)
    for column in GAP_COLUMNS:  # years no source gives: gaps with their reason
        for year in YEARS:
            if not files_for(column, year):
                log.record_missing(column, year, list(universe), gap_reason(column, year))
    result = _finish(panel.frame().reset_index())
    for year in sorted(set(CRIME_YEARS) - set(absent_years)):
        rows = result[result["year"] == year]
        log.record_missing(
            "total_crime_per_10k",
            year,
            rows.loc[rows["total_crime_per_10k"].isna(), "fips"].tolist(),
            "violent or property rate missing (see those columns)",
        )
    validate_panel(result, log, absent_crime_years=absent_years)
    write_parquet(out, result)
    log.write(log_path(out), outputs=[out])
    return result


def _laus_revisions(log: BuildLog) -> list[dict]:
    """How far the LAUS release behind 2023 (via ERS) differs from the April 2023 re-issue
    used for 2018-2022, year by year: the size of BLS's revision between the two."""
    later_path = sources.verified_path("ers-unemployment-2023", log.raw_dir)
    rows = []
    for year in range(2018, ERS_LAUS_YEAR):
        later = ers.read_unemployment(later_path, _scratch(), year).set_index("fips")
        used = sources.verified_path(LAUS_FILES[year], log.raw_dir)
        earlier = laus.read_xlsx(used, _scratch(), year).set_index("fips")
        both = earlier.merge(later, on="fips", suffixes=("", "_later")).dropna()
        change = both["unemployment_pct_later"] - both["unemployment_pct"]
        force = 100 * (both["labor_force_later"] / both["labor_force"] - 1)
        rows.append(
            {
                "year": year,
                "counties": len(both),
                "rate_unchanged_pct": round(float(100 * (change.abs() < 0.05).mean()), 1),
                "rate_mean_abs_change_points": round(float(change.abs().mean()), 3),
                "rate_largest_change_points": round(float(change.abs().max()), 1),
                "labor_force_mean_abs_change_pct": round(float(force.abs().mean()), 2),
            }
        )
    return rows


def _scratch():
    """An account for a second reading of a file, kept out of the log."""
    return FileAccount("(comparison)", "", "")


def _geography(log: BuildLog) -> list[dict]:
    """What each geography rule did, file by file: recodes, merges and split counties
    put back together (counties.py), and Connecticut's planning regions set aside."""
    rows = []
    for account in log.files:
        for change in account.recoded:
            rows.append({"file": account.file_id, "rule": "recoded or combined", **change})
        for dropped in account.dropped:
            if dropped["reason"] == PLANNING_REGION_REASON:
                rows.append(
                    {
                        "file": account.file_id,
                        "rule": "Connecticut planning regions set aside",
                        "rows": dropped["count"],
                        "why": PLANNING_REGION_REASON,
                    }
                )
    return rows


def _planning_regions(account) -> dict[str, str]:
    """Why Connecticut's counties have no row in a file that uses its planning regions
    ({} when it does not)."""
    if any(d["reason"] == PLANNING_REGION_REASON for d in account.dropped):
        return dict.fromkeys(CT_COUNTIES, f"'{account.file_id}': {PLANNING_REGION_REASON}")
    return {}


def _attach_crime(
    panel: _Assembler, read, read_optional, urban_pop: pd.DataFrame, log: BuildLog
) -> list[int]:
    """Attach every crime year; returns the years left out because their optional
    file (ICPSR) is not here, each recorded in the log with the reason."""
    population = panel.column("population")
    absent = []
    for year, file_id in UCR_FILES.items():
        crime = read_optional(ucr.read, file_id, year)
        if crime is None:
            absent.append(year)
            reason = sources.absent_notice(sources.source_file(file_id))
            for col in CRIME_COLUMNS:
                log.record_missing(col, year, list(panel.universe), reason)
            continue
        crime.loc[crime["no_data"], ["violent_crimes", "property_crimes"]] = np.nan
        pop = population.xs(year, level="year").reindex(crime["fips"]).to_numpy()
        crime["violent_per_10k"] = crime["violent_crimes"] / pop * 1e4
        crime["property_per_10k"] = crime["property_crimes"] / pop * 1e4
        crime["crime_source"] = file_id
        panel.attach(
            crime,
            [
                "violent_crimes",
                "property_crimes",
                "violent_per_10k",
                "property_per_10k",
                "crime_coverage",
                "crime_source",
            ],
            file_id,
            blank_reason=f"'{file_id}': coverage indicator 0 and every offence 0, "
            "which the ICPSR codebook defines as no data",
        )

    rates = read(urban.read_crime_rates, "urban-crime-rates")
    rates = rates[rates["year"].isin(URBAN_CRIME_YEARS)]
    if sorted(rates["year"].unique()) != URBAN_CRIME_YEARS:
        raise ValidationError(
            f"'urban-crime-rates' should hold {URBAN_CRIME_YEARS}, "
            f"holds {sorted(rates['year'].unique())}"
        )
    rates = rates.merge(urban_pop, on=["fips", "year"], how="left", validate="one_to_one")
    # Urban computed its rates with this population, so rate x population recovers its counts
    # as whole numbers; a fraction far from whole means the two files no longer match.
    for kind in ["violent", "property"]:
        exact = rates[f"{kind}_per_100k"] * rates["population"] / 1e5
        off = (exact - exact.round()).abs() > 0.05
        if off.any():
            raise ValidationError(
                f"'urban-crime-rates' x 'urban-county-population' does not give whole {kind} "
                f"crime counts for {off.sum()} counties (e.g. "
                f"{rates.loc[off, ['fips', 'year']].head(3).to_dict('records')}): the population "
                "file is not the one Urban used. Check both files against data/sources.toml."
            )
        rates[f"{kind}_crimes"] = exact.round()
    rates["violent_per_10k"] = rates["violent_per_100k"] / 10
    rates["property_per_10k"] = rates["property_per_100k"] / 10
    rates["crime_source"] = "urban-crime-rates"
    panel.attach(
        rates,
        [
            "violent_crimes",
            "property_crimes",
            "violent_per_10k",
            "property_per_10k",
            "crime_quality",
            "crime_source",
        ],
        "urban-crime-rates",
        blank_reason="'urban-crime-rates' has no estimate (empty cell)",
    )
    panel.attach(
        _coverage_2017(read(urban.read_coverage, COVERAGE_2017), rates),
        ["crime_coverage"],
        COVERAGE_2017,
        blank_reason=f"'{COVERAGE_2017}' gives no coverage (New York City's counts come "
        "from NY DCJS, complete; or no estimate)",
    )
    return absent


COVERAGE_2017 = "urban-crime-coverage-2017"


def _coverage_2017(coverage: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """The 2017 coverage indicator, once its file is shown to carry the same 2017 rates
    as the rates file (else the two files describe different counts)."""
    coverage = coverage[coverage["year"] == 2017]
    ours = rates.loc[rates["year"] == 2017, ["fips", "violent_per_100k", "property_per_100k"]]
    both = coverage.merge(ours, on="fips", how="outer", suffixes=("", "_rates"), indicator=True)
    for kind in ["violent", "property"]:
        a, b = both[f"{kind}_per_100k"], both[f"{kind}_per_100k_rates"]
        off = ~((a - b).abs() <= 1e-3 * b.abs().clip(lower=1)) & ~(a.isna() & b.isna())
        if off.any() or (both["_merge"] != "both").any():
            shown = both.loc[off | (both["_merge"] != "both"), "fips"].head(5).tolist()
            raise ValidationError(
                f"'{COVERAGE_2017}' and 'urban-crime-rates' disagree on 2017 {kind} crime "
                f"rates or counties (e.g. {shown}): the coverage would not describe these "
                "counts. Check both files against data/sources.toml."
            )
    return coverage[["fips", "year", "crime_coverage"]]


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    # A column no source gave (crime_coverage when no ICPSR year is here) is all
    # missing; the schema's known gaps say when that is allowed.
    frame = frame.reindex(columns=list(dict.fromkeys([*frame.columns, *COLUMNS])))
    frame["total_crime_per_10k"] = frame["violent_per_10k"] + frame["property_per_10k"]
    frame["year"] = frame["year"].astype("int64")
    for col in ["nchs_urban_rural_2013", "rucc_2013"]:
        frame[col] = frame[col].astype("Int64")
    for col in ["fips", "state_fips", "state_abbr", "county_name", "crime_source"]:
        frame[col] = frame[col].astype("string")
    float_cols = [
        c
        for c in COLUMNS
        if c
        not in {
            "fips",
            "year",
            "state_fips",
            "state_abbr",
            "county_name",
            "crime_source",
            "nchs_urban_rural_2013",
            "rucc_2013",
        }
    ]
    frame[float_cols] = frame[float_cols].astype("float64")
    return frame[list(COLUMNS)].sort_values(["fips", "year"], ignore_index=True)
