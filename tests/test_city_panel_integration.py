"""The city panel against the FBI's city tables, read here with code independent of the
readers (pandas and plain string operations)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import load_panel
from analysis.panels.city_schema import CITY_COLUMNS, CITY_YEARS, city_coverage

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cities():
    return load_panel(unit="city")


@pytest.fixture(scope="module")
def city_log():
    import json

    from analysis.core import paths

    return json.loads((paths.processed_dir() / "city_panel.log.json").read_text())


def table(raw_dir, year) -> pd.DataFrame:
    """The year's city rows: the sheet under its State/City header, the state filled down."""
    sheet = pd.read_excel(
        raw_dir / f"crime/fbi-cius-table8/{year}.xls", header=None, dtype=str, engine="calamine"
    )
    header = sheet.index[sheet[0].eq("State") & sheet[1].eq("City")][0]
    rows = sheet.iloc[header + 1 :, :3].set_axis(["state", "city", "population"], axis=1)
    rows["state"] = rows["state"].str.replace(r"[\d,\s]+$", "", regex=True).ffill()
    rows["violent"] = sheet.iloc[header + 1 :, 3]
    rows["property"] = sheet.iloc[header + 1 :, 8 if year < 2013 or year > 2016 else 9]
    return rows[rows["population"].notna() & rows["city"].notna()]


def test_ten_years_one_row_per_place_and_year(cities):
    assert sorted(cities["year"].unique()) == CITY_YEARS
    assert not cities.duplicated(["place", "year"]).any()
    assert list(cities.columns) == list(CITY_COLUMNS)
    assert cities["place"].str.fullmatch(r"\d{7}|\d{10}").all()


@pytest.mark.parametrize("year", CITY_YEARS)
def test_every_agency_is_kept_or_set_aside_with_a_reason(raw_dir, city_log, counts, year):
    rows = table(raw_dir, year)
    assert len(rows) == counts[f"fbi_city_rows_{year}"]
    entry = next(e for e in city_log["agencies"] if e["year"] == year)
    without_population = entry["dropped_by_reason"].get("no population of its own", 0)
    assert entry["agencies"] - without_population == len(rows)
    unplaced = [u for u in city_log["unplaced"] if u["year"] == year]
    assert entry["kept"] + len(unplaced) + without_population == entry["agencies"]
    assert all(u["reason"] for u in unplaced)


@pytest.mark.parametrize("year", [2010, 2013, 2016, 2017, 2019])
def test_rates_equal_the_tables_counts_blanks_included(cities, raw_dir, year):
    rows = table(raw_dir, year)
    rows["name"] = rows["city"].str.replace(r"[\d,\s]+$", "", regex=True)
    ours = cities[cities["year"] == year]
    picks = ours.sample(60, random_state=year)
    picks = pd.concat([picks, ours[ours["name"].isin(["Chicago", "San Francisco", "Portland"])]])
    state_names = {"IL": "ILLINOIS", "CA": "CALIFORNIA", "OR": "OREGON"}
    for city in picks.itertuples():
        match = rows[(rows["name"] == city.name)]
        if city.state in state_names:
            match = match[match["state"] == state_names[city.state]]
        if len(match) != 1:
            continue  # a name several states share: the sample checks the others
        raw = match.iloc[0]
        assert city.population == float(raw["population"])
        violent = float(raw["violent"]) if isinstance(raw["violent"], str) else np.nan
        expected = violent / city.population * 1e4
        assert (np.isnan(expected) and np.isnan(city.violent_per_10k)) or (
            city.violent_per_10k == pytest.approx(expected)
        ), city.name


def test_chicago_violent_total_is_blank_2010_2013_and_the_comparable_series_is_not(cities):
    chicago = cities[cities["place"] == "1714000"].set_index("year")
    assert chicago["violent_per_10k"].loc[2010:2013].isna().all()
    assert chicago["violent_per_10k"].loc[2014:2019].notna().all()
    # Without rape the series runs through, but for 2013, when the table also leaves
    # Chicago's aggravated assaults blank.
    assert chicago["violent_no_rape_per_10k"].drop(2013).notna().all()
    assert np.isnan(chicago.loc[2013, "aggravated_assault"])
    assert (chicago["county"] == "17031").all()


def test_the_coverage_gaps_of_2018_and_2019_show(cities, raw_dir, counts):
    for year in (2018, 2019):
        rows = table(raw_dir, year)
        by_state = rows["state"].value_counts()
        for state, key in [("ALABAMA", "alabama"), ("PENNSYLVANIA", "pennsylvania")]:
            assert by_state.get(state, 0) == counts[f"fbi_{key}_{year}"]
    assert "IOWA" not in set(table(raw_dir, 2018)["state"])
    coverage = city_coverage(cities)
    assert coverage.loc["IA", 2018] == 0 and coverage.loc["IA", 2017] > 0
    assert coverage.loc["AL", 2019] <= 1 < coverage.loc["AL", 2018]


def test_townships_carry_their_county_in_their_code(cities):
    townships = cities[cities["place_kind"] == "county subdivision"]
    assert len(townships) > 0 and townships["place"].str.len().eq(10).all()
    assert (townships["place"].str[:5] == townships["county"]).all()


def test_county_covariates_are_the_county_panels(cities, panel):
    counties = panel[panel["year"] == 2015].set_index("fips")
    sample = cities.drop_duplicates("place").sample(200, random_state=1)
    for column in ["foreign_born_pct", "hispanic_pct", "trump_share_2016"]:
        expected = counties.loc[sample["county"], column].to_numpy()
        np.testing.assert_allclose(sample[column].to_numpy(), expected, equal_nan=True)


def test_unplaced_agencies_are_listed_with_their_reason(city_log):
    unplaced = pd.DataFrame(city_log["unplaced"])
    vegas = unplaced[unplaced["agency"].str.startswith("Las Vegas Metropolitan")]
    assert len(vegas) == 10 and vegas["reason"].str.contains("metropolitan").all()
    assert re.search(r"\d+", " ".join(unplaced["reason"]))  # reasons name the codes
