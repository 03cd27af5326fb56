"""The county panel's contract: its columns and what each means, checked on every build.

The pandera schema checks types, the FIPS pattern, ranges (percentages within
0-100, positive population) and uniqueness of (fips, year); `validate_panel`
adds the row count per year and compares every missing value with the known
gaps below, so a source that silently loses counties stops the build.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.errors import ValidationError
from ..geo.counties import CT_COUNTIES, FIPS_PATTERN, REUNITED
from ..sources.buildlog import BuildLog
from .years import (
    CRIME_YEARS,
    ERS_INCOME_YEAR,
    ERS_POVERTY_YEAR,
    POPEST_2025_YEARS,
    POVERTY_GAP_YEARS,
    UCR_FILES,
    YEARS,
)

N_COUNTIES = 3142  # 50 states and DC, 2015 boundaries

# Column order and meaning of the panel; units are in the names.
COLUMNS: dict[str, str] = {
    "fips": "County FIPS code, 5 characters, 2015 boundaries",
    "year": "Calendar year of the estimate",
    "state_fips": "State FIPS code, 2 characters",
    "state_abbr": "State postal abbreviation (Census national_county.txt)",
    "county_name": "County name (Census population estimates, vintage 2016)",
    "population": "Resident population, July 1 (Census PEP vintage 2016 for 2010-2016; "
    "Urban Institute county file, Census PEP, for 2017; vintage 2019 for 2018-2019; vintage "
    "2025 for 2020-2023, which has no Connecticut counties)",
    "violent_crimes": "Violent crimes known to police (FBI UCR; 2015 and 2017 recovered from "
    "Urban Institute rates x Urban's population)",
    "property_crimes": "Property crimes known to police (as violent_crimes)",
    "violent_per_10k": "Violent crimes per 10,000 residents (UCR years: counts / population; "
    "Urban years: Urban's rate per 100,000 / 10)",
    "property_per_10k": "Property crimes per 10,000 residents (as violent_per_10k)",
    "total_crime_per_10k": "Violent plus property crimes per 10,000 residents",
    "crime_coverage": "coverage indicator, 0-100: share of the county's population in "
    "agencies reporting 12 months (ICPSR COVIND for 2010, 2012, 2016; Kaplan's indicator "
    "via Urban for 2017)",
    "crime_quality": "Urban Institute crime_rate_quality: 1 New York City (NY DCJS), "
    "2 coverage >= 80 %, 3 coverage < 80 % (2015 and 2017 only)",
    "crime_source": "Registry id of the crime file behind the row's crime columns",
    "poverty_pct": "Share of people in poverty, all ages, percent (Census SAIPE; 2011 from "
    "the Data4Democracy compilation of SAIPE; 2023 from USDA ERS's copy of SAIPE; none for "
    "2022)",
    "median_household_income": "Median household income, current US dollars (SAIPE; 2022 "
    "and 2023 from USDA ERS's copies of SAIPE)",
    "unemployment_pct": "Unemployment rate, annual average, percent (BLS LAUS: the April "
    "2018 re-issue for 2010-2017, the April 2023 re-issue for 2018-2022, USDA ERS's 2023 "
    "edition for 2023)",
    "labor_force": "Civilian labor force, annual average (BLS LAUS, as unemployment_pct)",
    "foreign_born_pct": "Foreign-born share of the population, percent; ACS 2011-2015, "
    "the same value in every year",
    "noncitizen_pct": "Share of the population who are not US citizens, percent; "
    "ACS 2011-2015, the same value in every year",
    "hispanic_pct": "Hispanic or Latino share of the population, percent; ACS 2011-2015 "
    "(B03003), the same value in every year",
    "labor_force_participation_pct": "Labor force participation rate, population 16 and over, "
    "percent; ACS 2011-2015 (S2301), the same value in every year",
    "employment_population_pct": "Employment-population ratio, population 16 and over, percent; "
    "ACS 2011-2015 (S2301), the same value in every year",
    "nchs_urban_rural_2013": "NCHS 2013 urban-rural class: 1 large central metro, 2 large "
    "fringe metro, 3 medium metro, 4 small metro, 5 micropolitan, "
    "6 noncore; the same value in every year",
    "rucc_2013": "USDA rural-urban continuum code 2013 (1 most urban .. 9 most rural); "
    "the same value in every year",
    "trump_share_2016": "Republican (Trump) share of the 2016 presidential vote, percent "
    "(MIT Election Lab); the same value in every year",
}
CRIME_COLUMNS = [
    "violent_crimes",
    "property_crimes",
    "violent_per_10k",
    "property_per_10k",
    "total_crime_per_10k",
    "crime_coverage",
    "crime_quality",
    "crime_source",
]

KALAWAO = "15005"  # Kalawao County, HI: about 90 residents; most sources fold it into Maui


@dataclass(frozen=True)
class KnownGap:
    """Missing values the sources are known to have. Either a list of counties
    (`fips`, or every county of `state`) or, where the set changes from year to
    year with agencies' reporting, an upper bound on the count per year."""

    columns: tuple[str, ...]
    reason: str
    fips: frozenset[str] = frozenset()
    state: str | None = None
    years: tuple[int, ...] | None = None
    max_per_year: int | None = None

    def allows(self, column: str, year: int, fips: pd.Series) -> pd.Series:
        if column not in self.columns or (self.years is not None and year not in self.years):
            return pd.Series(False, index=fips.index)
        if self.max_per_year is not None:
            return pd.Series(len(fips) <= self.max_per_year, index=fips.index)
        return fips.isin(self.fips) | (fips.str[:2] == self.state)


