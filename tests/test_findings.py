"""The findings in words: each sentence says the definition's label, the numbers of the
row it reads, the right direction, and money in whole dollars."""

import math

import numpy as np
import pandas as pd

from analysis.publish import findings, labels


def row(**values):
    base = {
        "definition": "ice2014",
        "outcome": "poverty_pct",
        "unit": "county",
        "year": 2016,
        "estimate": -0.53,
        "ci_low": -0.98,
        "ci_high": -0.08,
        "focal_group": "sanctuary",
        "n_focal": 149,
        "n_comparison": 2918,
        "covariates": "cap",
    }
    return pd.Series({**base, **values})


def test_a_definition_is_named_by_its_label_not_its_id():
    label = labels.definition("ice2014")
    assert label != "ice2014"
    assert findings.matched(row()).startswith(f"{label}, 2016:")


def test_matched_says_the_interval_and_the_counts_of_the_unit():
    said = findings.matched(row(unit="city", n_comparison=4021))
    assert "-0.5 (95 % interval -1.0 to -0.1)" in said
    assert "149 vs 4,021 cities" in said


def test_income_is_in_whole_dollars():
    said = findings.matched(
        row(outcome="median_household_income", estimate=7554.4, ci_low=-12.6, ci_high=9000.2)
    )
    assert "+$7,554 (95 % interval -$13 to +$9,000)" in said


def test_then_and_now_lists_each_year_in_order():
    table = pd.DataFrame([row(year=2023, estimate=-0.78), row(year=2016)])
    said = findings.then_and_now(table)
    assert said.index("in 2016") < said.index("in 2023")
    assert "-0.8 (95 % interval" in said


def test_did_reads_the_years_and_the_direction():
    said = findings.did(
        row(
            outcome="total_crime_per_10k",
            estimate=12.0,
            ci_low=2.0,
            ci_high=22.0,
            years_before="2010,2012",
            years_after="2016",
        )
    )
    assert "from 2010/2012 to 2016" in said
    assert said.endswith("(higher).")
    assert "crimes per 10,000" in said or labels.unit("total_crime_per_10k") in said


def test_did_with_an_interval_across_zero_says_no_clear_difference():
    said = findings.did(row(estimate=0.1, ci_high=0.9, years_before="2010", years_after="2016"))
    assert "(no clear difference)" in said
    assert "percentage points more" in said


def test_sensitivity_reads_gamma_and_e_values():
    said = findings.sensitivity(row(rosenbaum_gamma=1.08, e_value=1.77, e_value_ci=1.23))
    assert "1.08 times as likely" in said
    assert "E-value is 1.77" in said and "1.23 for the interval" in said
    assert "not significant even without hidden bias" in findings.sensitivity(
        row(rosenbaum_gamma=1.0, e_value=math.nan)
    )


def test_breakdown_only_when_computed_and_clear():
    assert findings.breakdown(row(breakdown_mbar=math.nan)) == ""
    assert "include zero" in findings.breakdown(row(breakdown_mbar=0.0, ci_high=0.2))
    assert "up to 0.35 times" in findings.breakdown(row(breakdown_mbar=0.35))
    assert "more than 5 times" in findings.breakdown(row(breakdown_mbar=math.inf))


def test_border_says_a_year_or_a_change():
    level = findings.border(row(n_pairs=507, year=2015))
    assert "507 pairs" in level and "in 2015" in level and "(lower)" in level
    change = findings.border(
        row(n_pairs=507, year=math.nan, years_before="2013", years_after="2016")
    )
    assert "the change in" in change and "from 2013 to 2016" in change


