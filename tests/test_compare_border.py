"""Neighbouring-county (border pair) comparisons: the pair tables and the two
estimators on hand-made pairs whose answers are computed by hand, and the
adjacency of the real 2015 county boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare.border import border_pairs, pair_difference, pair_difference_in_changes
from analysis.core.errors import EstimationError, ValidationError
from analysis.panels.geometry import adjacent_pairs

PRE, POST = (2010, 2012), (2015, 2016)


def make_pairs(links: list[tuple[str, str]]) -> pd.DataFrame:
    table = pd.DataFrame(links, columns=["fips_focal", "fips_neighbour"])
    table.insert(0, "pair", table["fips_focal"] + "-" + table["fips_neighbour"])
    return table


# Five pairs: F1 has two neighbours, N2 and N3 two focal counties each.
LINKS = [("F1", "N1"), ("F1", "N2"), ("F2", "N2"), ("F3", "N3"), ("F4", "N3")]
VALUES = pd.Series(
    {"F1": 10.0, "F2": 12.0, "F3": 9.0, "F4": 15.0, "N1": 8.0, "N2": 11.0, "N3": 7.0}
)


def two_way_se(pairs: pd.DataFrame, d: np.ndarray) -> float:
    """Cameron-Gelbach-Miller by hand for a mean: V = c (V_focal + V_neighbour - V_pair) / P^2,
    c = G/(G-1) with G the smaller number of clusters."""
    u = d - d.mean()

    def meat(labels):
        return float((pd.Series(u).groupby(labels.to_numpy()).sum() ** 2).sum())

    g = min(pairs["fips_focal"].nunique(), pairs["fips_neighbour"].nunique())
    v = meat(pairs["fips_focal"]) + meat(pairs["fips_neighbour"]) - meat(pairs["pair"])
    return float(np.sqrt(g / (g - 1) * v / len(d) ** 2))


def independent_se(d: np.ndarray) -> float:
    """The error if the pairs were independent draws (robust, clustered by pair)."""
    u = d - d.mean()
    n = len(d)
    return float(np.sqrt(n / (n - 1) * (u**2).sum() / n**2))


def toy_panel(counties, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = PRE + POST + (2014,)  # 2014 is in neither period and must be ignored
    return pd.DataFrame(
        [(f, y, rng.normal(10, 3)) for f in counties for y in years],
        columns=["fips", "year", "poverty_pct"],
    )


def changes(panel: pd.DataFrame) -> pd.Series:
    wide = panel.pivot(index="fips", columns="year", values="poverty_pct")
    return wide[list(POST)].mean(axis=1) - wide[list(PRE)].mean(axis=1)


# --- pair tables -----------------------------------------------------------------


def test_border_pairs_keep_only_pairs_across_the_line():
    adjacency = pd.DataFrame(
        [("A", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "X")],
        columns=["fips_a", "fips_b"],
    )
    table = border_pairs(adjacency, focal=["A", "D"], comparison=["B", "C", "E"])
    # A-B, A-C (A focal, listed first), C-D and D-E (D focal, listed second);
    # B-C is comparison-comparison, E-X has a county in neither group
    assert table.columns.tolist() == ["pair", "fips_focal", "fips_neighbour"]
    assert table["pair"].tolist() == ["A-B", "A-C", "D-C", "D-E"]


def test_border_pairs_refuse_a_county_on_both_sides():
    adjacency = pd.DataFrame([("A", "B")], columns=["fips_a", "fips_b"])
    with pytest.raises(ValidationError, match="both the focal and the comparison"):
        border_pairs(adjacency, focal=["A", "B"], comparison=["B"])


def test_groups_that_never_touch_give_no_pairs_and_the_estimators_say_so():
    adjacency = pd.DataFrame([("A", "B")], columns=["fips_a", "fips_b"])
    pairs = border_pairs(adjacency, focal=["A"], comparison=["C"])
    assert pairs.empty
    with pytest.raises(EstimationError, match="no border pairs"):
        pair_difference(pairs, pd.Series({"A": 1.0, "C": 2.0}))
    with pytest.raises(EstimationError, match="no border pairs"):
        pair_difference_in_changes(pairs, toy_panel(["A", "C"]), "poverty_pct", PRE, POST)


# --- the mean within-pair difference --------------------------------------------------


def test_pair_difference_is_the_hand_computed_mean_with_two_way_errors():
    pairs = make_pairs(LINKS)
    result = pair_difference(pairs, VALUES)
    d = np.array([10 - 8, 10 - 11, 12 - 11, 9 - 7, 15 - 7], dtype=float)  # 2, -1, 1, 2, 8
    assert result["estimate"] == pytest.approx(2.4)
    # u = d - 2.4; V_focal 47.92, V_neighbour 50.24, V_pair 45.2: 1.5 * 52.96 / 25
    assert result["std_error"] == pytest.approx(np.sqrt(1.5 * 52.96 / 25))
    assert result["std_error"] == pytest.approx(two_way_se(pairs, d))
    assert (result["n_pairs"], result["n_focal"], result["n_comparison"]) == (5, 4, 3)
    assert result["df"] == 2 and result["n_pairs_dropped"] == 0
    assert result["se_method"] == (
        "two-way clustered by sanctuary county (4) and neighbour county (3), t with 2 df"
    )
    from scipy.stats import t

    half = t.ppf(0.975, 2) * result["std_error"]
    assert result["ci_low"] == pytest.approx(2.4 - half)
    assert result["ci_high"] == pytest.approx(2.4 + half)
    assert result["p_value"] == pytest.approx(2 * t.sf(2.4 / result["std_error"], 2))


def test_pairs_with_a_missing_value_are_dropped_and_counted():
    values = VALUES.copy()
    values["N1"] = np.nan
    result = pair_difference(make_pairs(LINKS), values)
    assert result["estimate"] == pytest.approx(np.mean([-1, 1, 2, 8]))
    assert (result["n_pairs"], result["n_pairs_dropped"]) == (4, 1)
    assert (result["n_focal"], result["n_comparison"]) == (4, 2)
    assert "dropped 1 border pairs" in result["note"]


@pytest.mark.parametrize("shared", ["neighbour", "focal"])
def test_a_county_in_several_pairs_widens_the_error(shared):
    """Four hub counties each in three pairs, with twelve counties on the other side
    that differ little: the pair differences move with their hub, so the three pairs
    of a hub are one draw, not three."""
    hubs = {"H1": 5.0, "H2": 9.0, "H3": 11.0, "H4": 15.0}
    values, links = dict(hubs), []
    for k, hub in enumerate(hubs):
        for j in range(3):
            spoke = f"S{k}{j}"
            values[spoke] = 10.0 + 0.1 * (j - 1)
            links.append((spoke, hub) if shared == "neighbour" else (hub, spoke))
    pairs = make_pairs(links)
    result = pair_difference(pairs, pd.Series(values))
    d = (pairs["fips_focal"].map(values) - pairs["fips_neighbour"].map(values)).to_numpy()
    assert result["std_error"] == pytest.approx(two_way_se(pairs, d))
    assert result["std_error"] > 1.5 * independent_se(d)
    assert result["df"] == 3  # four hubs: min(12, 4) - 1


def test_with_every_county_in_one_pair_the_error_is_the_robust_one():
    links = [(f"F{i}", f"N{i}") for i in range(6)]
    values = pd.Series({f"F{i}": float(i * i) for i in range(6)} | {f"N{i}": 1.0 for i in range(6)})
    result = pair_difference(make_pairs(links), values)
    d = np.array([i * i - 1.0 for i in range(6)])
    assert result["std_error"] == pytest.approx(independent_se(d))


def test_a_single_focal_county_cannot_be_clustered():
    pairs = make_pairs([("F1", "N1"), ("F1", "N2")])
    with pytest.raises(EstimationError, match="at least two"):
        pair_difference(pairs, pd.Series({"F1": 1.0, "N1": 2.0, "N2": 4.0}))


# --- the difference in changes -----------------------------------------------------


def test_the_stacked_regression_equals_the_mean_of_differences_in_changes():
    pairs = make_pairs(LINKS)
    panel = toy_panel(["F1", "F2", "F3", "F4", "N1", "N2", "N3"])
    result = pair_difference_in_changes(pairs, panel, "poverty_pct", PRE, POST)
    change = changes(panel)
    d = (pairs["fips_focal"].map(change) - pairs["fips_neighbour"].map(change)).to_numpy()
    assert result["estimate"] == pytest.approx(d.mean(), abs=1e-10)
    # the stacked panel's two-way error is the pair-level one on those differences
    assert result["std_error"] == pytest.approx(two_way_se(pairs, d), rel=1e-8)
    assert result["std_error"] == pytest.approx(pair_difference(pairs, change)["std_error"])
    assert (result["years_before"], result["years_after"]) == ("2010,2012", "2015,2016")
    assert (result["n_pairs"], result["n_focal"], result["n_comparison"]) == (5, 4, 3)


def test_a_shock_common_to_a_pair_cancels():
    """y = county level + a pair-region shock by year + 1.5 for focal counties after:
    the estimate is exactly 1.5 whatever the regions' shocks."""
    links = [("F1", "N1"), ("F2", "N2"), ("F3", "N3")]
    shock = {1: [0, 3, -2, 5], 2: [1, -4, 0, 2], 3: [0, 0, 7, 7]}
    rows = []
    for i in (1, 2, 3):
        for side, level in (("F", 10.0 * i), ("N", 3.0 * i)):
            for t, year in enumerate(PRE + POST):
                effect = 1.5 if side == "F" and year in POST else 0.0
                rows.append((f"{side}{i}", year, level + shock[i][t] + effect))
    panel = pd.DataFrame(rows, columns=["fips", "year", "poverty_pct"])
    result = pair_difference_in_changes(make_pairs(links), panel, "poverty_pct", PRE, POST)
    assert result["estimate"] == pytest.approx(1.5, abs=1e-9)


