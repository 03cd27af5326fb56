"""The built report site: every configured report ran on the real data, and every
page opens in headless Chromium with all its images and no console errors.

`make test` builds the site first (`make reports`); screenshots of every page
are saved under tests/output/screenshots/ for a person to look at.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from finder_data import tiny_profiles

from analysis import reports
from analysis.core import paths

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
        **spec.settings,
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
    args = ["make", "-n", "report-pages"] + [f"--what-if={c}" for c in changed]
    out = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"-m analysis report (\S+)", out))


def test_a_built_site_has_nothing_to_rebuild():
    assert _dry_run() == set()


def test_a_notebook_change_rebuilds_only_its_reports():
    expected = {s.name for s in SPECS if s.notebook.name == "04_before_after.ipynb"}
    assert expected and _dry_run("notebooks/04_before_after.ipynb") == expected


def test_a_library_change_rebuilds_only_the_reports_that_import_it():
    module = REPO / "src" / "analysis" / "publish" / "replication.py"
    rebuilt = _dry_run(str(module.relative_to(REPO)))
    # Directly (03, 04), or through the page sections beside the published figures (07).
    importers = {s.name for s in SPECS if module in reports.library_modules(s.notebook)}
    direct = {s.name for s in SPECS if "analysis.publish.replication" in s.notebook.read_text()}
    assert rebuilt == importers and direct <= importers and 0 < len(importers) < len(SPECS)
    assert {"definitions", "robustness", "data"}.isdisjoint(rebuilt)
    assert "definitions" not in _dry_run("src/analysis/compare/did.py")


# The notebooks that run a comparison (analysis.compare), written down by hand: the
# oracle for which pages a change to the engine must rebuild.
COMPARING_NOTEBOOKS = {
    "02_compare.ipynb",
    "03_cap_replication.ipynb",
    "04_before_after.ipynb",
    "05_robustness.ipynb",
    "07_overview.ipynb",
}
LIBRARY = REPO / "src" / "analysis"
ENGINE_AND_WORDS = sorted(
    [*(LIBRARY / "compare").glob("*.py"), *(LIBRARY / "sections").glob("*.py")]
) + [LIBRARY / "publish" / "findings.py"]


def _loaded_by(notebook: Path) -> set[Path]:
    """The library files a notebook's imports load, in a fresh interpreter: what runs."""
    source = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text())["cells"]
        if cell["cell_type"] == "code"
    )
    imports = "\n".join(
        ast.unparse(node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
    )
    script = (
        f"{imports}\nimport sys\n"
        "print('\\n'.join(m.__file__ for n, m in list(sys.modules.items())"
        " if n.startswith('analysis') and getattr(m, '__file__', None)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return {Path(line).resolve() for line in out.splitlines() if line}  # paths may hold spaces


@pytest.fixture(scope="module")
def loaded() -> dict[str, set[Path]]:
    return {nb.name: _loaded_by(nb) for nb in {s.notebook for s in SPECS}}


@pytest.mark.parametrize("module", ENGINE_AND_WORDS, ids=lambda p: str(p.relative_to(LIBRARY)))
def test_a_change_to_the_engine_rebuilds_every_page_that_runs_it(module, loaded):
    """`make -n -W <module> report-pages` lists every page whose notebook compares (for a
    module of the engine) or loads the module when it runs."""
    rebuilt = _dry_run(str(module.relative_to(REPO)))
    runs = {s.name for s in SPECS if module.resolve() in loaded[s.notebook.name]}
    if module.parent.name == "compare":
        runs |= {s.name for s in SPECS if s.notebook.name in COMPARING_NOTEBOOKS}
    assert runs and runs <= rebuilt, sorted(runs - rebuilt)


def test_the_rules_name_every_library_file_a_notebook_loads(loaded):
    for notebook, files in loaded.items():
        declared = {p.resolve() for p in reports.library_modules(REPO / "notebooks" / notebook)}
        assert files - declared == set(), notebook


def test_a_parameter_change_rebuilds_only_that_report():
    stamp = REPO / ".make" / "reports" / "robustness.json"
    assert _dry_run(str(stamp.relative_to(REPO))) == {"robustness"}


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_each_page_records_what_built_it(spec):
    from analysis import sources
    from analysis.sources import provenance

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
    # A list a definition reads from data/lists/ (`list:NAME`) is recorded with its own
    # sha256, as the definitions build read it.
    lists = json.loads((paths.processed_dir() / "definitions.log.json").read_text())
    registry |= {u["source"]: u["sha256"] for u in lists.get("user_lists", [])}
    assert record["source_files"] and all(
        registry[fid] == sha for fid, sha in record["source_files"].items()
    )
    assert set(record["products"]) >= {"county_panel.parquet", "definitions.parquet"}
    page = spec.html.read_text()
    assert f"commit {record['commit'][:10]}" in page and "Made with" in page
    assert record["source_files"]["popest-2016"] in page


def test_the_explorer_shows_the_chosen_specification_offline(browser):
    """Change each of the selectors in turn (counties or cities first); the estimate,
    interval and counts shown are the specifications table's row for that combination."""
    from analysis.reports.explore import SELECTORS, explorer_path, load_specifications

    table = load_specifications()
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("requestfailed", lambda r: problems.append(f"request: {r.url}"))
    tab.goto(built(explorer_path()).as_uri(), wait_until="load")
    tab.wait_for_selector("svg text")

    def shown() -> dict[str, str]:
        texts = [t.replace("\u2212", "-") for t in tab.locator("svg text").all_text_contents()]
        return {t.split(":")[0]: t.split(": ", 1)[1] for t in texts if ": " in t}

    def current() -> dict:
        return {n: tab.locator(f"select[name='{n}']").input_value() for n in SELECTORS}

    checked = 0
    for name in SELECTORS:
        now = current()
        match = table.copy()
        for key, value in now.items():
            if key != name:
                match = match[match[key].astype(str) == value]
        alternatives = [v for v in match[name].astype(str).unique() if v != now[name]]
        if not alternatives:
            continue
        tab.locator(f"select[name='{name}']").select_option(alternatives[0])
        tab.wait_for_timeout(150)
        chosen = current()
        row = table
        for key, value in chosen.items():
            row = row[row[key].astype(str) == value]
        assert len(row) == 1, chosen
        row = row.iloc[0]
        numbers = shown()
        assert numbers["Estimate"] == f"{row['estimate']:+,.2f}", (name, chosen)
        assert numbers["95 % interval"] == f"{row['ci_low']:+,.2f} to {row['ci_high']:+,.2f}"
        assert numbers["Compared"].startswith(f"{int(row['n_focal']):,} sanctuary vs")
        assert numbers["Compared"].endswith("cities" if row["unit"] == "city" else "counties")
        checked += 1
    tab.screenshot(path=str(SCREENSHOTS / "explore.png"), full_page=True)
    context.close()
    assert problems == []
    assert checked >= 5, "most selectors have another value to choose"


@pytest.mark.parametrize("name,page", PAGES, ids=[n for n, _ in PAGES])
def test_tables_fit_the_page_and_the_page_fits_a_phone(browser, name, page):
    """No table runs off the page at 1280 px; at 390 px (a phone) the page itself does
    not scroll sideways: a wide table scrolls inside its own block."""
    for width in (1280, 390):
        context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto(built(page).as_uri(), wait_until="load")
        tables = tab.eval_on_selector_all(
            ".report-table-block, table.report-table",
            "els => els.map(e => e.scrollWidth - e.clientWidth)",
        )
        document = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        context.close()
        if width == 1280:
            assert max(tables, default=0) <= 1, f"a table runs off the page at {width} px"
        assert document <= 1, f"the page scrolls sideways at {width} px"


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_readers_see_words_not_code_names_or_build_settings(spec):
    from analysis.compare import OUTCOMES

    page = spec.html.read_text()
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    code_names = {
        "ci_low",
        "ci_high",
        "n_focal",
        "n_comparison",
        "p_value",
        "std_error",
        "smd_before",
        "smd_after",
        *OUTCOMES,
    }
    assert not [h for h in headers if h.strip() in code_names or "_" in h], spec.name
    for setting in spec.settings:
        assert f"{setting}:" not in page, f"{spec.name} shows the build setting {setting}"


def open_finder(browser, page: Path):
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 1100})
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("requestfailed", lambda r: problems.append(f"request: {r.url}"))
    tab.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    tab.goto(page.as_uri(), wait_until="load")
    tab.wait_for_function("document.getElementById('match-count').textContent.startsWith('Type')")
    return context, tab, problems


