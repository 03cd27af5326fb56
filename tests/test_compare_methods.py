"""Each method on small hand-made tables, against numbers worked out by hand
(in the comments) or by statsmodels/scipy where they compute the same thing."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from analysis.compare import (
    did,
    estimate,
    ipw,
    make_groups,
    match,
    matched_sets,
    permutation,
    raw,
    regression,
    strata,
)
from analysis.compare.descriptive import (
    _permuted_labels,
    permutation_draws,
    permutation_interval,
    permutation_p,
)
from analysis.core.errors import AnalysisError, OutcomeUnavailable, UnknownChoice


def status_of(
    focal: list[str], all_fips: list[str], name: str = "toy", value: str = "sanctuary"
) -> pd.Series:
    return pd.Series(
        [value if f in focal else "other" for f in all_fips],
        index=pd.Index(all_fips, name="fips"),
        name=name,
    )


# --- raw differences --------------------------------------------------------------

# Focal y = 1, 2, 3, 6 (mean 3, variance 14/3); comparison y = 2, 4, 4, 6, 9
# (mean 5, variance 7). Population weights 1, 1, 2, 4 and 1, 1, 1, 1, 4.
RAW = pd.DataFrame(
    {
        "fips": ["01001", "01002", "01003", "01004", "02001", "02002", "02003", "02004", "02005"],
        "year": 2015,
        "poverty_pct": [1.0, 2, 3, 6, 2, 4, 4, 6, 9],
        "population": [1000.0, 1000, 2000, 4000, 1000, 1000, 1000, 1000, 4000],
    }
)
RAW_STATUS = status_of(["01001", "01002", "01003", "01004"], list(RAW["fips"]))


def test_raw_unweighted_is_the_welch_difference():
    from scipy import stats

    row = raw(RAW, RAW_STATUS, 2015, "poverty_pct", weights="none").iloc[0]
    assert row["estimate"] == pytest.approx(3 - 5)
    se = math.sqrt(14 / 3 / 4 + 7 / 5)  # 1.602082
    assert row["std_error"] == pytest.approx(se)
    df = (14 / 12 + 7 / 5) ** 2 / ((14 / 12) ** 2 / 3 + (7 / 5) ** 2 / 4)  # 6.98
    q = stats.t.ppf(0.975, df)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((-2 - q * se, -2 + q * se))
    welch = stats.ttest_ind(RAW["poverty_pct"][:4], RAW["poverty_pct"][4:], equal_var=False)
    assert row["p_value"] == pytest.approx(welch.pvalue)
    assert (row["n_focal"], row["n_comparison"]) == (4, 5)


def test_raw_population_weighted_equals_weighted_least_squares_hc2():
    import statsmodels.api as sm

    row = raw(RAW, RAW_STATUS, 2015, "poverty_pct", weights="population").iloc[0]
    assert row["estimate"] == pytest.approx(33 / 8 - 52 / 8)  # weighted means 4.125 and 6.5
    dummy = np.column_stack([np.ones(9), RAW_STATUS.eq("sanctuary").to_numpy(float)])
    wls = sm.WLS(RAW["poverty_pct"], dummy, weights=RAW["population"]).fit(cov_type="HC2")
    assert row["estimate"] == pytest.approx(wls.params.iloc[1])
    assert row["std_error"] == pytest.approx(wls.bse.iloc[1])
    assert row["weights"] == "population"


def test_raw_gives_both_weightings_by_default():
    table = raw(RAW, RAW_STATUS, 2015, "poverty_pct")
    assert list(table["weights"]) == ["none", "population"]


# --- permutation ------------------------------------------------------------------


def test_permutation_p_value_approaches_the_exact_one():
    y = RAW["poverty_pct"].to_numpy()
    observed = 3 - 5
    extreme = 0
    for chosen in itertools.combinations(range(9), 4):
        mask = np.zeros(9, bool)
        mask[list(chosen)] = True
        extreme += abs(y[mask].mean() - y[~mask].mean()) >= abs(observed) - 1e-12
    exact = extreme / math.comb(9, 4)
    row = permutation(RAW, RAW_STATUS, 2015, "poverty_pct", n_permutations=20000).iloc[0]
    assert row["estimate"] == pytest.approx(observed)
    assert row["p_value"] == pytest.approx(exact, abs=0.015)
    draws = row["n_permutations"]
    count = row["p_value"] * (draws + 1)  # (1 + extreme draws) / (1 + draws)
    assert count == pytest.approx(round(count)) and round(count) >= 1


def test_permutation_is_reproducible_with_a_seed():
    from analysis.compare import descriptive

    one = permutation(RAW, RAW_STATUS, 2015, "poverty_pct", seed=7)
    # Drawn labels are cached between outcomes: draw them afresh, as a new process would.
    descriptive._LABEL_CACHE.clear()
    two = permutation(RAW, RAW_STATUS, 2015, "poverty_pct", seed=7)
    pd.testing.assert_frame_equal(one, two)
    descriptive._LABEL_CACHE.clear()
    other = permutation(RAW, RAW_STATUS, 2015, "poverty_pct", seed=8, n_permutations=200)
    again = permutation(RAW, RAW_STATUS, 2015, "poverty_pct", seed=7, n_permutations=200)
    assert (other["std_error"] != again["std_error"]).all(), "the seed changes the draws"


def test_shifted_draws_are_linear_in_the_shift():
    y = RAW["poverty_pct"].to_numpy()
    focal = RAW_STATUS.eq("sanctuary").to_numpy()
    w = RAW["population"].to_numpy()
    obs, a, c = permutation_draws(y, focal, w, n_permutations=300, seed=2)
    obs2, a2, _ = permutation_draws(y - 1.5 * focal, focal, w, n_permutations=300, seed=2)
    assert obs2 == pytest.approx(obs - 1.5)
    np.testing.assert_allclose(a2, a - 1.5 * c, atol=1e-12)


def test_permutation_interval_is_where_the_test_stops_rejecting():
    y = np.r_[np.arange(30.0), np.arange(30.0) + 8]
    focal = np.r_[np.zeros(30, bool), np.ones(30, bool)]
    obs, a, c = permutation_draws(y, focal, n_permutations=4000, seed=1)
    low, high = permutation_interval(obs, a, c, 0.95, scale=2.0)
    assert low < obs < high
    assert permutation_p(obs, a, c, obs) == 1.0
    for bound, outward in ((low, -1), (high, 1)):
        assert permutation_p(obs, a, c, bound) > 0.05
        assert permutation_p(obs, a, c, bound + outward * 1e-6 * (high - low)) <= 0.05


def test_permutation_within_strata_keeps_each_strata_count():
    treated = np.array([1, 0, 0, 1, 1, 0, 0, 0], bool)
    strata = np.array([1, 1, 1, 2, 2, 2, 2, 2])
    labels = _permuted_labels(treated, strata, 200, np.random.default_rng(0))
    assert (labels[:, strata == 1].sum(axis=1) == 1).all()
    assert (labels[:, strata == 2].sum(axis=1) == 2).all()
    assert len({tuple(row) for row in labels}) > 1


# --- matching ---------------------------------------------------------------------

# One covariate x (foreign_born_pct). Focal A x=1 y=10, B x=5 y=20, G x=5.5 y=25;
# comparison C x=0 y=4, D x=2 y=6, E x=6 y=13, F x=9 y=30.
# With replacement: A is 1 from both C and D (tie: smaller FIPS, C), B -> E (1),
# G -> E (0.5). Effects 6, 7, 12: ATT 25/3.
MATCH = pd.DataFrame(
    {
        "fips": ["10001", "10002", "10007", "10003", "10004", "10005", "10006"],
        "year": 2015,
        "foreign_born_pct": [1.0, 5.0, 5.5, 0.0, 2.0, 6.0, 9.0],
        "poverty_pct": [10.0, 20.0, 25.0, 4.0, 6.0, 13.0, 30.0],
        "nchs_urban_rural_2013": [1, 2, 2, 2, 1, 2, 2],
        "population": 1000.0,
    }
)
MATCH_STATUS = status_of(["10001", "10002", "10007"], list(MATCH["fips"]))
X_ONLY = ["foreign_born_pct"]


def pairs(**options) -> dict[str, str]:
    found = matched_sets(MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY, **options)
    return dict(zip(found["fips_focal"], found["fips_comparison"]))


def test_matching_with_replacement_and_the_tie_rule():
    assert pairs() == {"10001": "10003", "10002": "10005", "10007": "10005"}
    row = match(MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY).iloc[0]
    assert row["estimate"] == pytest.approx(25 / 3)
    assert (row["n_comparisons_used"], row["max_comparison_reuse"]) == (2, 2)


def test_tie_goes_to_the_smaller_fips_whatever_the_row_order():
    renamed = MATCH.assign(fips=MATCH["fips"].replace({"10003": "10009"}))
    shuffled = renamed.sample(frac=1, random_state=4)
    status = status_of(["10001", "10002", "10007"], list(renamed["fips"]))
    found = matched_sets(shuffled, status, 2015, "poverty_pct", covariates=X_ONLY)
    assert dict(zip(found["fips_focal"], found["fips_comparison"]))["10001"] == "10004"


def test_abadie_imbens_standard_error_by_hand():
    # E is used twice (K = 2, K' = 2): its conditional variance comes from its two
    # nearest comparison counties F (y 30) and D (y 6): 2/3 * (13 - 18)^2 = 50/3.
    # Effects 6, 7, 12 around 25/3 give squares summing to 62/3.
    # V = (62/3 + (4 - 2) * 50/3) / 3^2 = 6, SE = sqrt(6).
    row = match(MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY).iloc[0]
    assert row["std_error"] == pytest.approx(math.sqrt(6))
    assert row["ci_low"] == pytest.approx(25 / 3 - 1.959963984540054 * math.sqrt(6))


def test_matching_without_replacement_is_greedy_closest_first():
    # Order by nearest distance: G (0.5) takes E; A (1, before B by FIPS) takes C;
    # B's nearest free county is then D (3). Effects 6, 14, 12.
    assert pairs(replacement=False) == {"10001": "10003", "10002": "10004", "10007": "10005"}
    row = match(
        MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY, replacement=False
    ).iloc[0]
    assert row["estimate"] == pytest.approx(32 / 3)
    assert row["max_comparison_reuse"] == 1


def test_caliper_drops_focal_counties_without_a_close_match():
    sd = np.std(MATCH["foreign_born_pct"], ddof=1)
    row = match(
        MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY, caliper=0.75 / sd
    ).iloc[0]
    assert row["n_unmatched"] == 2  # A and B are 1 away, G 0.5
    assert row["estimate"] == pytest.approx(12)
    assert "matched" in row["estimand"] and "2 focal counties" in row["note"]


def test_exact_matching_stays_within_the_class():
    # A is in class 1 with D only, so A takes D (y 6): effects 4, 7, 12.
    assert pairs(exact=["nchs_urban_rural_2013"])["10001"] == "10004"
    row = match(
        MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY, exact=["nchs_urban_rural_2013"]
    ).iloc[0]
    assert row["estimate"] == pytest.approx(23 / 3)


def test_balance_table_by_hand():
    _, balance = match(MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY, balance=True)
    b = balance.iloc[0]
    xt, xc = np.array([1, 5, 5.5]), np.array([0, 2, 6, 9.0])
    sd = math.sqrt((xt.var(ddof=1) + xc.var(ddof=1)) / 2)
    assert b["smd_before"] == pytest.approx((xt.mean() - xc.mean()) / sd)
    assert b["smd_after"] == pytest.approx((xt.mean() - (0 + 6 + 6) / 3) / sd)
    assert b["imbalanced_after"] == (abs(b["smd_after"]) > 0.1)
    assert {c for c in balance.columns if c.startswith("smd_")} == {"smd_before", "smd_after"}


def test_bootstrap_over_matched_sets():
    kwargs = dict(covariates=X_ONLY, se="bootstrap", n_boot=4000, seed=3)
    one = match(MATCH, MATCH_STATUS, 2015, "poverty_pct", **kwargs).iloc[0]
    two = match(MATCH, MATCH_STATUS, 2015, "poverty_pct", **kwargs).iloc[0]
    assert one["std_error"] == two["std_error"]
    # Resampling 3 effects (6, 7, 12): the SE of their mean is sd(ddof=0)/sqrt(3).
    assert one["std_error"] == pytest.approx(np.std([6, 7, 12]) / math.sqrt(3), rel=0.05)
    assert 6 <= one["ci_low"] < 25 / 3 < one["ci_high"] <= 12


def test_mahalanobis_equals_standardized_with_one_covariate():
    assert pairs(metric="mahalanobis") == pairs()


# --- regression and IPW -------------------------------------------------------------


@pytest.fixture(scope="module")
def generated():
    rng = np.random.default_rng(11)
    n = 120
    frame = pd.DataFrame(
        {
            "fips": [f"{i:05d}" for i in range(1, n + 1)],
            "year": 2015,
            "population": rng.uniform(5e3, 5e5, n),
            "foreign_born_pct": rng.uniform(1, 30, n),
            "hispanic_pct": rng.uniform(1, 50, n),
            "nchs_urban_rural_2013": rng.integers(1, 7, n),
        }
    )
    logit = -1 + 0.05 * frame["foreign_born_pct"] - 0.02 * frame["hispanic_pct"]
    focal = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame["poverty_pct"] = 15 - 2 * focal + 0.1 * frame["hispanic_pct"] + rng.normal(0, 3, n)
    frame["unemployment_pct"] = 5 + rng.normal(0, 1, n)
    status = status_of(list(frame.loc[focal, "fips"]), list(frame["fips"]))
    return frame, status


def test_regression_equals_statsmodels(generated):
    import statsmodels.api as sm

    frame, status = generated
    row = regression(frame, status, 2015, "poverty_pct", cov_type="HC3").iloc[0]
    X = np.column_stack(
        [
            np.ones(len(frame)),
            status.eq("sanctuary").to_numpy(float),
            np.log(frame["population"]),
            frame["foreign_born_pct"],
            frame["hispanic_pct"],
        ]
    )
    ols = sm.OLS(frame["poverty_pct"].to_numpy(), X).fit(cov_type="HC3")
    assert row["estimate"] == pytest.approx(ols.params[1], rel=1e-10)
    assert row["std_error"] == pytest.approx(ols.bse[1], rel=1e-10)
    assert row["p_value"] == pytest.approx(ols.pvalues[1], rel=1e-8)
    assert row["cov_type"] == "HC3" and row["covariates"] == "cap"


def test_ipw_through_the_library(generated):
    frame, status = generated
    row = ipw(frame, status, 2015, "poverty_pct").iloc[0]
    assert row["estimand"].startswith("ATT")
    assert 0 < row["propensity_min"] < row["propensity_max"] < 1
    assert row["effective_n_comparison"] <= row["n_comparison"]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_strata_run_the_base_method_within_each_class(generated):
    frame, status = generated
    table = strata(frame, status, 2015, "poverty_pct", base="raw", weights="none")
    assert list(table["stratum"]) == [1, 2, 3, 4, 5, 6]
    for _, row in table.iterrows():
        inside = frame["nchs_urban_rural_2013"] == row["stratum"]
        focal = status.eq("sanctuary").to_numpy() & inside.to_numpy()
        control = ~status.eq("sanctuary").to_numpy() & inside.to_numpy()
        y = frame["poverty_pct"].to_numpy()
        assert row["estimate"] == pytest.approx(y[focal].mean() - y[control].mean())
        assert row["n_focal"] + row["n_comparison"] == inside.sum()


def test_strata_report_a_class_too_small_to_estimate():
    frame = MATCH.copy()
    table = strata(frame, MATCH_STATUS, 2015, "poverty_pct", covariates=X_ONLY)
    small = table[table["stratum"] == 1].iloc[0]  # one focal and one comparison county
    assert np.isnan(small["estimate"]) and "too few" in small["note"]
    assert table[table["stratum"] == 3].iloc[0]["n_focal"] == 0


# --- difference-in-differences ----------------------------------------------------------


@pytest.fixture(scope="module")
def did_panel():
    rng = np.random.default_rng(5)
    fips = [f"0600{i}" for i in range(1, 9)]
    focal = fips[:3]
    rows = []
    for f in fips:
        level = rng.normal(10, 2)
        for year in (2010, 2012, 2015, 2016):
            effect = 1.5 if (f in focal and year >= 2015) else 0.0
            rows.append(
                {
                    "fips": f,
                    "year": year,
                    "poverty_pct": level + 0.3 * (year - 2010) + effect + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows), status_of(focal, fips)


def statsmodels_twfe(frame, focal, terms):
    import statsmodels.formula.api as smf

    data = frame.assign(**{name: fn(frame) for name, fn in terms.items()})
    formula = "poverty_pct ~ C(fips) + C(year) + " + " + ".join(terms)
    fit = smf.ols(formula, data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["fips"])[0]}
    )
    return fit, len(data), len(fit.params)


def test_did_equals_two_way_fixed_effects_in_statsmodels(did_panel):
    frame, status = did_panel
    focal = set(status.index[status == "sanctuary"])
    table, gaps = did(frame, status, "poverty_pct", event_study=True)
    row = table.iloc[0]
    fit, n, k_full = statsmodels_twfe(
        frame,
        focal,
        {"focal_after": lambda d: (d["fips"].isin(focal) & (d["year"] >= 2015)).astype(float)},
    )
    assert row["estimate"] == pytest.approx(fit.params["focal_after"], rel=1e-10)
    # Same clustered sandwich; statsmodels counts the 8 county dummies in K, this
    # estimator does not (they are nested in the clusters): K = 1 + 3 years + 1.
    expected = fit.bse["focal_after"] * math.sqrt((n - k_full) / (n - 5))
    assert row["std_error"] == pytest.approx(expected, rel=1e-10)
    assert (row["n_focal"], row["n_comparison"]) == (3, 5)

    def focal_in(yr):
        return lambda d: (d["fips"].isin(focal) & (d["year"] == yr)).astype(float)

    events = {yr: focal_in(yr) for yr in (2010, 2015, 2016)}
    fit, n, k_full = statsmodels_twfe(frame, focal, {f"focal_{y}": f for y, f in events.items()})
    by_year = gaps.set_index("year")
    for yr in (2010, 2015, 2016):
        assert by_year.loc[yr, "gap"] == pytest.approx(fit.params[f"focal_{yr}"], rel=1e-10)
    assert by_year.loc[2012, "gap"] == 0 and by_year.loc[2012, "period"] == "reference"
    # One pre-period gap: the joint test is its t test with G - 1 df.
    assert row["pretrend_p_value"] == pytest.approx(by_year.loc[2010, "p_value"], rel=1e-8)


def test_did_unbalanced_panel_equals_statsmodels(did_panel):
    frame, status = did_panel
    frame = frame.copy()
    frame.loc[5, "poverty_pct"] = np.nan
    focal = set(status.index[status == "sanctuary"])
    balanced = did(frame, status, "poverty_pct").iloc[0]
    assert balanced["n_dropped_focal"] + balanced["n_dropped_comparison"] == 1
    row = did(frame, status, "poverty_pct", balanced=False).iloc[0]
    fit, _, _ = statsmodels_twfe(
        frame.dropna(),
        focal,
        {"focal_after": lambda d: (d["fips"].isin(focal) & (d["year"] >= 2015)).astype(float)},
    )
    assert row["estimate"] == pytest.approx(fit.params["focal_after"], rel=1e-10)


def test_did_refuses_an_outcome_missing_in_its_years(did_panel):
    frame, status = did_panel
    with pytest.raises(OutcomeUnavailable, match="2010, 2012, 2015, 2016, 2017"):
        did(frame.assign(violent_per_10k=1.0), status, "violent_per_10k", pre=(2011, 2012))


def test_a_year_this_build_lacks_is_named_with_how_to_add_it(did_panel):
    from analysis.compare.engine import estimate
    from analysis.core.errors import NotInBuild

    frame, status = did_panel
    # Crime everywhere but 2016, as in a build without the optional ICPSR 2016 file.
    crime = np.where(frame["year"] == 2016, np.nan, 5.0)
    frame = frame.assign(
        violent_per_10k=crime,
        property_per_10k=crime,
        total_crime_per_10k=crime,
        unemployment_pct=4.0,
        median_household_income=5e4,
        labor_force_participation_pct=60.0,
        population=1e4,
    )
    with pytest.raises(NotInBuild) as err:
        did(frame, status, "violent_per_10k")
    message = str(err.value)
    assert message.startswith("violent_per_10k: 2016 crime is not in this build")
    assert "studies/37059" in message and "data/raw/crime/icpsr-37059-2016/" in message
    with pytest.raises(NotInBuild, match="2016 crime"):
        estimate(frame, status, "raw", 2016, "violent_per_10k")
    # Asked for every outcome, the table keeps a row saying why, instead of dropping it.
    table = estimate(frame, status, "raw", 2016, None, weights="none")
    rows = table.set_index("outcome")
    assert np.isnan(rows.loc["violent_per_10k", "estimate"])
    assert "2016 crime is not in this build" in rows.loc["violent_per_10k", "note"]
    means = (
        frame[frame["year"] == 2016]
        .assign(s=frame["fips"].map(status))
        .groupby("s")["poverty_pct"]
        .mean()
    )
    assert rows.loc["poverty_pct", "estimate"] == pytest.approx(means["sanctuary"] - means["other"])


# --- groups, missing values and errors ------------------------------------------------


def test_missing_outcome_drops_the_county_from_that_outcome_only():
    frame = RAW.assign(unemployment_pct=[np.nan, 1, 2, 3, 4, 5, 6, 7, 8.0])
    table = raw(frame, RAW_STATUS, 2015, ["poverty_pct", "unemployment_pct"], weights="none")
    pov, unemp = table.iloc[0], table.iloc[1]
    assert (pov["n_focal"], pov["n_dropped_focal"]) == (4, 0)
    assert (unemp["n_focal"], unemp["n_dropped_focal"]) == (3, 1)
    assert unemp["estimate"] == pytest.approx(2 - 6)
    assert "dropped 1 focal" in unemp["note"]


def test_cooperating_comparison_excludes_counties_also_sanctuary():
    all_fips = list(RAW["fips"])
    cooperating = status_of(["01004", "02001", "02002"], all_fips, "g287_toy", "cooperating")
    table = raw(RAW, RAW_STATUS, 2015, "poverty_pct", comparison=cooperating, weights="none")
    row = table.iloc[0]
    assert row["comparison"] == "cooperating (g287_toy)"
    assert (row["n_focal"], row["n_comparison"], row["n_overlap_excluded"]) == (4, 2, 1)
    assert row["estimate"] == pytest.approx(3 - 3)  # comparison y 2 and 4
    assert "also sanctuary" in row["note"]


def test_a_cooperating_definition_is_compared_with_all_others():
    groups = make_groups(status_of(["01001"], list(RAW["fips"]), "g287_x", "cooperating"))
    assert groups.focal_group == "cooperating" and len(groups.control) == 8


def test_unknown_choices_list_the_valid_ones():
    with pytest.raises(UnknownChoice, match="valid outcomes: .*poverty_pct"):
        raw(RAW, RAW_STATUS, 2015, "povrty_pct")
    with pytest.raises(UnknownChoice, match="valid methods: .*match"):
        estimate(RAW, RAW_STATUS, "matching", 2015)
    with pytest.raises(UnknownChoice, match="valid covariates: .*hispanic_pct"):
        match(MATCH, MATCH_STATUS, 2015, "poverty_pct", covariates=["hispanic"])
    with pytest.raises(UnknownChoice, match="caliper"):
        estimate(RAW, RAW_STATUS, "raw", 2015, caliper=0.2)
    with pytest.raises(UnknownChoice, match="valid years: 2010"):
        raw(RAW, RAW_STATUS, 2031)


@pytest.mark.parametrize(
    "method,misspelt",
    [
        ("raw", "weight"),
        ("ipw", "estimad"),
        ("regression", "covtype"),
        ("did", "refrence"),
        ("strata", "neighbours"),
    ],
)
def test_a_misspelt_option_is_an_error_naming_the_valid_ones(method, misspelt):
    from analysis.compare.engine import make_plan
    from analysis.compare.methods import method as lookup

    with pytest.raises(UnknownChoice) as err:
        make_plan(method, options={misspelt: 1})
    assert f"option for method {method!r}" in str(err.value)
    names = lambda name: {o.name for o in lookup(name).option_list()}  # noqa: E731
    valid = names(method) | (names("match") if method == "strata" else set())
    assert set(err.value.valid) == set(valid)


def test_the_rows_functions_take_no_option_they_do_not_use():
    # Nothing swallows a stray keyword: every method's rows function refuses it.
    import inspect

    from analysis.compare.methods import METHOD_TABLE

    for spec in METHOD_TABLE.values():
        parameters = inspect.signature(spec.rows).parameters
        assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values()), spec.name
        named = set(parameters) - {
            "design",
            "outcome",
            "covariates",
            "covariate_label",
            "details",
            "run_base",  # strata: the base method, set up by the engine
        }
        options = {o.name for o in spec.option_list() if not o.design}
        assert named == options, (spec.name, named ^ options)


def test_an_outcome_missing_in_a_year_is_an_error_or_left_out():
    frame = RAW.assign(year=2011, total_crime_per_10k=1.0)
    with pytest.raises(OutcomeUnavailable, match="2010, 2012, 2015, 2016, 2017"):
        raw(frame, RAW_STATUS, 2011, "total_crime_per_10k")
    frame = frame.assign(
        unemployment_pct=1.0, median_household_income=1.0, labor_force_participation_pct=1.0
    )
    table = raw(frame, RAW_STATUS, 2011, weights="none")
    assert "total_crime_per_10k" not in set(table["outcome"])
    assert "poverty_pct" in set(table["outcome"])


def test_status_values_are_checked():
    bad = RAW_STATUS.replace({"other": "neither"})
    with pytest.raises(AnalysisError, match="neither"):
        raw(RAW, bad, 2015, "poverty_pct")


def test_a_status_county_missing_from_the_panel_is_an_error():
    with pytest.raises(AnalysisError, match="no panel row"):
        raw(RAW.iloc[1:], RAW_STATUS, 2015, "poverty_pct")


def test_a_bad_choice_stops_before_any_data_are_read(tmp_path, monkeypatch):
    """An empty project root has no panel and no definitions: the bad value is named,
    not the missing data."""
    from analysis.compare import compare
    from analysis.core.errors import UnknownChoice

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    with pytest.raises(UnknownChoice, match="weights"):
        compare("ice2014", "raw", 2015, weights="")
    with pytest.raises(UnknownChoice, match="option for method 'match'"):
        compare("ice2014", "match", 2015, caliper_=0.2)


def test_member_of_matches_isin_for_codes_of_any_type():
    from analysis.compare.groups import member_of

    codes = pd.Series(["01001", "06075", "99999", "01001"], dtype="str")
    units = np.array(["06075", "01001"], dtype=object)
    assert member_of(codes, units).tolist() == codes.isin(units).tolist()
    assert member_of(pd.Index([1001, 6075]), ["1001"]).tolist() == [True, False]
    assert member_of(codes, []).tolist() == [False] * 4


def test_a_match_that_cannot_be_estimated_still_has_its_sensitivity_columns():
    # A user's list of one county: every row is "not estimated", and the page's table of
    # matched estimates and their sensitivity still reads its columns (as missing).
    one = status_of(["10001"], list(MATCH["fips"]))
    row = match(MATCH, one, 2015, "poverty_pct", covariates=X_ONLY).iloc[0]
    assert np.isnan(row["estimate"]) and "too few" in row["note"]
    assert {"rosenbaum_gamma", "e_value", "e_value_ci"} <= set(row.index)
    assert np.isnan(row[["rosenbaum_gamma", "e_value", "e_value_ci"]].astype(float)).all()
