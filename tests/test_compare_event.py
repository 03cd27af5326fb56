"""The event study (compare method "event") on small panels whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare import event_study
from analysis.compare.event import adoption_years
from analysis.core.errors import AnalysisError, ValidationError

YEARS = list(range(2010, 2018))


def staggered_panel(
    effects: dict[int, float], n_per_cohort: int = 6, n_control: int = 30, noise: float = 0.0
):
    """y = county level + year shock + the cohort's effect once adopted (+ noise, none by
    default, so estimates are exact).

    `effects`: adoption year -> effect. Returns (panel, status, adoption)."""
    rng = np.random.default_rng(3)
    shocks = dict(zip(YEARS, rng.normal(0, 1, len(YEARS)), strict=True))
    counties, adoption = [], {}
    for cohort in effects:
        for i in range(n_per_cohort):
            fips = f"{cohort % 100:02d}{i:03d}"
            counties.append((fips, cohort))
            adoption[fips] = cohort
    counties += [(f"90{i:03d}", 0) for i in range(n_control)]
    rows = []
    for k, (fips, cohort) in enumerate(counties):
        level = 5 + (k % 7)
        for year in YEARS:
            effect = effects.get(cohort, 0.0) if cohort and year >= cohort else 0.0
            rows.append(
                {
                    "fips": fips,
                    "year": year,
                    "poverty_pct": level + shocks[year] + effect + rng.normal(0, noise),
                    "unemployment_pct": level / 2 + shocks[year],
                    "total_crime_per_10k": (
                        np.nan
                        if year in (2011, 2013, 2014)
                        else 10 * (level + shocks[year] + effect)
                    ),
                    "population": 1e4 * (1 + k),
                    "foreign_born_pct": 2.0 + k % 5,
                    "nchs_urban_rural_2013": 1 + k % 6,
                }
            )
    panel = pd.DataFrame(rows)
    status = pd.Series(
        ["sanctuary" if c else "other" for _, c in counties],
        index=[f for f, _ in counties],
        name="toy",
    )
    return panel, status, pd.Series(adoption)


@pytest.mark.parametrize("controls", ["never", "not_yet"])
def test_a_constant_effect_is_recovered_and_the_years_before_are_zero(controls):
    panel, status, adoption = staggered_panel({2013: 2.0, 2014: 2.0})
    table = event_study(panel, status, adoption, "poverty_pct", controls=controls)
    by_year = table.dropna(subset=["relative_year"]).set_index("relative_year")["estimate"]
    assert np.allclose(by_year[by_year.index >= 0], 2.0, atol=1e-8)
    assert np.allclose(by_year[by_year.index < 0], 0.0, atol=1e-8)
    average = table.loc[table["term"] == "after (average)", "estimate"].item()
    assert average == pytest.approx(2.0, abs=1e-8)


def test_cohort_effects_are_averaged_by_cohort_share_not_mixed_by_regression():
    # 12 counties adopt in 2012 with effect 1, 6 in 2014 with effect 4: at relative year 0
    # the robust estimate is the share-weighted mean (12 x 1 + 6 x 4) / 18 = 2.
    panel, status, adoption = staggered_panel({2012: 1.0, 2014: 4.0}, n_per_cohort=6)
    twelve = adoption[adoption == 2012].index
    extra = panel[panel["fips"].isin(twelve)].assign(fips=lambda f: "7" + f["fips"].str[1:])
    panel = pd.concat([panel, extra], ignore_index=True)
    status = pd.concat([status, pd.Series("sanctuary", index=extra["fips"].unique())])
    adoption = pd.concat([adoption, pd.Series(2012, index=extra["fips"].unique())])
    table = event_study(panel, status, adoption, "poverty_pct")
    at = table.set_index("relative_year")["estimate"]
    assert at[0] == pytest.approx(2.0, abs=1e-8)
    assert at[4] == pytest.approx(1.0, abs=1e-8)  # only the 2012 cohort reaches +4 (2016)


def test_rows_carry_what_a_reader_needs():
    panel, status, adoption = staggered_panel({2014: 1.0})
    table = event_study(panel, status, adoption, "poverty_pct")
    for column in [
        "relative_year",
        "estimate",
        "ci_low",
        "ci_high",
        "n_sanctuary",
        "n_control",
        "pretrend_p_value",
        "reference_relative_year",
    ]:
        assert column in table.columns
    reference = table[table["term"] == "reference"]
    assert reference["relative_year"].tolist() == [-1]
    assert reference["estimate"].tolist() == [0.0]
    assert set(table["n_control"]) == {30}
    assert table["relative_year"].dropna().tolist() == list(range(-4, 4))


def test_the_reference_moves_back_when_the_year_before_adoption_has_no_data():
    panel, status, adoption = staggered_panel({2014: 1.5, 2012: 1.5})  # crime: no 2013
    table = event_study(panel, status, adoption, "total_crime_per_10k")
    assert set(table["reference_relative_year"]) == {-2}
    assert "relative year -2" not in table["note"].iloc[0]  # 2012 cohort has 2010
    by_year = table.dropna(subset=["relative_year"]).set_index("relative_year")["estimate"]
    assert -1 not in by_year.index and 0 in by_year.index  # 2013 missing, 2012 cohort's 0
    assert np.allclose(by_year[by_year.index >= 0], 15.0, atol=1e-6)


def test_cohorts_without_a_year_before_are_left_out_and_counted():
    panel, status, adoption = staggered_panel({2010: 1.0, 2014: 1.0})
    table = event_study(panel, status, adoption, "poverty_pct")
    assert "6 counties adopting in 2010 left out: no year before 2010" in table["note"].iloc[0]
    assert table["n_focal"].iloc[0] == 6


def test_undated_focal_counties_are_left_out_with_a_count():
    panel, status, adoption = staggered_panel({2014: 1.0})
    table = event_study(panel, status, adoption.iloc[2:], "poverty_pct")
    assert "2 sanctuary counties have no enactment date" in table["note"].iloc[0]
    assert table["n_focal"].iloc[0] == 4


def test_conditioning_on_covariates_or_classes_runs_and_is_labelled():
    panel, status, adoption = staggered_panel({2013: 2.0, 2014: 2.0})
    table = event_study(
        panel, status, adoption, "poverty_pct", controls="not_yet", covariates=["foreign_born_pct"]
    )
    assert set(table["covariates"]) == {"foreign_born_pct"}
    average = table.loc[table["term"] == "after (average)", "estimate"].item()
    assert average == pytest.approx(2.0, abs=1e-6)
    within = event_study(panel, status, adoption, "poverty_pct", within="nchs")
    assert "within NCHS classes" in within["covariates"].iloc[0]
    with pytest.raises(AnalysisError, match="within='nchs' works with controls='never'"):
        event_study(panel, status, adoption, "poverty_pct", controls="not_yet", within="nchs")


def test_a_misspelt_control_group_names_the_valid_ones():
    panel, status, adoption = staggered_panel({2014: 1.0})
    with pytest.raises(AnalysisError, match="never, not_yet"):
        event_study(panel, status, adoption, "poverty_pct", controls="nevr")


def test_adoption_years_read_year_or_year_month_and_refuse_anything_else():
    years = adoption_years(pd.Series({"01001": "2014-09", "01003": "2013", "01005": None}))
    assert years.tolist()[:2] == [2014, 2013] and pd.isna(years.iloc[2])
    with pytest.raises(ValidationError, match="'Sep-14' for 01001"):
        adoption_years(pd.Series({"01001": "Sep-14"}))


def test_the_summary_says_in_words_whether_the_gap_was_there_and_moving():
    from analysis.publish.findings import event_summary as summarise

    panel, status, adoption = staggered_panel({2013: -2.0, 2014: -2.0}, noise=0.3)
    drifting = panel.assign(  # adopting counties drift up 0.5 a year before and after
        unemployment_pct=panel["unemployment_pct"]
        + 0.5 * (panel["year"] - 2010) * panel["fips"].isin(adoption.index)
    )
    table = event_study(drifting, status, adoption, ["poverty_pct", "unemployment_pct"])
    summary = summarise(table).set_index("outcome")
    assert summary.loc["poverty_pct", "gaps_before"] == "no"
    assert summary.loc["poverty_pct", "answer"].startswith("Poverty: fell by")
    assert summary.loc["poverty_pct", "estimate"] == pytest.approx(-2.0, abs=0.3)
    assert summary.loc["unemployment_pct", "gaps_before"] == "yes"
    assert summary.loc["unemployment_pct", "answer"].endswith("the trends before already differed")


def test_across_specifications_gives_the_range_and_the_clear_count():
    from analysis.publish.findings import across_specifications

    checks = pd.DataFrame(
        {
            "outcome": ["poverty_pct"] * 3,
            "specification": ["a", "b", "c"],
            "estimate": [-0.43, -0.2, -0.3],
            "ci_low": [-0.66, -0.45, -0.5],
            "ci_high": [-0.2, 0.04, -0.1],
        }
    )
    (sentence,) = across_specifications(checks)
    assert "from -0.43 to -0.20 across 3 specifications" in sentence
    assert "excludes zero in 2 of 3" in sentence


def test_two_stage_estimates_are_measured_from_the_reference_year():
    # Noise makes the adopting counties' mean residual in year -1 non-zero; each estimate
    # must be that year's minus year -1's, so the reference is zero by construction.
    panel, status, adoption = staggered_panel({2013: 2.0, 2014: 2.0}, noise=0.5)
    table = event_study(panel, status, adoption, "poverty_pct", controls="not_yet")
    by_year = table.dropna(subset=["relative_year"]).set_index("relative_year")["estimate"]
    never = event_study(panel, status, adoption, "poverty_pct").set_index("relative_year")
    assert by_year[-1] == 0.0
    # Both estimators measure from the same noisy year -1, so they move together.
    post = by_year[by_year.index >= 0]
    assert (post - never.loc[post.index, "estimate"]).abs().max() < 0.2


def test_adoption_years_read_the_day_dates_of_the_2025_287g_sheet():
    # ICE's 287(g) sheet dates agreements to the day ("2025-02-26"): g287_2025's dates.
    years = adoption_years(pd.Series({"12086": "2025-02-26", "48201": "2019-07"}))
    assert years.to_dict() == {"12086": 2025, "48201": 2019}
    with pytest.raises(ValidationError, match="2025-02"):
        adoption_years(pd.Series({"12086": "2025-02-2"}))


def test_cohorts_after_the_years_studied_are_left_out_with_a_note():
    # A 287(g) agreement signed in 2025 has no year after it in 2010-2017.
    panel, status, adoption = staggered_panel({2013: 2.0})
    late = (
        panel[panel["fips"].str.startswith("90")]
        .head(8 * 4)
        .assign(fips=lambda f: "5" + f["fips"].str[1:])
    )
    panel = pd.concat([panel, late], ignore_index=True)
    status = pd.concat([status, pd.Series("sanctuary", index=late["fips"].unique())])
    adoption = pd.concat([adoption, pd.Series(2025, index=late["fips"].unique())])
    table = event_study(panel, status.rename("toy"), adoption, "poverty_pct")
    average = table[table["term"] == "after (average)"].iloc[0]
    assert average["estimate"] == pytest.approx(2.0, abs=1e-8)
    assert "4 counties adopting in 2025 left out: after the last year studied" in average["note"]
    only_late = status.where(~status.index.isin(adoption.index[adoption == 2013]), "other")
    failed = event_study(panel, only_late.rename("toy"), adoption, "poverty_pct")
    assert failed["note"].iloc[0].startswith("not estimated: no focal county adopted in")


def test_the_specification_curve_includes_the_event_studys_average_after_adoption():
    from analysis.compare import specification_curve

    panel, status, adoption = staggered_panel({2013: 2.0, 2014: 2.0})
    curve = specification_curve(
        panel,
        statuses={"toy": status},
        methods=("raw", "event"),
        outcomes=["poverty_pct"],
        years=[2015],
        options={"event": {"adoption": adoption}},
        workers=1,
    )
    event = curve[curve["method"] == "event"]
    assert len(event) == 1 and event["term"].iloc[0] == "after (average)"
    assert event["estimate"].iloc[0] == pytest.approx(2.0, abs=1e-8)
    undated = specification_curve(
        panel, statuses={"toy": status}, methods=("event",), outcomes=["poverty_pct"], workers=1
    )
    assert (
        undated["note"].iloc[0]
        == "not estimated: toy does not date its policies: no adoption year to study"
    )
