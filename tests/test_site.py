"""The built report site: every configured report ran on the real data, and every
page opens in headless Chromium with all its images and no console errors.

`make test` builds the site first (`make reports`); screenshots of every page
are saved under tests/output/screenshots/ for a person to look at.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, reports

pytestmark = pytest.mark.integration

REPO = paths.REPO_DIR
SCREENSHOTS = REPO / "tests" / "output" / "screenshots"
SPECS = reports.load_config()
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium() -> str:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not found:
        pytest.fail(
            "no Chromium for the browser tests: `make test` installs Debian's chromium; "
            "elsewhere install it or set CHROMIUM=/path/to/chromium"
        )
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def built(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make reports` (or `make test`, which builds it)")
    return path


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_each_report_ran_under_papermill_with_its_parameters(spec):
    executed = json.loads(built(spec.executed).read_text())
    assert executed["metadata"]["papermill"]["parameters"] == {
        **spec.parameters,
        "report_name": spec.name,
    }
    errors = [
        o
        for c in executed["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == []
    meta = json.loads((paths.reports_dir() / "meta" / f"{spec.name}.json").read_text())
    assert meta["finding"], "every report states its finding for the index"
    for figure in meta["figures"]:
        for suffix in ("png", "svg"):
            assert (
                paths.reports_dir() / "figures" / spec.name / f"{figure}.{suffix}"
            ).stat().st_size > 0
    for table in meta["tables"]:
        assert (paths.reports_dir() / "tables" / spec.name / f"{table}.csv").exists()


PAGES = [("index", paths.reports_dir() / "index.html")] + [(s.name, s.html) for s in SPECS]


@pytest.mark.parametrize("name,page", PAGES, ids=[n for n, _ in PAGES])
def test_page_loads_offline_with_every_image_and_no_console_errors(browser, name, page):
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    problems = []
    tab.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    tab.goto(built(page).as_uri(), wait_until="load")
    images = tab.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    notices = tab.locator(".notice-missing").count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    links = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    assert problems == []
    if name != "index":  # its figures, or the line saying which absent data they need
        assert images or notices, "a report page shows its figures"
    assert all(done and width > 0 for done, width in images), images
    for href in links:  # local links (reports, tables) point at files that exist
        if not re.match(r"^(https?:|data:|#|mailto:)", href):
            assert (page.parent / href).exists(), href


def test_replication_table_holds_the_published_figure_beside_the_project_estimate():
    table = pd.read_csv(
        built(paths.reports_dir() / "tables" / "cap-replication" / "replication.csv")
    )
    columns = list(table.columns)
    assert columns[columns.index("published_estimate") + 1] == "project_estimate"
    assert {
        "outcome",
        "stratum",
        "ci_low",
        "ci_high",
        "n_focal",
        "n_comparison",
        "definition",
        "year",
        "method",
        "unit",
        "note",
    } <= set(columns)
    crime = table[
        (table["outcome"] == "total_crime_per_10k") & (table["stratum"] == "all counties")
    ]
    assert crime["published_estimate"].tolist() == [-35.5]
    assert crime["project_estimate"].notna().all() and crime["year"].tolist() == [2015]


def _dry_run(*changed: str) -> set[str]:
    """Reports `make reports` would rebuild if these files had changed."""
    args = ["make", "-n", "reports"] + [f"--what-if={c}" for c in changed]
    out = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"-m analysis report (\S+)", out))


def test_a_built_site_has_nothing_to_rebuild():
    assert _dry_run() == set()


def test_a_notebook_change_rebuilds_only_its_reports():
    expected = {s.name for s in SPECS if s.notebook.name == "04_before_after.ipynb"}
    assert expected and _dry_run("notebooks/04_before_after.ipynb") == expected


def test_a_library_change_rebuilds_only_the_reports_that_import_it():
    rebuilt = _dry_run("src/analysis/replication.py")
    importers = {s.name for s in SPECS if "analysis.replication" in s.notebook.read_text()}
    assert rebuilt == importers and 0 < len(importers) < len(SPECS)
    assert "definitions" not in _dry_run("src/analysis/compare/did.py")


def test_a_parameter_change_rebuilds_only_that_report():
    stamp = REPO / ".make" / "reports" / "robustness.json"
    assert _dry_run(str(stamp.relative_to(REPO))) == {"robustness"}


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_each_page_records_what_built_it(spec):
    from analysis import provenance, sources

    meta = json.loads((paths.reports_dir() / "meta" / f"{spec.name}.json").read_text())
    record = meta["provenance"]
    # The commit that built the page: this one, or an earlier one whose code the
    # page's dependencies still are (Make rebuilds only what changed).
    if (REPO / ".git").exists():
        known = subprocess.run(
            ["git", "merge-base", "--is-ancestor", record["commit"], "HEAD"],
            cwd=REPO,
            capture_output=True,
        )
        assert known.returncode == 0, record["commit"]
    assert record["packages"]["pandas"] == provenance.packages()["pandas"]
    registry = {f.id: f.sha256 for f in sources.all_files()}
    assert record["source_files"] and all(
        registry[fid] == sha for fid, sha in record["source_files"].items()
    )
    assert set(record["products"]) >= {"county_panel.parquet", "definitions.parquet"}
    page = spec.html.read_text()
    assert f"commit {record['commit'][:10]}" in page and "Made with" in page
    assert record["source_files"]["popest-2016"] in page
