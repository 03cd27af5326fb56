"""2015-boundary harmonisation and FIPS helpers, on hand-made frames."""

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ValidationError
from analysis.geo.counties import (
    KEEP_TARGET,
    MISSING,
    SUM,
    drop_territories,
    fips_from_parts,
    pad_fips,
    to_2015_boundaries,
)
from analysis.sources.buildlog import FileAccount


def account(frame):
    acc = FileAccount("sample", "sample.csv", "0" * 64)
    acc.read(frame)
    return acc


def test_fips_helpers_restore_leading_zeros():
    assert fips_from_parts(pd.Series([1, 56]), pd.Series([1, 45])).tolist() == ["01001", "56045"]
    assert fips_from_parts(pd.Series(["6"]), pd.Series(["37.0"])).tolist() == ["06037"]
    assert pad_fips(pd.Series([1001, 51019])).tolist() == ["01001", "51019"]


def test_renamed_codes_are_recoded_and_logged():
    frame = pd.DataFrame({"fips": ["46113", "02270", "01001"], "x": [1.0, 2.0, 3.0]})
    acc = account(frame)
    out = acc.keep(to_2015_boundaries(frame, acc, {"x": SUM}))
    assert out["fips"].tolist() == ["46102", "02158", "01001"]
    assert {r["from"]: r["to"] for r in acc.recoded} == {"46113": "46102", "02270": "02158"}


def test_merged_city_is_added_to_its_county_by_rule():
    frame = pd.DataFrame(
        {
            "fips": ["51019", "51515"],
            "year": [2010, 2010],
            "count": [100.0, 20.0],
            "median": [50_000.0, 40_000.0],
            "klass": [3, 4],
        }
    )
    acc = account(frame)
    out = acc.keep(
        to_2015_boundaries(frame, acc, {"count": SUM, "median": MISSING, "klass": KEEP_TARGET})
    )
    row = out.set_index("fips").loc["51019"]
    assert row["count"] == 120 and np.isnan(row["median"]) and row["klass"] == 3
    assert acc.dropped[0]["rows"] == ["51515"] and "merged into 51019" in acc.dropped[0]["reason"]


def test_merge_only_within_the_same_year():
    frame = pd.DataFrame(
        {"fips": ["51019", "51515", "51019"], "year": [2010, 2010, 2012], "count": [1.0, 2.0, 5.0]}
    )
    acc = account(frame)
    out = to_2015_boundaries(frame, acc, {"count": SUM}).set_index(["fips", "year"])["count"]
    assert out.to_dict() == {("51019", 2010): 3.0, ("51019", 2012): 5.0}


def test_merge_without_a_rule_for_a_column_is_an_error():
    frame = pd.DataFrame({"fips": ["51019", "51515"], "median": [1.0, 2.0]})
    with pytest.raises(ValidationError, match="no rule to merge column 'median'"):
        to_2015_boundaries(frame, account(frame), {})


def test_old_and_new_code_together_is_an_error():
    frame = pd.DataFrame({"fips": ["46113", "46102"], "x": [1.0, 2.0]})
    with pytest.raises(ValidationError, match="both 46113 and 46102"):
        to_2015_boundaries(frame, account(frame), {"x": SUM})


def test_retired_split_codes_are_set_aside_with_reason():
    frame = pd.DataFrame({"fips": ["02232", "30113", "01001"], "x": [1.0, 0.0, 3.0]})
    acc = account(frame)
    out = acc.keep(to_2015_boundaries(frame, acc, {"x": SUM}))
    assert out["fips"].tolist() == ["01001"]
    reasons = " ".join(d["reason"] for d in acc.dropped)
    assert "Skagway-Hoonah-Angoon" in reasons and "Yellowstone" in reasons


def test_territories_are_dropped_and_named():
    frame = pd.DataFrame({"fips": ["72001", "66010", "01001"], "state": ["72", "66", "01"]})
    acc = account(frame)
    out = acc.keep(drop_territories(frame, acc, "state"))
    assert out["fips"].tolist() == ["01001"]
    assert sorted(d["reason"].split(":")[0] for d in acc.dropped) == ["Guam", "Puerto Rico"]


def test_accounting_that_does_not_add_up_is_caught():
    frame = pd.DataFrame({"fips": ["01001", "01003"]})
    acc = account(frame)
    with pytest.raises(AssertionError, match="does not add up"):
        acc.keep(frame.iloc[:1])


def test_alaska_split_is_put_back_together_from_counts():
    frame = pd.DataFrame(
        {
            "fips": ["02063", "02066", "01001", "02063", "02066"],
            "year": [2021, 2021, 2021, 2022, 2022],
            "labor_force": [3000.0, 1000.0, 50.0, 3387.0, 1405.0],
            "unemployed": [90.0, 110.0, 2.0, 97.0, 130.0],
            "median": [90_000.0, 60_000.0, 1.0, 1.0, 2.0],
        }
    )
    acc = account(frame)
    out = acc.keep(
        to_2015_boundaries(frame, acc, {"labor_force": SUM, "unemployed": SUM, "median": MISSING})
    ).set_index(["fips", "year"])
    assert out.loc[("02261", 2021), "labor_force"] == 4000
    assert out.loc[("02261", 2022), "unemployed"] == 227
    assert np.isnan(out.loc[("02261", 2021), "median"])
    assert not out.index.get_level_values("fips").isin(["02063", "02066"]).any()
    assert acc.recoded[-1]["to"] == "02261" and acc.recoded[-1]["rows"] == 2
    assert "combined into 02261" in acc.dropped[-1]["reason"]


def test_one_part_of_a_split_county_alone_is_an_error():
    frame = pd.DataFrame({"fips": ["02063", "01001"], "x": [1.0, 2.0]})
    with pytest.raises(ValidationError, match="not exactly the parts"):
        to_2015_boundaries(frame, account(frame), {"x": SUM})


def test_connecticut_planning_regions_are_set_aside_with_the_reason():
    frame = pd.DataFrame({"fips": ["09110", "09190", "09001", "01001"], "x": [1.0, 2.0, 3.0, 4.0]})
    acc = account(frame)
    out = acc.keep(to_2015_boundaries(frame, acc, {"x": SUM}))
    assert out["fips"].tolist() == ["09001", "01001"]
    (dropped,) = acc.dropped
    assert dropped["rows"] == ["09110", "09190"] and "planning region" in dropped["reason"]
