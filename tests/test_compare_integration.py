"""The comparison engine on the real county panel and the real definitions."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from analysis import cli
from analysis.compare import compare, matched_sets, specification_curve
from analysis.compare.definitions import (
    cooperating_definitions,
    definition_status,
    list_definitions,
    sanctuary_definitions,
)
from analysis.panels.availability import absent_years

pytestmark = pytest.mark.integration

METHODS = ["raw", "permutation", "match", "regression", "ipw", "strata", "did"]
CAP = ["log_population", "foreign_born_pct", "hispanic_pct"]


@pytest.fixture(scope="module")
def definitions():
    names = list_definitions()
    assert {
        "ice2014",
        "ice2014_broad",
        "dhs2025",
        "doj2025",
        "doj2025_broad",
        "g287_2015",
        "g287_2025",
    } <= set(names)
    return names


def sample_for(panel, status, year, outcome):
    """Focal and comparison rows with the outcome and the CAP covariates, in
    FIPS order, built here independently of the library."""
    rows = panel[panel["year"] == year].copy()
    rows["status"] = rows["fips"].map(status)
    rows["log_population"] = np.log(rows["population"])
    rows = rows.dropna(subset=[outcome, *CAP]).sort_values("fips")
    return rows


def brute_force(focal_X, control_X, sd, caliper=None):
    """Plain double loop: nearest comparison row by standardised distance,
    ties to the earlier (smaller FIPS) row."""
    matches = []
    for a in focal_X.tolist():
        best, best_j = math.inf, -1
        for j, b in enumerate(control_X.tolist()):
            d = 0.0
            for k in range(len(a)):
                diff = (a[k] - b[k]) / sd[k]
                d += diff * diff
            if d < best:
                best, best_j = d, j
        matches.append(best_j if caliper is None or best <= caliper**2 else -1)
    return matches


def brute_force_greedy(focal_X, control_X, sd):
    dist = [
        [sum(((a[k] - b[k]) / sd[k]) ** 2 for k in range(len(a))) for b in control_X.tolist()]
        for a in focal_X.tolist()
    ]
    order = sorted(range(len(dist)), key=lambda i: (min(dist[i]), i))
    taken, matches = set(), [-1] * len(dist)
    for i in order:
        free = [(d, j) for j, d in enumerate(dist[i]) if j not in taken]
        if free:
            matches[i] = min(free)[1]
            taken.add(matches[i])
    return matches


@pytest.mark.parametrize("definition", ["ice2014", "doj2025_broad"])
def test_matcher_equals_a_brute_force_loop(panel, definition):
    status = definition_status(definition)
    rows = sample_for(panel, status, 2015, "poverty_pct")
    X = rows[CAP].to_numpy()
    sd = X.std(axis=0, ddof=1)
    focal = rows["status"].eq("sanctuary").to_numpy()
    control_fips = rows.loc[~focal, "fips"].to_numpy()
    expected = brute_force(X[focal], X[~focal], sd)
    found = matched_sets(panel, status, 2015, "poverty_pct")
    assert list(found["fips_focal"]) == list(rows.loc[focal, "fips"])
    assert list(found["fips_comparison"]) == list(control_fips[expected])
    assert found["distance"].max() > 0


def test_matcher_without_replacement_equals_a_brute_force_greedy_loop(panel):
    status = definition_status("ice2014")
    rows = sample_for(panel, status, 2015, "poverty_pct")
    X = rows[CAP].to_numpy()
    focal = rows["status"].eq("sanctuary").to_numpy()
    expected = brute_force_greedy(X[focal], X[~focal], X.std(axis=0, ddof=1))
    found = matched_sets(panel, status, 2015, "poverty_pct", replacement=False)
    assert list(found["fips_comparison"]) == list(rows.loc[~focal, "fips"].to_numpy()[expected])
    assert found["fips_comparison"].is_unique


def test_matcher_with_caliper_and_exact_class_equals_brute_force(panel):
    status = definition_status("ice2014_broad")
    rows = sample_for(panel, status, 2015, "unemployment_pct")
    X = rows[CAP].to_numpy()
    sd = X.std(axis=0, ddof=1)
    focal = rows["status"].eq("sanctuary").to_numpy()
    nchs = rows["nchs_urban_rural_2013"].to_numpy()
    expected = {}
    for code in np.unique(nchs):
        f, c = focal & (nchs == code), ~focal & (nchs == code)
        found = brute_force(X[f], X[c], sd, caliper=0.2)
        expected.update(
            zip(
                rows.loc[f, "fips"],
                [rows.loc[c, "fips"].to_numpy()[j] if j >= 0 else None for j in found],
            )
        )
    got = matched_sets(
        panel, status, 2015, "unemployment_pct", caliper=0.2, exact=["nchs_urban_rural_2013"]
    )
    pairs = {
        f: (c if isinstance(c, str) else None)
        for f, c in zip(got["fips_focal"], got["fips_comparison"])
    }
    assert pairs == expected
    assert got["fips_comparison"].isna().any()  # some have no match within 0.2 SD


@pytest.mark.parametrize("method", METHODS)
def test_every_method_for_every_definition(panel, definitions, method):
    outcomes = ["total_crime_per_10k", "poverty_pct"]
    if method == "did" and absent_years(panel, outcomes[0], [2010, 2012, 2016]):
        outcomes = outcomes[1:]  # crime before 2014 needs the optional ICPSR files
    for name in definitions:
        table = compare(name, method, 2015, outcomes, panel=panel)
        status = definition_status(name)
        focal_group = "sanctuary" if (status == "sanctuary").any() else "cooperating"
        n_focal = int((status == focal_group).sum())
        assert set(table["outcome"]) == set(outcomes)
        assert (table["definition"] == name).all()
        assert (table["focal_group"] == focal_group).all()
        estimated = table[~table["note"].str.startswith("not estimated")]
        if method != "strata":
            assert len(estimated) == len(table), table["note"].tolist()
            assert (estimated["n_focal"] + estimated["n_dropped_focal"] == n_focal).all()
        assert len(estimated) > 0
        assert np.isfinite(estimated["estimate"]).all()
        inside = (estimated["ci_low"] <= estimated["estimate"]) & (
            estimated["estimate"] <= estimated["ci_high"]
        )
        assert inside.all()
        assert ((estimated["p_value"] > 0) & (estimated["p_value"] <= 1)).all()


@pytest.mark.needs_icpsr
def test_raw_difference_equals_group_means(panel):
    status = definition_status("ice2014")
    rows = panel[panel["year"] == 2016].assign(s=lambda d: d["fips"].map(status))
    rows = rows.dropna(subset=["violent_per_10k"])
    by_hand = rows.groupby("s")["violent_per_10k"].mean()
    row = compare("ice2014", "raw", 2016, "violent_per_10k", panel=panel, weights="none").iloc[0]
    assert row["estimate"] == pytest.approx(by_hand["sanctuary"] - by_hand["other"], rel=1e-12)


def test_cooperating_comparison_uses_the_nearest_287g_list(panel):
    assert cooperating_definitions() == ["g287_2015", "g287_2025"]
    for name, g287 in (("ice2014", "g287_2015"), ("dhs2025", "g287_2025")):
        row = compare(
            name, "raw", 2015, "poverty_pct", comparison="cooperating", panel=panel, weights="none"
        ).iloc[0]
        focal = definition_status(name) == "sanctuary"
        cooperating = definition_status(g287) == "cooperating"
        assert row["comparison"] == f"cooperating ({g287})"
        assert row["n_overlap_excluded"] == int((focal & cooperating).sum())
        assert row["n_comparison"] + row["n_dropped_comparison"] == int(
            (cooperating & ~focal).sum()
        )


@pytest.mark.needs_icpsr
def test_did_year_by_year_gaps(panel):
    table, gaps = compare("ice2014", "did", None, "total_crime_per_10k", panel=panel, details=True)
    assert list(gaps["year"]) == [2010, 2012, 2015, 2016]
    assert gaps.loc[gaps["year"] == 2012, "gap"].item() == 0
    assert 0 <= table.loc[0, "pretrend_p_value"] <= 1
    assert table.loc[0, "n_focal"] > 100


@pytest.mark.parametrize(
    "definition",
    ["ice2014", "ice2014_broad", "dhs2025", "doj2025", "doj2025_broad", "g287_2015", "g287_2025"],
)
def test_cli_for_every_definition(capsys, definition):
    code = cli.main(
        [
            "compare",
            "--definition",
            definition,
            "--year",
            "2015",
            "--outcome",
            "poverty_pct",
            "--method",
            "match",
            "--format",
            "csv",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table["definition"]) == [definition]
    assert np.isfinite(table.loc[0, "estimate"])


@pytest.mark.parametrize("method", METHODS)
def test_cli_every_method(capsys, method):
    code = cli.main(
        ["compare", "--definition", "ice2014", "--method", method, "--outcome", "unemployment_pct"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "unemployment_pct" in out and "sanctuary (ice2014) minus all others" in out


def test_cli_unknown_definition_lists_the_valid_ones(capsys):
    code = cli.main(["compare", "--definition", "ice2013"])
    _, err = capsys.readouterr()
    assert code == 2 and "valid definitions: dhs2025, doj2025" in err


def test_specification_curve_on_the_real_panel(panel):
    table = specification_curve(panel)
    assert len(table) >= 1000
    assert set(table["definition"]) == set(sanctuary_definitions())
    assert set(table["method"]) == {"raw", "match", "regression", "ipw"}
    failed = table[table["note"].str.startswith("not estimated")]
    assert (failed["estimate"].isna()).all()
    assert len(failed) < 0.1 * len(table)
    assert table.loc[~table.index.isin(failed.index), "estimate"].notna().all()


def test_a_curve_of_given_statuses_takes_a_287g_comparison_by_name(panel):
    # Statuses passed as Series, with a 287(g) comparison named but not given as a Series:
    # the comparison is read from the definitions, as for a definition named by id.
    from analysis.compare.definitions import definition_status

    table = specification_curve(
        panel,
        statuses={"ice2014": definition_status("ice2014")},
        years=[2015],
        outcomes=["poverty_pct"],
        methods=["raw"],
        covariate_sets=["cap"],
        comparisons=["cooperating"],
        workers=1,
    )
    assert len(table) and table["estimate"].notna().all()
    assert not table["comparison"].eq("all others").any()
    assert table["min_coverage"].isna().all()  # the column is there, with no cut asked for


def test_a_curve_of_border_changes_runs_them_once_over_the_years_asked(panel):
    # With pre/post the border method compares changes: one specification over those
    # years, not a one-year gap for every year of the curve.
    table = specification_curve(
        panel,
        definitions=["ice2014"],
        years=[2015, 2016],
        outcomes=["poverty_pct"],
        methods=["border"],
        options={"border": {"pre": [2013], "post": [2016]}},
        workers=1,
    )
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["years_before"], row["years_after"]) == ("2013", "2016")
    assert np.isfinite(row["estimate"])