def test_pairs_missing_a_year_are_dropped_so_the_pairs_stay_balanced():
    pairs = make_pairs(LINKS)
    panel = toy_panel(["F1", "F2", "F3", "F4", "N1", "N2", "N3"])
    gap = (panel["fips"] == "N3") & (panel["year"] == 2012)
    panel.loc[gap, "poverty_pct"] = np.nan
    result = pair_difference_in_changes(pairs, panel, "poverty_pct", PRE, POST)
    kept = pairs[pairs["fips_neighbour"] != "N3"]
    change = changes(panel)
    d = kept["fips_focal"].map(change) - kept["fips_neighbour"].map(change)
    assert result["estimate"] == pytest.approx(d.mean(), abs=1e-10)
    assert (result["n_pairs"], result["n_pairs_dropped"]) == (3, 2)
    assert "without poverty_pct in every year" in result["note"]


def test_years_must_be_in_order_and_rows_unique():
    pairs = make_pairs(LINKS)
    panel = toy_panel(["F1", "F2", "F3", "F4", "N1", "N2", "N3"])
    with pytest.raises(Exception, match="must all precede"):
        pair_difference_in_changes(pairs, panel, "poverty_pct", POST, PRE)
    doubled = pd.concat([panel, panel.iloc[:1]])
    with pytest.raises(ValidationError, match="more than one row"):
        pair_difference_in_changes(pairs, doubled, "poverty_pct", PRE, POST)


