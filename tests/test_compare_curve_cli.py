"""The specification curve and the `compare` command on small hand-made tables
(definitions and the panel are replaced by hand-made ones)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from analysis import cli
from analysis.compare import specification_curve


def toy_panel() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    fips = [f"{s:02d}{c:03d}" for s in (1, 2, 3) for c in range(1, 21)]
    rows = []
    for year in range(2010, 2018):
        for i, f in enumerate(fips):
            crime_year = year in (2010, 2012, 2015, 2016, 2017)
            rows.append(
                {
                    "fips": f,
                    "year": year,
                    "population": 1e4 * (1 + i),
                    "foreign_born_pct": 2 + (i * 7) % 23,
                    "hispanic_pct": 3 + (i * 11) % 37,
                    "noncitizen_pct": 1 + (i * 5) % 13,
                    "nchs_urban_rural_2013": 1 + i % 6,
                    "trump_share_2016": 30 + (i * 13) % 50,
                    "labor_force_participation_pct": 55 + (i * 3) % 17,
                    "poverty_pct": 10 + rng.normal(0, 3),
                    "unemployment_pct": 5 + rng.normal(0, 1),
                    "median_household_income": 50000 + rng.normal(0, 5000),
                    "violent_per_10k": 30 + rng.normal(0, 5) if crime_year else np.nan,
                    "property_per_10k": 200 + rng.normal(0, 30) if crime_year else np.nan,
                }
            )
    frame = pd.DataFrame(rows)
    frame["total_crime_per_10k"] = frame["violent_per_10k"] + frame["property_per_10k"]
    frame["nchs_urban_rural_2013"] = frame["nchs_urban_rural_2013"].astype("Int64")
    return frame


def toy_statuses(panel: pd.DataFrame) -> dict[str, pd.Series]:
    fips = sorted(panel["fips"].unique())

    def status(name, focal, value="sanctuary"):
        return pd.Series(
            [value if f in focal else "other" for f in fips],
            index=pd.Index(fips, name="fips"),
            name=name,
        )

    return {
        "toy_a": status("toy_a", {f for i, f in enumerate(fips) if i % 3 == 0}),
        "toy_b": status("toy_b", {f for i, f in enumerate(fips) if i % 4 == 1}),
        "g287_toy": status(
            "g287_toy", {f for i, f in enumerate(fips) if i % 5 == 2}, "cooperating"
        ),
    }


@pytest.fixture(scope="module")
def panel():
    return toy_panel()


def test_curve_runs_every_valid_combination(panel):
    statuses = toy_statuses(panel)
    table = specification_curve(
        panel,
        statuses={k: statuses[k] for k in ("toy_a", "toy_b")},
        methods=("raw", "match", "regression", "ipw", "did"),
        covariate_sets=("cap", "demographic"),
        workers=1,
    )
    # Per definition: 3 crime outcomes x 5 years + 4 other outcomes x 8 years = 47
    # outcome-years; raw gives 2 rows, the three covariate methods 2 sets each: 8 rows.
    # did: 6 outcomes (not the ACS constant). 2 x (47 x 8 + 6) = 764.
    assert len(table) == 2 * (47 * 8 + 6)
    crime = table[table["outcome"] == "violent_per_10k"]
    assert set(crime["year"].dropna()) == {2010, 2012, 2015, 2016, 2017}
    assert table.loc[table["method"] == "did", "year"].isna().all()
    assert set(table["covariates"]) >= {"cap", "demographic", ""}
    assert not table["note"].str.startswith("not estimated").any()


def test_curve_in_two_processes_equals_one(panel):
    statuses = toy_statuses(panel)
    kwargs = dict(
        statuses=statuses,
        definitions=["toy_a"],
        years=[2015, 2016],
        methods=("raw", "match"),
        comparisons=("all", "cooperating"),
        comparison_statuses={"all": None, "cooperating": statuses["g287_toy"]},
    )
    one = specification_curve(panel, workers=1, **kwargs)
    two = specification_curve(panel, workers=2, **kwargs)
    pd.testing.assert_frame_equal(one, two)
    assert set(one["comparison"]) == {"all others", "cooperating (g287_toy)"}


def test_curve_rejects_unknown_choices(panel):
    from analysis.core.errors import UnknownChoice

    statuses = toy_statuses(panel)
    with pytest.raises(UnknownChoice, match="valid methods"):
        specification_curve(panel, statuses=statuses, methods=("raw", "nearest"))
    with pytest.raises(UnknownChoice, match="option for method 'match'"):
        specification_curve(panel, statuses=statuses, options={"match": {"calliper": 1}})


# --- command line ----------------------------------------------------------------------


@pytest.fixture()
def toy_definitions(monkeypatch, panel):
    """`compare` reads the toy panel and toy definitions."""
    from analysis.compare import definitions
    from analysis.core.errors import UnknownChoice
    from analysis.jurisdictions import tables
    from analysis.panels import load as panel_module

    statuses = toy_statuses(panel)

    def definition_status(name, unit="county"):
        if name not in statuses:
            raise UnknownChoice("definition", name, statuses)
        return statuses[name]

    monkeypatch.setattr(definitions, "definition_status", definition_status)
    monkeypatch.setattr(
        tables,
        "definition_kinds",
        lambda: {"toy_a": "sanctuary", "toy_b": "sanctuary", "g287_toy": "cooperating"},
    )
    monkeypatch.setattr(panel_module, "load_panel", lambda *a, **k: panel)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["compare", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_csv_is_the_library_table(capsys, toy_definitions, panel):
    from analysis.compare import match

    code, out, _ = run(
        capsys,
        "--definition",
        "toy_a",
        "--year",
        "2015",
        "--outcome",
        "poverty_pct",
        "--method",
        "match",
        "--format",
        "csv",
    )
    assert code == 0
    printed = pd.read_csv(io.StringIO(out), dtype={"year": "Int64"})
    expected = match(panel, toy_statuses(panel)["toy_a"], 2015, "poverty_pct")
    assert list(printed.columns) == list(expected.columns)
    assert printed.loc[0, "estimate"] == pytest.approx(expected.loc[0, "estimate"], rel=1e-12)
    assert printed.loc[0, "std_error"] == pytest.approx(expected.loc[0, "std_error"], rel=1e-12)


def test_cli_json_and_table(capsys, toy_definitions):
    code, out, _ = run(
        capsys,
        "--definition",
        "toy_a",
        "--method",
        "raw",
        "--outcome",
        "unemployment_pct",
        "--format",
        "json",
    )
    records = json.loads(out)
    assert code == 0 and [r["weights"] for r in records] == ["none", "population"]
    code, out, _ = run(
        capsys,
        "--definition",
        "toy_a",
        "--method",
        "regression",
        "--comparison",
        "cooperating",
        "--covariates",
        "log_population,hispanic_pct",
    )
    assert code == 0
    assert "minus cooperating (g287_toy), 2015" in out
    assert "covariates: log_population+hispanic_pct" in out


def test_cli_details_print_balance_and_gaps(capsys, toy_definitions):
    code, out, _ = run(
        capsys,
        "--definition",
        "toy_a",
        "--method",
        "match",
        "--outcome",
        "poverty_pct",
        "--details",
        "--format",
        "csv",
    )
    balance = pd.read_csv(io.StringIO(out))
    assert code == 0 and {"smd_before", "smd_after"} <= set(balance.columns)
    code, out, _ = run(
        capsys,
        "--definition",
        "toy_b",
        "--method",
        "did",
        "--outcome",
        "poverty_pct",
        "--details",
        "--format",
        "csv",
    )
    gaps = pd.read_csv(io.StringIO(out))
    assert list(gaps["year"]) == [2010, 2012, 2015, 2016]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--definition", "toy_c"], "valid definitions: g287_toy, toy_a, toy_b"),
        (
            ["--definition", "toy_a", "--method", "nn"],
            "valid methods: border, did, event, ipw, match",
        ),
        (["--definition", "toy_a", "--outcome", "crime"], "valid outcomes: "),
        (["--definition", "toy_a", "--comparison", "g287"], "valid comparisons: all, cooperating"),
        (["--definition", "toy_a", "--format", "xml"], "valid formats: csv, json, table"),
        (["--definition", "toy_a", "--method", "raw", "--caliper", "1"], "caliper"),
        (
            ["--definition", "toy_a", "--year", "2013", "--outcome", "violent_per_10k"],
            "not available for 2013",
        ),
    ],
)
def test_cli_errors_name_the_valid_choices(capsys, toy_definitions, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err


def test_coverage_cuts_are_a_dimension_of_the_curve_for_crime_only(panel):
    from analysis.compare import specification_curve

    cut = panel.assign(
        crime_coverage=np.where(panel["fips"].str.endswith(("1", "2")), 50.0, 100.0),
        crime_quality=np.where(panel["fips"].str.endswith("1"), 3.0, 2.0),
    )
    statuses = toy_statuses(cut)
    table = specification_curve(
        cut,
        statuses={"toy_a": statuses["toy_a"]},
        years=[2015, 2016],
        outcomes=["total_crime_per_10k", "poverty_pct"],
        methods=["raw"],
        min_coverages=[None, 90],
        workers=1,
    )
    crime = table[table["outcome"] == "total_crime_per_10k"]
    runs = crime.groupby("year")["min_coverage"].apply(lambda c: sorted(c.fillna(0).unique()))
    assert runs[2016] == [0, 90] and runs[2015] == [0]  # 2015 has only the 80 % flag
    assert table.loc[table["outcome"] == "poverty_pct", "min_coverage"].isna().all()
    full = crime[(crime["year"] == 2016) & crime["min_coverage"].isna()]
    cut90 = crime[(crime["year"] == 2016) & (crime["min_coverage"] == 90)]
    left = (cut[cut["year"] == 2016]["crime_coverage"] < 90).sum()
    assert (full["n_focal"] + full["n_comparison"]).iloc[0] - (
        cut90["n_focal"] + cut90["n_comparison"]
    ).iloc[0] == left
