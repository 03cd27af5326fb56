"""Census regions of the states: a covariate for comparisons of cities, which differ in
climate, policing and reporting by region as much as by size.

Source: U.S. Census Bureau, "Census Regions and Divisions of the United States",
https://www2.census.gov/geo/pdfs/maps-data/maps/reference/us_regdiv.pdf (state FIPS
codes as in the Census county files).
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
# Covariates for regression, weighting and matching: one indicator per region but the
# Northeast, which the others are measured against.
REGION_INDICATORS = {f"region_{r.lower()}": r for r in REGIONS if r != "Northeast"}


def region(state_fips: str) -> str:
    return REGION_OF[state_fips]
