"""Page sections (analysis.sections) on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare.groups import Groups
from analysis.core.errors import AnalysisError
from analysis.sections import comparison


def toy_groups(focal: list[str], control: list[str]) -> Groups:
    return Groups("ice2014", "all", "sanctuary", np.array(focal), np.array(control), 0)


def places_of(groups: Groups) -> pd.DataFrame:
    """A year's rows of the compared places, with their group, as the notebook has them."""
    codes = [*groups.focal, *groups.control]
    group = [groups.focal_group] * len(groups.focal) + ["comparison"] * len(groups.control)
    return pd.DataFrame({"group": group}, index=pd.Index(codes, name="fips"))


def test_a_comparison_page_of_a_single_listed_county_stops_saying_why():
    # A user's list that marks one county: no method can compare it, so the page stops
    # at once with the reason, not at a later table with a KeyError.
    groups = toy_groups(["41051"], ["01001", "01003"])
    with pytest.raises(AnalysisError) as err:
        comparison.require_groups(groups, places_of(groups), 2015)
    message = str(err.value)
    assert "\n" not in message
    assert "1 sanctuary county" in message and "2015" in message and "at least 2" in message


def test_two_places_in_each_group_are_enough_for_a_comparison_page():
    groups = toy_groups(["41051", "41067"], ["01001", "01003"])
    comparison.require_groups(groups, places_of(groups), 2015)