def find(tab, query: str) -> dict:
    tab.fill("#place-search", query)
    tab.wait_for_selector("#profile:not([hidden])")
    tab.wait_for_selector("#chart svg")
    rows = {}
    for row in tab.locator("#statuses tbody tr").all():
        cells = row.locator("td").all_text_contents()
        rows[cells[0]] = cells[1:]
    return {
        "name": tab.locator("#place-name").text_content(),
        "standing": tab.locator("#standing").text_content(),
        "match": tab.locator("#match").text_content(),
        "rows": rows,
    }


def test_the_place_finder_finds_a_county_its_list_row_and_its_match_offline(browser):
    from analysis.jurisdictions import list_definitions, load_definition
    from analysis.publish import labels
    from analysis.reports.finder import finder_path

    page = built(finder_path())
    assert page.stat().st_size < 3_000_000, "the place finder stays under 3 MB"
    context, tab, problems = open_finder(browser, page)

    multnomah = find(tab, "Multnomah")
    assert multnomah["name"] == "Multnomah County, OR (county)"
    status, row = multnomah["rows"][labels.definition("ice2014")]
    assert status == "sanctuary" and "'Multnomah County, Oregon'" in row
    assert (
        multnomah["match"].startswith("In the 2017 CAP report's design")
        and "matched to" in (multnomah["match"])
    )
    tab.screenshot(path=str(SCREENSHOTS / "places-multnomah.png"), full_page=True)

    statuses = pd.DataFrame({d: load_definition(d) for d in list_definitions().index})
    unlisted = statuses.index[(statuses == "other").all(axis=1)]
    names = (
        pd.read_parquet(
            paths.processed_dir() / "county_panel.parquet",
            columns=["fips", "county_name", "state_abbr"],
        )
        .drop_duplicates("fips")
        .set_index("fips")
    )
    counts = names["county_name"].value_counts()
    fips = next(f for f in sorted(unlisted) if counts[names.at[f, "county_name"]] == 1)
    nowhere = find(tab, names.at[fips, "county_name"])
    assert nowhere["standing"].startswith("On no list")
    assert {s for s, _ in nowhere["rows"].values()} == {"not listed"}

    city = find(tab, "Chicago")
    assert city["name"] == "Chicago, IL (city)" and city["match"].startswith("Its county: Cook")
    assert tab.evaluate("location.hash") == "#1714000"  # its place code, to share
    tab.screenshot(path=str(SCREENSHOTS / "places-chicago.png"), full_page=True)

    linked = context.new_page()  # a link to a place opens it
    linked.goto(page.as_uri() + "#41051", wait_until="load")
    linked.wait_for_selector("#chart svg")
    assert linked.locator("#place-name").text_content() == "Multnomah County, OR (county)"
    linked.screenshot(path=str(SCREENSHOTS / "places-from-a-link.png"), full_page=True)
    context.close()
    assert problems == []


