"""The state unit on the real files: the state panel, the state reading of the lists,
the synthetic control and synthetic DiD from the command line, and the event studies
of a state law judged by placebo states."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from analysis import cli, sources
from analysis.compare import definitions as by_name
from analysis.compare import event as event_module
from analysis.compare.api import compare
from analysis.core import paths
from analysis.core.errors import AnalysisError
from analysis.panels.load import load_panel
from analysis.panels.state_schema import NIBRS_YEAR

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return load_panel(unit="state")


def test_the_state_panel_holds_every_state_and_year_with_comparable_series(states):
    assert len(states) == 51 * 45 and states["state"].nunique() == 51
    assert states["year"].min() == 1979 and states["year"].max() == 2023
    no_rape = states["murder"] + states["robbery"] + states["aggravated_assault"]
    assert np.allclose(states["violent_no_rape_crimes"], no_rape)
    rate = 10_000 * states["violent_crimes"] / states["population"]
    assert np.allclose(states["violent_per_10k"], rate)
    assert set(states.loc[states["year"] >= 2013, "rape_definition"]) == {"revised"}
    # The 2022 North Dakota row the source codes NC.
    nd = states[(states["state"] == "ND") & (states["year"] == 2022)].iloc[0]
    assert nd["population"] == 779_261
    # 2021 is marked in every state; the FBI's own caveats keep their words.
    marked = states[states["year"] == NIBRS_YEAR]["crime_caveat"]
    assert marked.str.contains("NIBRS").all()
    raw = pd.read_csv(sources.verified_path("fbi-state-estimates"), dtype=str,
                      keep_default_na=False)  # fmt: skip
    with_caveat = raw[(raw["caveats"] != "") & (raw["state_abbr"] != "")]
    kept = states.dropna(subset=["crime_caveat"])
    kept = kept[kept["year"] != NIBRS_YEAR]
    assert len(kept) == len(with_caveat) > 40


def test_the_economy_comes_from_the_state_rows_with_the_gaps_explained(states):
    unemployment = states.dropna(subset=["unemployment_rate"])
    assert unemployment["year"].min() == 2000 and len(unemployment) == 51 * 24
    ca = states[states["state"] == "CA"].set_index("year")
    # California's own row (county code 0) in SAIPE 2015, read here by pandas.
    saipe = pd.read_excel(sources.verified_path("saipe-2015"), header=3)
    row = saipe[(saipe["Postal Code"] == "CA") & (saipe["County FIPS Code"] == 0)].iloc[0]
    assert ca.loc[2015, "poverty_pct"] == float(row["Poverty Percent, All Ages"])
    assert ca.loc[2015, "median_income"] == float(row["Median Household Income"])
    log = json.loads((paths.processed_dir() / "state_panel.log.json").read_text())
    reasons = {(m["column"], m["year"]): m["reason"] for m in log["missing_values"]}
    assert "SAIPE 2022" in reasons[("poverty_pct", 2022)]
    assert "2011" in reasons[("median_income", 2011)]


def test_the_state_reading_and_the_default_donors():
    laws = by_name.definition_status("state_laws", "state")
    assert sorted(laws.index[laws == "sanctuary"]) == [
        "CA", "CO", "CT", "IL", "NJ", "OR", "RI", "VT", "WA",
    ]  # fmt: skip
    adoption = by_name.adoption_years("state_laws", "state")
    assert adoption["CA"] == 2018 and adoption["IL"] == 2017
    donors = by_name.never_listed("state")
    assert len(donors) == 34 and not {"CA", "DC", "NY", "MD"} & set(donors)


def run(capsys, *args: str) -> pd.DataFrame:
    assert cli.main(["compare", *args]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


@pytest.mark.parametrize("state", ["CA", "IL"])
@pytest.mark.parametrize("method", ["synth", "sdid"])
def test_the_command_line_judges_a_law_as_its_state(capsys, state, method):
    table = run(
        capsys, "--unit", "state", "--definition", "state_laws", "--state", state,
        "--method", method, "--outcome", "violent_per_10k", "--format", "csv",
    )  # fmt: skip
    row = table.iloc[0]
    assert len(table) == 1 and row["treated_state"] == state
    for column in ("estimate", "pre_rmspe", "n_donors", "placebo_p"):
        assert pd.notna(row[column]), column
    assert row["n_donors"] == 34 and 0 < row["placebo_p"] <= 1


def test_a_city_event_study_of_a_state_law_reports_the_placebo_state_p_value(capsys):
    table = run(
        capsys, "--unit", "city", "--definition", "state_laws", "--state", "CA",
        "--method", "event", "--outcome", "violent_no_rape_per_10k",
        "--inference", "placebo_states", "--format", "csv",
    )  # fmt: skip
    after = table[table["term"] == "after (average)"].iloc[0]
    assert 0 < after["placebo_p"] <= 1 and after["n_placebos"] >= 20
    assert after["treated_states"] == "CA" and pd.notna(after["std_error_state"])
    assert "placebo states" in after["note"]


def test_the_placebo_refit_is_the_event_studys_own_estimator(monkeypatch):
    """The least-squares refit each placebo state gets equals pyfixest's Sun-Abraham
    average on the real data, unconditional, conditional and within classes."""
    seen = []
    real_placebos = event_module.placebo_states

    def spy(frame, ref, terms, fe, real, *rest):
        names = [t.strip() for t in terms.split("+")] if terms else []
        seen.append((event_module.sun_abraham_average(frame, ref, names, fe), real))
        return real_placebos(frame, ref, terms, fe, real, *rest)

    monkeypatch.setattr(event_module, "placebo_states", spy)
    for choices in ({}, {"covariates": "city"}, {"within": "nchs"}):
        compare(
            "state_laws", "event", None, "violent_no_rape_per_10k", unit="city",
            states=["CA"], inference="placebo_states", **choices,
        )  # fmt: skip
    compare("state_laws", "event", None, "poverty_pct", inference="placebo_states")
    assert len(seen) == 4
    for ours, pyfixest in seen:
        assert ours == pytest.approx(pyfixest, abs=1e-9)


def test_a_list_of_state_laws_is_judged_by_placebo_states_by_default():
    table = compare("state_laws", "event", None, "poverty_pct")
    after = table[table["term"] == "after (average)"].iloc[0]
    assert after["inference"] == "placebo_states" and pd.notna(after["placebo_p"])
    other = compare("ice2014", "event", None, "poverty_pct")
    assert "placebo_p" not in other.columns


def test_the_place_finders_state_line_is_the_states_own(states):
    """Illinois's line beside Chicago is the FBI's estimate for Illinois, year by year: it
    does not jump in 2014, when Chicago's rows enter the FBI's city table."""
    from analysis.publish.lookup import profiles

    data = profiles()
    city = data["units"]["city"]
    line = pd.Series(city["reference"]["states"]["IL"]["violent_per_10k"], index=city["years"])
    own = states[states["state"] == "IL"].set_index("year")["violent_per_10k"].round(1)
    assert (line == own.reindex(city["years"])).all()
    # The average of the cities in the table would jump where Chicago's rows enter.
    cities = load_panel(unit="city")
    il = cities[(cities["state"] == "IL") & cities["violent_per_10k"].notna()]
    mean = (il["violent_crimes"].groupby(il["year"]).sum() * 10_000
            / il["population"].groupby(il["year"]).sum())  # fmt: skip
    assert abs(mean[2014] - mean[2013]) > 3 * abs(line[2014] - line[2013])


def test_covariates_change_the_synthetic_control_and_the_synthetic_did_refuses_them():
    # The synthetic DiD's weights use the outcome alone: covariates it would ignore stop it.
    run = dict(unit="state", states=["CA"], outcomes=["violent_per_10k"], years=range(2010, 2020))
    plain = compare("state_laws", "synth", **run)
    economy = compare("state_laws", "synth", covariates="state economy", **run)
    assert economy["covariates"].iloc[0] == "state economy"
    assert economy["donor_weights"].iloc[0] != plain["donor_weights"].iloc[0]
    with pytest.raises(AnalysisError, match="takes no covariates"):
        compare("state_laws", "sdid", covariates="state economy", **run)