def known_gaps(absent_crime_years: tuple[int, ...] = ()) -> list[KnownGap]:
    """The gaps the sources are known to have; `absent_crime_years` are the years
    whose optional crime file (ICPSR) this build does not have."""
    crime = tuple(CRIME_COLUMNS)
    counts_and_rates = tuple(
        c for c in CRIME_COLUMNS if c not in ("crime_coverage", "crime_source")
    )
    return [
        KnownGap(
            crime,
            "optional crime file (ICPSR) not present in this build",
            years=tuple(absent_crime_years),
            max_per_year=N_COUNTIES,
        ),
        KnownGap(
            crime,
            "no crime file for this year",
            years=tuple(y for y in YEARS if y not in CRIME_YEARS),
            max_per_year=N_COUNTIES,
        ),
        KnownGap(
            ("crime_quality",),
            "Urban's quality flag exists only for its years (2015, 2017)",
            years=tuple(UCR_FILES),
            max_per_year=N_COUNTIES,
        ),
        KnownGap(
            ("crime_coverage",),
            "the coverage indicator exists only in the ICPSR years and 2017",
            years=tuple(y for y in CRIME_YEARS if y not in UCR_FILES and y != 2017),
            max_per_year=N_COUNTIES,
        ),
        KnownGap(
            ("crime_coverage",),
            "2017 coverage is blank for New York City's five counties (counts from NY "
            "DCJS) and the counties Urban gives no rate",
            years=(2017,),
            max_per_year=15,
        ),
        KnownGap(
            counts_and_rates,
            "no reporting agency (ICPSR coverage indicator 0 with all "
            "offences 0), or no estimate from Urban: at most 3 % of counties a year",
            years=tuple(CRIME_YEARS),
            max_per_year=100,
        ),
        KnownGap(
            ("crime_coverage", "crime_source"),
            "Alaska areas created in 2007-2008 from "
            "split census areas, absent from the ICPSR files",
            fips=frozenset({"02068", "02105", "02195", "02198", "02230", "02275"}),
            years=tuple(UCR_FILES),
        ),
        KnownGap(
            ("poverty_pct", "median_household_income"),
            "SAIPE suppresses Kalawao County",
            fips=frozenset({KALAWAO}),
        ),
        KnownGap(
            ("median_household_income",),
            "Bedford city merged into Bedford County, VA: "
            "the median of the two areas together cannot be derived",
            fips=frozenset({"51019"}),
            years=(2010, 2011, 2012, 2013),
        ),
        KnownGap(
            ("poverty_pct",),
            "Bedford city merged into Bedford County, VA; the 2011 "
            "compilation has rates without counts, so the combined rate cannot be derived",
            fips=frozenset({"51019"}),
            years=(2011,),
        ),
        KnownGap(
            ("unemployment_pct", "labor_force"),
            "LAUS has no line for Kalawao County",
            fips=frozenset({KALAWAO}),
        ),
        KnownGap(
            ("population",),
            "Census PEP vintage 2025 gives Connecticut's 9 planning regions, not its 8 "
            "counties, from 2020",
            fips=frozenset(CT_COUNTIES),
            years=tuple(POPEST_2025_YEARS),
        ),
        KnownGap(
            ("poverty_pct",),
            "no public copy of SAIPE county poverty for this year was found",
            years=tuple(POVERTY_GAP_YEARS),
            max_per_year=N_COUNTIES,
        ),
        KnownGap(
            ("poverty_pct", "median_household_income"),
            "SAIPE 2023 (via USDA ERS) gives Connecticut's planning regions, not its counties",
            fips=frozenset(CT_COUNTIES),
            years=(ERS_POVERTY_YEAR,),
        ),
        KnownGap(
            ("median_household_income",),
            "SAIPE 2022 income (via USDA ERS) gives Connecticut's planning regions, not its "
            "counties",
            fips=frozenset(CT_COUNTIES),
            years=(ERS_INCOME_YEAR,),
        ),
        KnownGap(
            ("median_household_income",),
            "a median of Alaska's two 2019 census areas cannot be combined into the 2015 "
            "Valdez-Cordova Census Area",
            fips=frozenset(REUNITED),
            years=tuple(y for y in YEARS if y >= 2020),
        ),
        KnownGap(
            ("trump_share_2016",),
            "Alaska reports votes by state house district, and Kalawao County votes with Maui",
            fips=frozenset({KALAWAO}),
            state="02",
        ),
    ]