def test_the_place_finder_shows_hostile_names_as_text(browser, tmp_path, monkeypatch):
    from analysis.reports import finder

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    name = "<img src=x onerror=alert(1)> County"
    page = finder.build_finder(tiny_profiles(name, "<script>alert(2)</script>"))
    context, tab, problems = open_finder(browser, page)
    shown = find(tab, "img src")
    assert shown["name"].startswith(name)
    assert "<script>alert(2)</script>" in list(shown["rows"].values())[0][1]
    assert tab.locator("#profile img").count() == 0
    context.close()
    assert problems == []


def _places(*names: tuple[str, str, str]) -> dict:
    """Hand-made finder data with these (code, name, state) counties."""
    data = tiny_profiles("x", "row")
    template = data["places"][0]
    data["places"] = [{**template, "code": c, "name": n, "state": s} for c, n, s in names]
    return data


def test_a_place_has_an_address_and_the_finder_works_from_the_keyboard(
    browser, tmp_path, monkeypatch
):
    from analysis.reports import finder

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    formula = '=HYPERLINK("http://example.invalid","x")'
    page = finder.build_finder(_places(
        ("35013", "Doña Ana County", "NM"), ("29510", "St. Louis city", "MO"),
        ("29189", "St. Louis County", "MO"), ("01001", formula, "AL"),
    ))  # fmt: skip
    context, tab, problems = open_finder(browser, page)
    assert find(tab, "Dona Ana")["name"] == "Doña Ana County, NM (county)"
    assert find(tab, "Saint Louis")["name"].startswith("St. Louis")
    # Down from the box to the matches, down again, Enter: the second is chosen and addressed.
    tab.focus("#place-search")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    tab.wait_for_function("location.hash === '#29189'")
    assert tab.locator("#place-name").text_content() == "St. Louis County, MO (county)"
    # The address opens the place in a new page, and a formula for a name downloads as text.
    other = context.new_page()
    other.goto(page.as_uri() + "#01001", wait_until="load")
    other.wait_for_selector("#profile:not([hidden])")
    assert other.locator("#place-name").text_content().startswith("=HYPERLINK")
    with other.expect_download() as download:
        other.click("#download")
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",10")
    context.close()
    assert problems == []


