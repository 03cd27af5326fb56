"""The estimate cache: an estimate made once is read back for the same inputs and code,
and any change to the inputs or the code is a new entry, never a stale one."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.compare import cache
from analysis.compare.engine import estimate


@pytest.fixture()
def on(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setenv(cache.SWITCH, "on")
    return tmp_path


def toy():
    panel = pd.DataFrame(
        {
            "fips": [f"010{i:02d}" for i in range(8)],
            "year": 2015,
            "population": [1000.0 + 10 * i for i in range(8)],
            "poverty_pct": [10.0, 12.0, 11.0, 13.0, 15.0, 16.0, 14.0, 17.0],
        }
    )
    status = pd.Series(["sanctuary"] * 3 + ["other"] * 5, index=panel["fips"], name="toy")
    return panel, status


def lookups(root) -> list[str]:
    log = root / ".make" / "estimates" / "lookups.log"
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def test_the_same_request_is_read_back_and_equal(on):
    panel, status = toy()
    first = estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")
    again = estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")
    assert lookups(on) == ["miss", "hit"]
    pd.testing.assert_frame_equal(first, again)


def test_other_data_other_options_or_other_code_are_new_entries(on, monkeypatch):
    panel, status = toy()
    estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")
    changed = panel.assign(poverty_pct=panel["poverty_pct"] + 1)
    moved = estimate(changed, status, "raw", 2015, "poverty_pct", weights="none")
    assert moved["estimate"].iloc[0] == pytest.approx(
        estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")["estimate"].iloc[0]
    )  # a constant shift leaves the difference: but it was computed, not read
    estimate(panel, status, "raw", 2015, "poverty_pct", weights="population")
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the engine")
    estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")
    assert lookups(on) == ["miss", "miss", "hit", "miss", "miss"]


def test_a_request_without_its_details_reads_the_entry_made_with_them(on):
    panel, status = toy()
    request = (panel, status, "match", 2015, "poverty_pct", None, ["log_population"])
    table, balance = estimate(*request, details=True)
    alone = estimate(*request)
    again, balance_again = estimate(*request, details=True)
    assert lookups(on) == ["miss", "hit", "hit"]
    pd.testing.assert_frame_equal(table, alone)
    pd.testing.assert_frame_equal(balance, balance_again)


def test_switched_off_nothing_is_read_or_written(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setenv(cache.SWITCH, "off")
    panel, status = toy()
    estimate(panel, status, "raw", 2015, "poverty_pct", weights="none")
    assert not (tmp_path / ".make" / "estimates").exists()