def _schema():
    import pandera.pandas as pa

    def pct(nullable=True):
        return pa.Column(float, pa.Check.in_range(0, 100), nullable=nullable)

    def count():
        return pa.Column(float, pa.Check.ge(0), nullable=True)

    return pa.DataFrameSchema(
        {
            "fips": pa.Column("string", pa.Check.str_matches(FIPS_PATTERN)),
            "year": pa.Column("int64", pa.Check.isin(YEARS)),
            "state_fips": pa.Column("string", pa.Check.str_matches(r"^\d{2}$")),
            "state_abbr": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{2}$")),
            "county_name": pa.Column("string"),
            "population": pa.Column(float, pa.Check.gt(0), nullable=True),
            "violent_crimes": count(),
            "property_crimes": count(),
            "violent_per_10k": count(),
            "property_per_10k": count(),
            "total_crime_per_10k": count(),
            "crime_coverage": pct(),
            "crime_quality": pa.Column(float, pa.Check.isin([1, 2, 3]), nullable=True),
            "crime_source": pa.Column("string", nullable=True),
            "poverty_pct": pct(),
            "median_household_income": pa.Column(float, pa.Check.gt(0), nullable=True),
            "unemployment_pct": pct(),
            "labor_force": pa.Column(float, pa.Check.gt(0), nullable=True),
            "foreign_born_pct": pct(),
            "noncitizen_pct": pct(),
            "hispanic_pct": pct(),
            "labor_force_participation_pct": pct(),
            "employment_population_pct": pct(),
            "nchs_urban_rural_2013": pa.Column("Int64", pa.Check.isin(range(1, 7)), nullable=True),
            "rucc_2013": pa.Column("Int64", pa.Check.isin(range(1, 10)), nullable=True),
            "trump_share_2016": pct(),
        },
        unique=["fips", "year"],
        strict=True,
        ordered=True,
        name="county_panel",
        description=", ".join(COLUMNS),
    )


def validate_panel(
    panel: pd.DataFrame, log: BuildLog | None = None, absent_crime_years: tuple[int, ...] = ()
) -> None:
    import pandera.errors

    try:
        _schema().validate(panel, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        summary = cases.groupby(["column", "check"], dropna=False).agg(
            n=("failure_case", "size"), examples=("failure_case", lambda s: list(s.head(3)))
        )
        raise ValidationError(
            "the county panel breaks its schema:\n" + summary.to_string()
        ) from exc
    per_year = panel.groupby("year").size()
    wrong = per_year[per_year != N_COUNTIES]
    if len(wrong):
        raise ValidationError(f"expected {N_COUNTIES} counties each year; got {wrong.to_dict()}")
    unexplained = unexplained_gaps(panel, tuple(absent_crime_years))
    if unexplained:
        lines = [
            f"  {col} {year}: {len(f)} counties, e.g. {', '.join(f[:8])}"
            for (col, year), f in unexplained.items()
        ]
        raise ValidationError(
            "the county panel has missing values that no known gap explains:\n"
            + "\n".join(lines)
            + "\nThe build log (county_panel.log.json, 'missing_values') gives each one's reason. "
            "If a source changed, fix its reader; "
            "if the gap is real, add it to schema.known_gaps()."
        )


def unexplained_gaps(
    panel: pd.DataFrame, absent_crime_years: tuple[int, ...] = ()
) -> dict[tuple[str, int], list[str]]:
    """Missing values per (column, year) that `known_gaps()` does not account for."""
    gaps = known_gaps(absent_crime_years)
    found = {}
    for year, rows in panel.groupby("year"):
        for column in panel.columns:
            missing = rows.loc[rows[column].isna(), "fips"]
            if missing.empty:
                continue
            allowed = pd.Series(False, index=missing.index)
            for gap in gaps:
                allowed |= gap.allows(column, int(year), missing)
            if not allowed.all():
                found[(column, int(year))] = sorted(missing[~allowed])
    return found
