"""One engine, two units: the same methods on a hand-made city panel, where cities come
and go from year to year, are small or large, and lie in several states."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare import compare, specification_curve
from analysis.compare.engine import estimate
from analysis.compare.population import check_states, units_below
from analysis.core.errors import AnalysisError, UnknownChoice
from analysis.panels.units import unit


def toy_cities() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(5)
    places = [f"06{i:05d}" for i in range(30)] + [f"17{i:05d}" for i in range(30)]
    rows = []
    for year in range(2010, 2020):
        for i, place in enumerate(places):
            if i % 10 == 9 and year == 2016:
                continue  # not in the FBI's table that year
            rows.append(
                {
                    "place": place,
                    "year": year,
                    "state": "CA" if place.startswith("06") else "IL",
                    "population": 5_000 if i % 10 == 0 else 20_000 + 1_000 * i,
                    "violent_per_10k": 30 + rng.normal(0, 3),
                    "census_region": "West" if place.startswith("06") else "Midwest",
                    "foreign_born_pct": 5 + i % 7,
                    "hispanic_pct": 10 + i % 11,
                    "nchs_urban_rural_2013": 1 + i % 6,
                    "trump_share_2016": 40 + i % 13,
                }
            )
    panel = pd.DataFrame(rows)
    status = pd.Series(
        ["sanctuary" if i % 3 == 0 else "other" for i in range(len(places))],
        index=pd.Index(places, name="place"),
        name="toy",
    )
    return panel, status


def test_a_city_absent_from_the_years_table_is_counted_not_an_error():
    panel, status = toy_cities()
    table = estimate(panel, status, "raw", 2016, "violent_per_10k", unit="city", weights="none")
    row = table.iloc[0]
    assert row["unit"] == "city"
    # places 9, 19, ... are absent in 2016: indexes 9, 39 focal (i % 3 == 0), 19, 29, 49, 59 not
    assert (row["n_absent_focal"], row["n_absent_comparison"]) == (2, 4)
    assert "not in the FBI's city table for 2016" in row["note"]
    with pytest.raises(Exception, match="no panel row"):  # a county panel must be complete
        estimate(panel.rename(columns={"place": "fips"}), status, "raw", 2016, unit="county")


def test_cities_under_the_population_cut_are_left_out_and_counted():
    panel, status = toy_cities()
    table = estimate(panel, status, "raw", 2015, "violent_per_10k", unit="city", weights="none")
    row = table.iloc[0]
    # places 0, 10, ..., 50 have 5,000 people: all six are focal (i % 3 == 0 for 0, 30)...
    small = units_below(panel, 10_000, "place", 2015)
    assert small == {p for i, p in enumerate(status.index) if i % 10 == 0}
    assert row["min_population"] == 10_000
    focal_small = len(small & set(status.index[status == "sanctuary"]))
    assert row["n_below_population_focal"] == focal_small
    assert row["n_focal"] == (status == "sanctuary").sum() - focal_small
    every = estimate(
        panel, status, "raw", 2015, "violent_per_10k", unit="city", weights="none",
        min_population=0,
    )  # fmt: skip
    assert every.iloc[0]["n_focal"] == (status == "sanctuary").sum()


def test_states_keep_the_focal_units_of_those_states_and_leave_the_others_out():
    panel, status = toy_cities()
    table = estimate(
        panel, status, "raw", 2015, "violent_per_10k", unit="city", weights="none",
        min_population=0, states=["CA"],
    )  # fmt: skip
    row = table.iloc[0]
    assert row["n_focal"] == 10 and row["n_comparison"] == 40  # IL's 10 focal left out
    assert "focal cities of CA only; 10 listed cities elsewhere left out" in row["note"]
    with pytest.raises(AnalysisError, match="postal codes"):
        check_states(["California"])


def test_the_city_covariate_set_uses_region_indicators():
    panel, status = toy_cities()
    regions = ["Northeast", "Midwest", "South", "West"]
    panel["census_region"] = panel["place"].map(lambda p: regions[int(p[-2:]) % 4])
    table = estimate(panel, status, "regression", 2015, "violent_per_10k", unit="city")
    assert table.iloc[0]["covariates"] == "city"
    assert np.isfinite(table.iloc[0]["estimate"]), table.iloc[0]["note"]


def test_event_studies_of_cities_use_the_ones_present_every_year():
    panel, status = toy_cities()
    adoption = pd.Series(2015, index=status.index[status == "sanctuary"])
    table = estimate(
        panel, status, "event", None, "violent_per_10k", unit="city", adoption=adoption,
        min_population=0,
    )  # fmt: skip
    assert "54 of 60 cities are in the table in every year 2010-2019" in table["note"].iloc[0]


def test_an_event_study_of_cities_can_condition_on_the_city_set_region_by_year():
    panel, status = toy_cities()
    regions = ["Northeast", "Midwest", "South", "West"]
    panel["census_region"] = panel["place"].map(lambda p: regions[int(p[-2:]) % 4])
    adoption = pd.Series(2015, index=status.index[status == "sanctuary"])
    table = estimate(
        panel, status, "event", None, "violent_per_10k", unit="city", adoption=adoption,
        min_population=0, covariates="city",
    )  # fmt: skip
    after = table[table["term"] == "after (average)"].iloc[0]
    assert after["covariates"] == "city" and np.isfinite(after["estimate"]), after["note"]


def test_unknown_units_and_city_only_choices_say_what_is_valid():
    with pytest.raises(UnknownChoice, match="valid units: city, county"):
        unit("town")
    panel, status = toy_cities()
    with pytest.raises(AnalysisError, match="min_coverage"):
        estimate(panel, status, "raw", 2015, unit="city", min_coverage=90)
    with pytest.raises(UnknownChoice, match="valid city outcomes"):
        estimate(panel, status, "raw", 2015, "poverty_pct", unit="city")


def test_the_curve_runs_both_units_in_one_table():
    from test_compare_curve_cli import toy_panel, toy_statuses

    counties = toy_panel()
    cities, status = toy_cities()
    county_table = specification_curve(
        counties, statuses={"toy_a": toy_statuses(counties)["toy_a"]}, methods=("raw",),
        years=[2015], outcomes=["violent_per_10k"], workers=1,
    )  # fmt: skip
    city_table = specification_curve(
        panels={"city": cities}, statuses={"toy": status}, units=("city",), methods=("raw",),
        years=[2015], outcomes=["violent_per_10k"], workers=1,
    )  # fmt: skip
    assert set(county_table["unit"]) == {"county"} and set(city_table["unit"]) == {"city"}
    assert city_table["min_population"].eq(10_000).all()


def test_a_county_only_compare_of_a_city_panel_names_the_problem(monkeypatch):
    panel, _ = toy_cities()
    with pytest.raises(AnalysisError, match="is it the county panel"):
        compare("ice2014", "raw", 2015, "violent_per_10k", panel=panel)


def test_sign_agreement_counts_each_unit_apart():
    from analysis.compare.curve import sign_agreement

    table = pd.DataFrame(
        {
            "unit": ["county", "county", "city", "city", "city"],
            "outcome": ["violent_per_10k"] * 5,
            "estimate": [-1.0, -2.0, 3.0, 1.0, np.nan],
            "ci_low": [-2.0, -3.0, 1.0, -1.0, np.nan],
            "ci_high": [-0.5, 1.0, 5.0, 3.0, np.nan],
        }
    )
    shares = sign_agreement(table).set_index("unit")
    assert shares.loc["county", "share_lower_pct"] == 100
    assert shares.loc["county", "share_clearly_lower_pct"] == 50
    assert shares.loc["city", "specifications"] == 2 and shares.loc["city", "not_estimable"] == 1
    assert shares.loc["city", "share_clearly_higher_pct"] == 50
    assert "unit" not in sign_agreement(table[table["unit"] == "city"]).columns