# --- the real boundaries ------------------------------------------------------------


@pytest.fixture(scope="module")
def counties():
    from analysis.panels.geometry import load_counties

    return load_counties()


@pytest.fixture(scope="module")
def adjacency(counties):
    return adjacent_pairs(counties)


def _has(adjacency: pd.DataFrame, a: str, b: str) -> bool:
    a, b = min(a, b), max(a, b)
    return bool(((adjacency["fips_a"] == a) & (adjacency["fips_b"] == b)).any())


@pytest.mark.integration
def test_real_counties_touch_where_the_map_says(counties, adjacency):
    assert adjacency.columns.tolist() == ["fips_a", "fips_b"]
    # one row per unordered pair, never a county with itself
    assert (adjacency["fips_a"] < adjacency["fips_b"]).all()
    assert not adjacency.duplicated().any()
    assert len(adjacency) == 9155
    # San Francisco touches San Mateo only: the Golden Gate is water, clipped away
    assert _has(adjacency, "06075", "06081")
    assert not _has(adjacency, "06075", "06041")
    # Four Corners: San Juan UT - San Juan NM and Apache AZ - Montezuma CO meet at the
    # corner point only (queen keeps them, rook would not); San Juan UT and Montezuma CO
    # share a stretch of the Utah-Colorado line
    shapes = counties.set_index("fips").geometry
    for a, b in [("49037", "35045"), ("04001", "08083")]:
        assert shapes[a].intersection(shapes[b]).geom_type == "Point"
        assert _has(adjacency, a, b)
    assert _has(adjacency, "49037", "08083")
    # no pair crosses the sea: Hawaii's counties touch nothing outside Hawaii (Kalawao
    # and Maui share Molokai), and Alaska's nothing outside Alaska
    for state in ("15", "02"):
        inside = adjacency["fips_a"].str[:2] == state
        assert (inside == (adjacency["fips_b"].str[:2] == state)).all()
    hawaii = adjacency[adjacency["fips_a"].str.startswith("15")]
    assert hawaii.values.tolist() == [["15005", "15009"]]


@pytest.mark.integration
def test_libpysal_agrees_with_shapely_touches(counties, adjacency):
    import geopandas as gpd

    frame = counties[["fips", "geometry"]]
    joined = gpd.sjoin(frame, frame, predicate="touches")
    touching = {tuple(sorted(p)) for p in zip(joined["fips_left"], joined["fips_right"])}
    assert touching == set(zip(adjacency["fips_a"], adjacency["fips_b"]))


@pytest.mark.integration
def test_ice2014_border_pairs_on_the_real_panel(adjacency, panel):
    from analysis import load_definition
    from analysis.compare.groups import make_groups

    groups = make_groups(load_definition("ice2014"))
    pairs = border_pairs(adjacency, groups.focal, groups.control)
    assert pairs["fips_focal"].isin(groups.focal).all()
    assert pairs["fips_neighbour"].isin(groups.control).all()
    assert len(pairs) > 100 and not pairs["pair"].duplicated().any()
    result = pair_difference_in_changes(pairs, panel, "poverty_pct", PRE, POST)
    change = changes(
        panel[panel["fips"].isin(set(pairs["fips_focal"]) | set(pairs["fips_neighbour"]))]
    )
    d = pairs["fips_focal"].map(change) - pairs["fips_neighbour"].map(change)
    assert result["n_pairs"] == d.notna().sum()
    assert result["estimate"] == pytest.approx(d.mean(), abs=1e-8)
    assert result["df"] == result["n_focal"] - 1  # fewer sanctuary than neighbour counties
