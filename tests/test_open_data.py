"""A new user with only the openly downloadable files: the whole site builds.

The ICPSR crime files (2010, 2012, 2016) need a signed-in download and may not
be redistributed, so a new user starts without them. In a scratch copy of the
project, `make reports` runs with a mirror view that lacks them; every
configured report must build, each page that needs an absent year must say
so in one line, and the index must say which optional sources the build had.
Then the ICPSR files arrive (a mirror that has them) and a second
`make reports` adds their years, rebuilding only what reads the panel.
"""

from __future__ import annotations

import json
import stat

import pytest
import scratch

from analysis import reports, sources
from analysis.core import paths
from analysis.panels.county_schema import N_COUNTIES

pytestmark = pytest.mark.integration

SPECS = reports.load_config()
OPTIONAL_FILES = sorted(scratch.optional_paths())
# The configured reports whose parameters ask for crime in 2010, 2012 or 2016
# (reports/reports.yml and each notebook's defaults): compare pages for 2016,
# the before/after report (2010/2012 before, 2016 after), the robustness report
# (years 2010-2017) and the maps (a 2010 comparison map).
NEEDS_ICPSR = {
    "compare-ice2014-2016",
    "compare-dhs2025-2016",
    "compare-doj2025_broad-2016",
    "before-after-ice2014",
    "robustness",
    "maps-ice2014-2015",
}
NOTICE = "not in this build"
# The reports the ICPSR files are added under (the whole set is built first).
ICPSR_SET = [
    {
        "name": "compare-ice2014-2016",
        "notebook": "02_compare.ipynb",
        "parameters": {"definition": "ice2014", "year": 2016},
    },
    {
        "name": "before-after-ice2014",
        "notebook": "04_before_after.ipynb",
        "parameters": {"outcomes": ["total_crime_per_10k"], "robust": False},
    },
    {  # the explorer's source, cut to a few specifications
        "name": "robustness",
        "notebook": "05_robustness.ipynb",
        "parameters": {
            "units": ["county"],
            "definitions": ["ice2014"],
            "years": [2012, 2016],
            "outcomes": ["total_crime_per_10k"],
            "methods": ["raw", "match"],
            "covariate_sets": ["cap"],
            "comparisons": ["all"],
            "min_coverages": [None],
        },
        "settings": {"workers": 1},
    },
]


def page(root, name: str) -> str:
    return (root / "reports" / "html" / f"{name}.html").read_text()


@pytest.fixture(scope="module")
def open_build(tmp_path_factory):
    """A scratch project after `make reports` with the open data only."""
    base = tmp_path_factory.mktemp("open-data")
    view = scratch.mirror_view(base / "mirror", optional=False)
    root = scratch.project(base / "project")
    result = scratch.make(root, "reports", mirror=view)
    return root, result


def test_every_configured_report_builds_without_the_icpsr_files(open_build):
    root, _ = open_build
    assert not any((root / "data" / "raw" / p).exists() for p in OPTIONAL_FILES)
    missing = [s.name for s in SPECS if not (root / "reports" / "html" / f"{s.name}.html").exists()]
    assert missing == []
    assert (root / "reports" / "index.html").exists()


def test_the_build_log_gives_the_reason_and_keeps_the_years_missing(open_build):
    root, result = open_build
    log = json.loads((root / "data" / "processed" / "county_panel.log.json").read_text())
    status = {s["source"]: s for s in log["optional_sources"]}
    assert {k: v["present"] for k, v in status.items()} == {
        "ucr-2010": False,
        "ucr-2012": False,
        "ucr-2016": False,
    }
    assert status["ucr-2010"]["reason"].startswith("ICPSR 33523 not present")
    crime_gaps = {
        (m["column"], m["year"])
        for m in log["missing_values"]
        if m["reason"].startswith("ICPSR") and m["count"] == N_COUNTIES
    }
    assert ("total_crime_per_10k", 2016) in crime_gaps and ("violent_crimes", 2010) in crime_gaps
    assert "ICPSR 37059 not present" in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(NEEDS_ICPSR))
def test_pages_that_need_an_absent_year_say_so_in_one_line(open_build, name):
    root, _ = open_build
    text = page(root, name)
    notices = [line for line in text.splitlines() if 'class="notice-missing"' in line]
    assert notices, f"{name}: no missing-year notice"
    for line in notices:
        assert NOTICE in line and "icpsr.umich.edu" in line and "data/raw/crime/icpsr-" in line
    meta = json.loads((root / "reports" / "meta" / f"{name}.json").read_text())
    assert meta["notices"], f"{name}: the notice is not recorded for the index"


@pytest.mark.parametrize("name", sorted({s.name for s in SPECS} - NEEDS_ICPSR))
def test_pages_that_need_no_absent_year_are_complete(open_build, name):
    root, _ = open_build
    assert NOTICE not in page(root, name)


def test_the_index_says_which_optional_sources_the_build_had(open_build):
    root, _ = open_build
    index = (root / "reports" / "index.html").read_text()
    assert "Optional sources" in index
    for sid in ["ucr-2010", "ucr-2012", "ucr-2016"]:
        assert sources.registry()[sid].landing_page in index
    assert index.count("not in this build") >= 3


