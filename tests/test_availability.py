"""What a page says of the outcomes it leaves out: where to get an optional source's
years, and why no source gives the others."""

import pandas as pd

from analysis.sections.scope import left_out


def panel(years, crime):
    return pd.DataFrame(
        {"year": years, "total_crime_per_10k": crime, "poverty_pct": [1.0] * len(years)}
    )


def test_crime_after_the_last_crime_file_says_why_not_where():
    said = left_out(
        panel([2016, 2023], [5.0, None]), ["total_crime_per_10k"], [2023], "Not in 2023"
    )
    assert "Not in 2023" in said and "no county crime file after 2017" in said
    assert "ICPSR" not in said


def test_an_absent_icpsr_year_says_where_to_get_it():
    said = left_out(panel([2012, 2016], [None, 5.0]), ["total_crime_per_10k"], [2012])
    assert "2012" in said and "ICPSR" in said


def test_a_year_no_source_gives_poverty_is_explained():
    said = left_out(panel([2022], [None]), ["poverty_pct"], [2022])
    assert "SAIPE 2022" in said


def test_nothing_left_out_says_nothing():
    assert left_out(panel([2016], [5.0]), [], [2016]) == ""