def event_table(placebo_p: float) -> pd.DataFrame:
    """An event study's rows as event_rows writes them: the reference year and the
    average after adoption, whose interval excludes zero."""
    shared = {
        "outcome": "total_crime_per_10k",
        "unit": "city",
        "pretrend_p_value": 0.4,
        "level_gap_at_reference": 30.0,
        "reference_relative_year": -1,
        "note": "",
        "n_focal": 356,
        "n_comparison": 1379,
    }
    after = {"term": "after (average)", "estimate": 5.2, "ci_low": 0.4, "ci_high": 10.0}
    return pd.DataFrame(
        [
            {**shared, "term": "reference", "estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0},
            {**shared, **after, "placebo_p": placebo_p, "breakdown_mbar": 0.03},
        ]
    )


def test_a_change_placebo_states_show_to_be_ordinary_neither_rose_nor_fell():
    summary = findings.event_summary(event_table(placebo_p=0.72))
    said = summary["answer"].iloc[0] + " ".join(findings.event_caveats(summary, "cities"))
    assert "rose" not in said and "fell" not in said and "breakdown" not in said
    assert "p = 0.72" in said


def test_a_change_beyond_the_placebo_states_is_said_to_rise():
    said = findings.event_summary(event_table(placebo_p=0.04))["answer"].iloc[0]
    assert "rose by 5.2" in said and "p = 0.04" in said


def test_an_outcome_without_an_estimate_is_answered_with_its_reason_not_dropped():
    table = event_table(placebo_p=0.72)
    gone = table.assign(outcome="violent_per_10k", estimate=np.nan, note="not estimated: no data")
    summary = findings.event_summary(pd.concat([gone, table], ignore_index=True))
    assert summary["answer"].tolist()[0] == "Violent crime: not estimated: no data"
    assert len(findings.event_caveats(summary, "cities")) >= 1  # the estimated one's


def test_a_gap_no_earlier_year_can_test_is_said_to_be_untested_once():
    summary = findings.event_summary(event_table(placebo_p=0.72).assign(pretrend_p_value=np.nan))
    said = " ".join(findings.event_caveats(summary, "cities"))
    assert "For total crime no earlier years tell whether the gap was already moving." in said


def test_each_outcome_is_answered_in_one_short_sentence_and_its_caveats_once():
    violent = event_table(placebo_p=0.72).assign(outcome="violent_per_10k")
    two = pd.concat([event_table(placebo_p=0.72), violent], ignore_index=True)
    two = two.assign(pretrend_p_value=0.002)
    summary = findings.event_summary(two)
    answers = summary["answer"].tolist()
    assert answers[0] == "Total crime: no change beyond what placebo states show (+5.20, p = 0.72)"
    assert all(len(a.split()) <= 20 for a in answers)
    caveats = findings.event_caveats(summary, "cities")
    said = " ".join(caveats)
    # The gap before and the moving trends are said once, for both outcomes.
    assert said.count("already moving before adoption") == 1
    assert "total crime (p = 0.002) and violent crime (p = 0.002)" in said
    assert "In the year before adoption the adopting cities already differed" in said
    assert "placebo states" in said


def test_a_clear_change_without_placebo_states_keeps_its_interval_and_flags_moving_trends():
    table = event_table(placebo_p=0.04).drop(columns="placebo_p").assign(pretrend_p_value=0.01)
    summary = findings.event_summary(table).dropna(axis=1, how="all")  # as the page shows it
    (answer,) = summary["answer"]
    assert answer == (
        "Total crime: rose by 5.2 crimes per 10,000 residents relative to the controls "
        "(95 % interval +0.40 to +10.00); the trends before already differed"
    )
    said = " ".join(findings.event_caveats(summary, "cities"))
    assert "total crime (p = 0.010)" in said and "placebo" not in said
    assert "survives a post-adoption violation of parallel trends up to 0.03 times" in said


def test_the_laws_are_counted_against_their_placebo_states_in_one_sentence():
    laws = pd.DataFrame(
        {"treated_state": ["CA", "VT", "IL"], "outcome": "violent_per_10k",
         "estimate": [0.4, 6.6, 2.4], "placebo_p": [0.97, 0.03, 0.6]}
    )  # fmt: skip
    assert findings.laws_against_placebos(laws) == (
        "Judged as states, 1 of 3 state laws left violent crime further from their synthetic "
        "state than most placebo states (VT above, p = 0.03); the other 2 moved no more than "
        "states without the law."
    )


def test_a_reports_parameters_read_as_one_line_of_words():
    line = labels.parameter_line(
        {
            "unit": "city",
            "definition": "dhs2025",
            "year": 2016,
            "recent_year": 2019,
            "outcomes": ["violent_no_rape_per_10k", "total_crime_per_10k"],
            "comparison": "all",
            "pre": [],
            "also_not_yet": True,
            "report_name": "",
        }
    )
    assert line == (
        f"Cities · {labels.definition('dhs2025')} · 2016 and 2019 · "
        "violent crime without rape, total crime"
    )
    assert "[" not in line and "_" not in line
    states = labels.parameter_line({"definition": "state_laws", "states": ["CA"], "pre": []})
    assert states == f"{labels.definition('state_laws')} · CA only"


def test_a_tables_counts_are_headed_in_the_pages_unit():
    assert labels.header("n_focal", "city") == "Sanctuary cities"
    assert labels.header("n_comparison", "city") == "Comparison cities"
    assert labels.header("n_control", "state") == "Control states"
    assert labels.header("n_focal") == "Sanctuary counties"  # counties, when none is said


def test_who_is_compared_runs_from_the_list_to_the_matched_places_in_one_line():
    row = {
        "unit": "city", "focal_group": "sanctuary", "year": 2016, "n_focal": 165,
        "comparison": "all others", "outcome": "violent_no_rape_per_10k",
        "n_comparison": 3207, "n_absent_focal": 5, "n_absent_comparison": 1868,
        "min_population": 10000.0, "n_below_population_focal": 22,
        "n_below_population_comparison": 6047,
    }  # fmt: skip
    assert findings.funnel(row, 193, 11130) == (
        "Who is compared: 193 sanctuary cities on the list and 11,130 comparison cities"
        " (all others) → 188 and 9,262 in the data for 2016 → 166 and 3,215 of 10,000"
        " residents or more → 165 and 3,207 with every value the matching of violent crime"
        " without rape needs."
    )


def test_a_step_that_leaves_no_one_out_is_not_shown():
    row = {"unit": "county", "focal_group": "sanctuary", "year": 2015, "n_focal": 149,
           "n_comparison": 190, "comparison": "cooperating (g287_2015)",
           "outcome": "poverty_pct"}  # fmt: skip
    assert findings.funnel(row, 149, 192) == (
        "Who is compared: 149 sanctuary counties on the list and 192 comparison counties"
        " (cooperating (287(g) agreements, 2015)) → 149 and 190 with every value the"
        " matching of poverty needs."
    )


def test_a_comparison_that_names_a_list_by_id_reads_with_the_lists_label():
    assert labels.with_labels("cooperating (g287_2025)") == "cooperating (287(g) agreements, 2025)"
    assert labels.with_labels("all others") == "all others"


def test_sb54_agrees_with_kubrin_and_bartos_only_where_every_gap_is_ordinary():
    # Through 2023 no crime outcome's gap is ordinary: "as Kubrin and Bartos found" was
    # said of that too.
    assert "as Kubrin and Bartos (2020) found" in findings.beside_kubrin_bartos(4, 4)
    said = findings.beside_kubrin_bartos(0, 2)
    assert "as Kubrin and Bartos" not in said and "for the other 2" in said
    assert "for the other 1 " in findings.beside_kubrin_bartos(3, 4)
    assert "no crime outcome" in findings.beside_kubrin_bartos(0, 0)


def test_laws_all_beyond_their_placebos_leave_no_others_to_speak_of():
    laws = pd.DataFrame({"treated_state": ["VT"], "outcome": "violent_per_10k",
                         "estimate": [6.6], "placebo_p": [0.03]})  # fmt: skip
    said = findings.laws_against_placebos(laws)
    assert said.endswith("(VT above, p = 0.03).") and "other" not in said
    assert "No state law" in findings.laws_against_placebos(laws.iloc[:0])
    four = pd.DataFrame({"treated_state": ["CA", "CO", "RI", "WA"], "outcome": "violent_per_10k",
                         "estimate": [4.7, 8.5, -3.0, 4.2],
                         "placebo_p": [0.09, 0.06, 0.08, 0.03]})  # fmt: skip
    assert "(CA, CO and WA above; RI below, p = 0.03 to 0.09)." in findings.laws_against_placebos(
        four
    )