def test_written_files_take_their_mode_from_the_umask(open_build):
    root, _ = open_build
    written = [
        root / "data" / "raw" / sources.source_file("laus-2014").path,
        root / "data" / "processed" / "county_panel.parquet",
        root / "reports" / "index.html",
        root / "reports" / "html" / "definitions.html",
        root / "reports" / "notebooks" / "definitions.ipynb",
    ]
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in written}
    assert set(modes.values()) == {"0o644"}, modes


def test_a_truncated_panel_is_refused_then_rebuilt_by_make_data(open_build, monkeypatch):
    from analysis.core.errors import AnalysisError
    from analysis.panels.load import load_panel

    root, _ = open_build
    monkeypatch.setenv("ANALYSIS_ROOT", str(root))
    target = root / "data" / "processed" / "county_panel.parquet"
    good = load_panel()
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    with pytest.raises(AnalysisError) as err:
        load_panel()
    message = str(err.value)
    assert "\n" not in message
    assert "data/processed/county_panel.parquet" in message and "make data" in message

    result = scratch.make(root, "data")
    assert "build panel" in result.stdout
    assert load_panel().equals(good)


def _mtimes(root, *folders):
    return {
        str(p.relative_to(root)): p.stat().st_mtime_ns
        for folder in folders
        for p in (root / folder).rglob("*")
        if p.is_file()
    }


def _changes(root, build):
    """(files added, files changed) under data/ and reports/html by `build()`."""
    before = _mtimes(root, "data", "reports/html")
    result = build()
    after = _mtimes(root, "data", "reports/html")
    return (
        {p for p in after if p not in before},
        {p for p in before if after[p] != before[p]},
        result,
    )


def test_adding_the_icpsr_files_later_rebuilds_what_reads_them(open_build, tmp_path):
    import shutil

    import yaml

    root, _ = open_build
    if not all((paths.raw_dir() / p).exists() for p in OPTIONAL_FILES):
        pytest.skip("this checkout has no ICPSR files to add")
    # Every report reads the panel, so three stand for all here (the first test built the
    # whole set): a comparison in 2016, the before-and-after page cut to crime, and the
    # robustness page (which the explorer reads) cut to a few specifications.
    config = root / "reports" / "reports.yml"
    config.unlink()  # the scratch project's link to this checkout's file: never write through it
    config.write_text(yaml.safe_dump({"reports": ICPSR_SET}))
    scratch.make(root, "reports")
    names = [r["name"] for r in ICPSR_SET]
    # Only what reads the county panel is made again: the panel (and its log), the city
    # panel (which takes its counties' covariates from it), the definitions (which place
    # the lists' cities among the city panel's; the city and state readings are written by
    # the same step) and the reports; no other raw file is fetched again, and the geometry
    # and the state panel stay.
    rebuilt = {
        "data/processed/county_panel.parquet",
        "data/processed/county_panel.log.json",
        "data/processed/city_panel.parquet",
        "data/processed/city_panel.log.json",
        "data/processed/definitions.parquet",
        "data/processed/definitions.log.json",
        "data/processed/jurisdictions.parquet",
        "data/processed/city_definitions.parquet",
        "data/processed/state_definitions.parquet",
        *(f"reports/html/{name}.html" for name in names),
    }

    # By hand, one year, keeping the download's old timestamp, no mirror.
    icpsr_2016 = sources.source_file("ucr-2016").path
    by_hand = root / "data" / "raw" / icpsr_2016
    by_hand.parent.mkdir(parents=True, exist_ok=True)
    added, changed, _ = _changes(
        root,
        lambda: (
            shutil.copy2(paths.raw_dir() / icpsr_2016, by_hand),
            scratch.make(root, "reports"),
        ),
    )
    assert added == {f"data/raw/{icpsr_2016}"} and changed == rebuilt
    assert NOTICE not in page(root, "compare-ice2014-2016")
    assert "Left out of the before-and-after comparison: 2010 and 2012 crime" in page(
        root, "before-after-ice2014"
    )

    # The rest from a mirror that holds them.
    full = scratch.mirror_view(tmp_path / "mirror", optional=True)
    added, changed, result = _changes(root, lambda: scratch.make(root, "reports", mirror=full))
    assert added == {f"data/raw/{p}" for p in OPTIONAL_FILES} - {f"data/raw/{icpsr_2016}"}
    assert changed == rebuilt
    assert result.stdout.count("copied from mirror") == len(OPTIONAL_FILES) - 1
    for name in names:
        assert NOTICE not in page(root, name), name
    meta = json.loads((root / "reports" / "meta" / "compare-ice2014-2016.json").read_text())
    assert meta["finding"].startswith(
        "ICE 2014 table, 2016: after matching on the 2017 CAP report's covariates"
    )
    log = json.loads((root / "data" / "processed" / "county_panel.log.json").read_text())
    assert all(s["present"] for s in log["optional_sources"])

    # Nothing left to do: a third run rebuilds nothing.
    added, changed, _ = _changes(root, lambda: scratch.make(root, "reports", mirror=full))
    assert added == changed == set()
