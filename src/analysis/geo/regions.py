"""The states: their postal codes and FIPS codes, and their Census regions (a covariate
for comparisons of cities, which differ in climate, policing and reporting by region
as much as by size).

Sources: U.S. Census Bureau, "Census Regions and Divisions of the United States",
https://www2.census.gov/geo/pdfs/maps-data/maps/reference/us_regdiv.pdf; the state
postal and FIPS codes as in the Census's national_county.txt (source county-codes-2010).
"""

from __future__ import annotations

REGIONS = {
    "Northeast": ("09", "23", "25", "33", "34", "36", "42", "44", "50"),
    "Midwest": ("17", "18", "19", "20", "26", "27", "29", "31", "38", "39", "46", "55"),
    "South": (
        "01",
        "05",
        "10",
        "11",
        "12",
        "13",
        "21",
        "22",
        "24",
        "28",
        "37",
        "40",
        "45",
        "47",
        "48",
        "51",
        "54",
    ),  # fmt: skip
    "West": ("02", "04", "06", "08", "15", "16", "30", "32", "35", "41", "49", "53", "56"),
}
REGION_OF = {state: region for region, states in REGIONS.items() for state in states}
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56",
}  # fmt: skip
# Covariates for regression, weighting and matching: one indicator per region but the
# Northeast, which the others are measured against.
REGION_INDICATORS = {f"region_{r.lower()}": r for r in REGIONS if r != "Northeast"}


def region_indicator(census_region, name: str):
    """1.0 where `census_region` (a Series of region names) is the indicator's region."""
    return (census_region == REGION_INDICATORS[name]).astype(float)


def region(state_fips: str) -> str:
    return REGION_OF[state_fips]
