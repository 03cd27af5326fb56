"""The event study and the coverage cut on the real panel and the ICE 2014 dates."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

from analysis import cli
from analysis.compare import compare, event_study
from analysis.compare.definitions import adoption_years, definition_status
from analysis.compare.event import AFTER_AVERAGE

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def adoption():
    return adoption_years("ice2014")


@pytest.fixture(scope="module")
def balanced(panel):
    """Counties with poverty in every year of the default window (2010-2019): the
    cross-checks need a balanced panel."""
    window = panel[panel["year"] <= 2019]
    complete = window.groupby("fips")["poverty_pct"].transform(lambda s: s.notna().all())
    return window[complete]


def test_ice2014_dates_give_every_county_its_adoption_year(adoption, counts):
    assert len(adoption) == counts["ice2014_counties"] and adoption.notna().all()
    expected = {y: counts[f"ice2014_enacted_{y}"] for y in range(2010, 2015)}
    assert adoption.value_counts().to_dict() == expected


def test_the_2014_cohort_matches_a_hand_computed_two_by_two(balanced, adoption):
    cohort = adoption[adoption == 2014]
    status = definition_status("ice2014")
    table = event_study(balanced, status, cohort, "poverty_pct")
    estimate = table.set_index("relative_year")["estimate"][2]  # 2016 against 2013

    means = balanced.pivot_table(index="fips", columns="year", values="poverty_pct")
    treated = means.index.isin(cohort.index)
    control = means.index.isin(status.index[status == "other"])
    change = means[2016] - means[2013]
    by_hand = change[treated].mean() - change[control].mean()
    assert abs(estimate - by_hand) < 1e-9


def test_the_cohort_average_is_pyfixests_own_saturated_event_study(balanced, adoption):
    import pyfixest as pf

    status = definition_status("ice2014")
    kept = adoption[adoption > 2010]
    ours = event_study(balanced, status, kept, "poverty_pct").set_index("relative_year")
    data = balanced[balanced["fips"].isin(status.index)].copy()
    data = data[~data["fips"].isin(adoption.index.difference(kept.index))]
    data["g"] = data["fips"].map(kept).fillna(0).astype(int)
    data["county"] = data["fips"].astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.event_study(
            data, "poverty_pct", "county", "year", "g", estimator="saturated", cluster="county"
        )
        theirs = fit.aggregate()
    theirs.index = theirs.index.astype(int)
    shared = theirs.index.intersection(ours.index.dropna())
    assert len(shared) >= 8
    residual = (ours.loc[shared, "estimate"] - theirs.loc[shared, "Estimate"].astype(float)).abs()
    assert residual.max() < 1e-9


def test_the_cli_example_prints_one_row_per_relative_year(capsys):
    code = cli.main(
        [
            "compare",
            "--definition",
            "ice2014",
            "--method",
            "event",
            "--outcome",
            "poverty_pct",
            "--covariates",
            "none",
            "--format",
            "csv",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    for column in ["relative_year", "estimate", "ci_low", "ci_high", "n_sanctuary", "n_control"]:
        assert column in table.columns
    years = table.loc[table["term"] != AFTER_AVERAGE, "relative_year"]
    assert years.is_unique and -1 in set(years) and years.min() < -1 < 0 < years.max()
    assert table["pretrend_p_value"].between(0, 1).all()


def test_economic_outcomes_have_every_relative_year_and_a_pretrend_test(panel):
    table = compare("ice2014", "event", outcomes=["poverty_pct", "unemployment_pct"], panel=panel)
    for outcome, rows in table.groupby("outcome"):
        years = rows["relative_year"].dropna()
        assert list(years) == list(range(int(years.min()), int(years.max()) + 1)), outcome
        assert rows["pretrend_p_value"].nunique() == 1


@pytest.mark.parametrize("year", [2017, pytest.param(2016, marks=pytest.mark.needs_icpsr)])
def test_min_coverage_changes_the_sample_by_exactly_the_counties_below_it(panel, year):
    base = compare("ice2014", "raw", year, "total_crime_per_10k", weights="none", panel=panel)
    cut = compare(
        "ice2014", "raw", year, "total_crime_per_10k", weights="none", panel=panel, min_coverage=90
    )
    status = definition_status("ice2014")
    rows = panel[(panel["year"] == year) & panel["total_crime_per_10k"].notna()]
    below = rows[(rows["crime_coverage"] < 90)].set_index("fips")
    focal = below.index.isin(status.index[status == "sanctuary"]).sum()
    assert base["n_focal"].item() - cut["n_focal"].item() == focal
    assert base["n_comparison"].item() - cut["n_comparison"].item() == len(below) - focal
    assert cut["n_below_coverage_focal"].item() == focal
    assert f"min_coverage 90 left out counties below the cut: {focal} focal" in cut["note"].item()


def test_2015_takes_cuts_up_to_its_80_percent_flag_and_refuses_higher(panel):
    from analysis.core.errors import AnalysisError

    at_80 = compare(
        "ice2014", "raw", 2015, "total_crime_per_10k", weights="none", panel=panel, min_coverage=80
    )
    rows = panel[(panel["year"] == 2015) & panel["total_crime_per_10k"].notna()]
    assert at_80["n_focal"].item() + at_80["n_comparison"].item() == int(
        rows["crime_quality"].isin([1, 2]).sum()
    )
    with pytest.raises(AnalysisError, match="min_coverage 90 cannot be applied"):
        compare("ice2014", "raw", 2015, "total_crime_per_10k", panel=panel, min_coverage=90)


def test_the_2017_coverage_file_fills_coverage_for_all_but_new_york_city_and_no_rate(panel, counts):
    rows = panel[panel["year"] == 2017]
    missing = rows.loc[rows["crime_coverage"].isna()]
    assert len(missing) == counts["urban_2017_coverage_blank"]
    nyc = {"36005", "36047", "36061", "36081", "36085"}
    assert nyc <= set(missing["fips"])
    assert missing.loc[~missing["fips"].isin(nyc), "total_crime_per_10k"].isna().all()
    assert rows["crime_coverage"].dropna().between(0, 100).all()


def test_a_cut_of_zero_drops_nothing(panel):
    from analysis.compare.coverage import apply_min_coverage

    cut, dropped = apply_min_coverage(panel, 0)
    assert dropped.empty
    pd.testing.assert_frame_equal(cut, panel)


def test_a_did_spanning_2015_with_a_cut_above_80_gives_the_flag_reason(panel):
    from analysis.core.errors import AnalysisError

    with pytest.raises(AnalysisError, match="2015 crime has only Urban's quality flag"):
        compare("ice2014", "did", None, "total_crime_per_10k", panel=panel, min_coverage=90)
    table = compare("ice2014", "did", None, None, panel=panel, min_coverage=90)
    crime = table[table["outcome"] == "total_crime_per_10k"].iloc[0]
    assert "2015 crime has only Urban's quality flag" in crime["note"]