def _axe_problems(tab) -> list[str]:
    """axe-core's serious and critical violations on the page open in `tab`, in words."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_or_critical_accessibility_fault_on_any_page(browser):
    pages = {p.name: p for p in sorted((paths.reports_dir() / "html").glob("*.html"))}
    pages |= {n: paths.reports_dir() / n for n in ("index.html", "explore.html", "places.html")}
    assert len(pages) >= 20
    faults = {}
    # At a desktop's width and a phone's, where figures and tables scroll sideways.
    for width in (1280, 390):
        tab = browser.new_page(viewport={"width": width, "height": 900})
        for name, path in pages.items():
            tab.goto(built(path).as_uri(), wait_until="load")
            faults[f"{name} at {width} px"] = _axe_problems(tab)
        tab.close()
    tab = browser.new_page()
    # The finder with a place open: its profile, table and links are checked too.
    tab.goto(pages["places.html"].as_uri() + "#41051", wait_until="load")
    tab.wait_for_selector("#profile:not([hidden])")
    faults["places.html#41051"] = _axe_problems(tab)
    tab.close()
    assert {name: found for name, found in faults.items() if found} == {}


def _every_page() -> dict[str, str]:
    pages = {p.name: p for p in sorted((paths.reports_dir() / "html").glob("*.html"))}
    pages |= {n: paths.reports_dir() / n for n in ("index.html", "explore.html", "places.html")}
    return {name: built(path).read_text() for name, path in pages.items()}


class _Visible(HTMLParser):
    """A page's visible text, the part of it that is prose (not marked as code, nor the
    build's provenance), and its <h1> headings."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.parts, self.prose, self.headings, self._skip, self._h1 = [], [], [], 0, None
        self._code = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "title")
        self._code += tag in ("code", "pre", "details", "footer")
        alt = dict(attrs).get("alt") if tag == "img" else None
        if alt:  # a figure's text alternative is text a reader hears
            self.prose.append(f" {alt} ")
        if tag == "h1":
            self._h1 = ""

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "title")
        self._code -= tag in ("code", "pre", "details", "footer")
        if tag == "h1" and self._h1 is not None:
            self.headings.append(" ".join(self._h1.split()))
            self._h1 = None

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if not self._code:
                self.prose.append(data)
            if self._h1 is not None:
                self._h1 += data


def test_no_page_shows_a_python_list_and_every_heading_is_its_own():
    headings = {}
    for name, page in _every_page().items():
        seen = _Visible(page)
        text = " ".join(" ".join(seen.parts).split())
        lists = re.findall(r".{0,40}(?:\['|'\]|\[\]).{0,40}", text)
        assert not lists, f"{name} shows a Python list: {lists[:3]}"
        assert len(seen.headings) == 1, f"{name} has {len(seen.headings)} <h1>: {seen.headings}"
        headings[name] = seen.headings[0]
    twice = {h for h in headings.values() if list(headings.values()).count(h) > 1}
    assert not twice, f"pages share a heading: {twice}"


def test_no_page_names_a_list_or_a_variable_by_its_id_where_it_has_a_label():
    # Ids stay in the metadata, the CSVs and text marked as code (the data dictionary,
    # a command to run); a reader's prose says "DHS list, 2025" and "violent crime".
    from analysis.publish import labels

    ids = {i for i in labels.definition_labels() if i != labels.definition(i)}
    ids |= {v for v in labels.VARIABLES if "_" in v}
    ids |= {"cap"}  # the 2017 report's covariate set: "CAP" the report, "cap" the id
    # (A file's path, data/lists/state_laws.csv, is a path, not an id.)
    names = "|".join(map(re.escape, sorted(ids)))
    pattern = re.compile(rf"(?<![\w./-])({names})(?![\w-]|\.\w)")
    shown = {}
    for name, page in _every_page().items():
        text = " ".join(" ".join(_Visible(page).prose).split())
        found = [text[max(0, m.start() - 40) : m.end() + 40] for m in pattern.finditer(text)]
        if found:
            shown[name] = found[:3]
    assert shown == {}


def test_a_compare_page_says_once_at_the_top_who_is_compared():
    # "193 sanctuary cities vs 11,130" was followed by box plots of 188 vs 9,254 and a
    # table of 166 vs 3,209, with nothing in between to say why.
    for name, page in _every_page().items():
        if not name.startswith("compare-"):
            continue
        assert page.count("Who is compared:") == 1, name
        assert page.index("Who is compared:") < page.index('<figure class="lead"'), name
    page = _every_page()["compare-cities-dhs2025-2016.html"]
    line = re.search(r"Who is compared:[^<]*", page).group(0)
    steps = line.split(" → ")  # listed, in the table that year, over the size cut, matched
    focal = [int(re.search(r"\d[\d,]*", step).group(0).replace(",", "")) for step in steps]
    assert len(steps) == 4 and focal == sorted(focal, reverse=True) and focal[0] > focal[-1]


def test_a_city_page_counts_cities_not_counties():
    # ("The CAP report matched counties" is about counties, and stays.)
    wrong = re.compile(r"\b(sanctuary|comparison|focal|adopting|control) counties\b", re.I)
    city_pages = {n: p for n, p in _every_page().items() if "cities" in n}
    assert len(city_pages) >= 4
    for name, page in city_pages.items():
        text = " ".join(" ".join(_Visible(page).parts).split())
        found = [m.group(0) for m in wrong.finditer(text)]
        assert not found, f"{name} says {found[:3]} of the cities it compares"
