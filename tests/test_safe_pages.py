"""Text from data reads as text on every page, and never runs.

A definition's title, `as_of` and caveats, a list's names, notes and sources, a
report's title and parameters are written by people, not by this project. Each
place a page shows them (tables, captions, findings, notes, figure alt text, the
parameter line, the index, the explorer's embedded JSON) must escape them, and a
link taken from data must be an http(s) address.

The unit tests feed each writer markup directly; the integration test builds the
definitions report, a report made of nothing but data (tests/fixtures/hostile/) and
the index in a scratch project whose definitions.toml registers a list full of
markup, then reads every page back as a browser's parser would.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import scratch
from finder_data import tiny_profiles

from analysis.core import paths
from analysis.publish import reporting

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TITLE = '<script>alert(1)</script> Tom & Jerry\'s "list" </table>'
AS_OF = IMG
CAVEATS = "javascript:alert(1) <!-- </script>"
LABEL = "<img src=x onerror=alert(1)> javascript:alert(1)"


class Page(HTMLParser):
    """A page as a browser's tokenizer reads it: the elements with their attributes, the
    text of each <script>, the comments and the visible text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.comments: list[str] = []
        self._text: list[str] = []
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in != "style":
            self._text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def live_markup(self) -> list[str]:
        """Whatever in the page is markup that came from data rather than text."""
        found = []
        for tag, attrs in self.elements:
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"<{tag} {name}=...>")
                if name in ("href", "src", "action", "formaction", "xlink:href") and re.match(
                    r"\s*(javascript|vbscript):", value, re.I
                ):
                    found.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and attrs.get("src") == "x":
                found.append("<img src=x>")
        # The page's own scripts (the explorer's) may hold the data as escaped JSON.
        found += [f"script {s[:40]!r}" for s in self.scripts if s.strip().startswith("alert(")]
        found += [f"comment {c!r}" for c in self.comments if "comment" in c or "</script" in c]
        return found


def test_the_page_reader_sees_markup_as_a_browser_would():
    """The checker itself: live markup is found, escaped markup is text."""
    live = Page(f"<p>{SCRIPT}{IMG}<a href='javascript:x'>a</a><!-- comment</p>")
    assert len(live.live_markup()) == 4
    safe = Page(f"<p>{html.escape(SCRIPT + IMG + '<!-- comment')}</p>")
    assert safe.live_markup() == [] and SCRIPT + IMG in safe.text


# --- the writers, one by one ------------------------------------------------------


def test_tables_escape_cells_headers_and_index():
    frame = pd.DataFrame(
        {"title": [TITLE, None], IMG: ["a & b", [SCRIPT]], "counties": [1, 2]},
        index=[SCRIPT, "</table>"],
    )
    out = reporting._html_table(frame, index=True, float_format="{:,.2f}", uuid="t")
    page = Page(out)
    assert page.live_markup() == []
    assert [t for t, _ in page.elements].count("table") == 1
    for text in (TITLE, IMG, "a & b", f"['{SCRIPT}']", "</table>"):
        assert " ".join(text.split()) in page.text


def test_a_header_with_braces_is_shown_not_used_as_a_pattern():
    out = reporting._html_table(
        pd.DataFrame({"{foo}": ["x"]}), index=False, float_format="{:,.2f}", uuid="t"
    )
    assert "{foo}" in Page(out).text


@pytest.fixture()
def shown(monkeypatch):
    """What a report displays, as HTML (what nbconvert writes into the page)."""
    import IPython.display

    out: list[str] = []

    def display(obj, **_):
        if isinstance(obj, IPython.display.HTML):
            out.append(obj.data)
        elif isinstance(obj, IPython.display.Markdown):
            out.append(f"MARKDOWN:{obj.data}")  # rendered as Markdown, raw HTML and all

    monkeypatch.setattr(IPython.display, "display", display)
    return out


def test_findings_notes_checks_and_notices_show_data_as_text(shown):
    report = reporting.Report()
    report.finding(f"{TITLE} marks 3 counties")
    report.note(f"Caveats: {CAVEATS}")
    report.assumption(f"the list is {IMG}", True)
    report.unavailable(f"Left out: {SCRIPT} (add `data/raw/x`)")
    report.table(pd.DataFrame({"name": [SCRIPT]}), "rows", caption=IMG)
    assert len(shown) == 5 and not any(s.startswith("MARKDOWN:") for s in shown)
    page = Page("".join(shown))
    assert page.live_markup() == []
    assert f"{' '.join(TITLE.split())} marks 3 counties" in page.text
    assert CAVEATS in page.text and IMG in page.text and SCRIPT in page.text
    assert ("code", {}) in page.elements  # the notice's `code` still marks code


def test_links_from_data_must_be_http():
    assert reporting.safe_url("https://www.icpsr.umich.edu/web/NACJD/studies/33523") == (
        "https://www.icpsr.umich.edu/web/NACJD/studies/33523"
    )
    assert reporting.safe_url(" HTTP://example.org/a?b=1&c=2 ") == "HTTP://example.org/a?b=1&c=2"
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:x",
        "//example.org",
        "http:/no-host",
        "",
        None,
        42,
    ]:
        assert reporting.safe_url(bad) is None, bad


def test_json_in_a_script_cannot_close_it():
    value = {"a": f"</script>{SCRIPT}<!-- </SCRIPT >", "b": ["&", ">"]}
    text = reporting.script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value
    page = Page(f"<script>var x = {text};</script>")
    assert len(page.scripts) == 1 and page.comments == []


def test_the_explorer_embeds_data_it_cannot_escape_from(tmp_path, monkeypatch):
    from analysis.reports import explore

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    rows = [
        {
            "definition": name,
            "year": 2015,
            "outcome": "total_crime_per_10k",
            "method": "match",
            "weights": "none",
            "comparison": "all others",
            "covariates": "cap",
            "min_coverage": None,
            "estimate": 1.5 * i,
            "ci_low": 0.0,
            "ci_high": 3.0 * i,
            "p_value": 0.5,
            "n_focal": 10,
            "n_comparison": 100,
        }
        # "<!--<script>" would put the page's own </script> inside the script (HTML's
        # "script data double escaped" state): the chart would swallow the page.
        for i, name in enumerate(
            ["ice2014", f"</script>{SCRIPT}", f"<!-- {IMG}", "<!--<script>"], start=1
        )
    ]
    explore.specifications_path().parent.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(explore.specifications_path(), index=False)
    page = Page(explore.build_explorer().read_text())
    assert len(page.scripts) == 2  # the Vega bundle and the chart: nothing else
    assert page.comments == [] and page.live_markup() == []
    spec = page.scripts[1]
    assert "\\u003c/script\\u003e" in spec and "\\u003c!-- \\u003cimg" in spec
    assert "<!--" not in spec and "<script" not in spec.lower()


def test_the_index_links_only_http_sources_and_escapes_report_names(tmp_path, monkeypatch):
    """An optional source whose address is javascript: is shown as text, not a link."""
    from dataclasses import replace

    from analysis import sources
    from analysis.panels import availability
    from analysis.reports import index

    registry = sources.registry()
    hostile = {
        sid: replace(s, landing_page="javascript:alert(1)", title=SCRIPT) if s.optional else s
        for sid, s in registry.items()
    }
    monkeypatch.setattr(sources, "registry", lambda: hostile)
    absent = [
        {"source": sid, "present": False, "path": f"data/raw/{sid}/{SCRIPT}"}
        for sid, s in registry.items()
        if s.optional
    ]
    monkeypatch.setattr(availability, "optional_status", lambda: absent)
    rows = Page(f"<table>{index._optional_rows()}</table>")
    assert rows.live_markup() == []
    assert [a for t, a in rows.elements if t == "a"] == []
    assert rows.text.count("download it from javascript:alert(1) and save it as") == len(absent)
    assert f"data/raw/ucr-2010/{SCRIPT}" in rows.text
    assert index._href("html", "a b&c.html") == "html/a%20b%26c.html"


# --- the site, built ----------------------------------------------------------------


def _project(root: Path) -> Path:
    """A scratch project whose definitions.toml registers the hostile list, whose report
    set is the definitions report and the hostile one, and whose processed panel and
    geometry are this checkout's (only the definitions are built again)."""
    own = {
        "data/definitions.toml",
        "reports/reports.yml",
        "notebooks",
        "data/raw",
        "data/processed",
    }
    # Everything else under data/ too (registries, alias tables): what the build reads.
    data = [f"data/{p.name}" for p in (scratch.REPO / "data").iterdir()]
    for name in sorted({*scratch.CODE, *data} - own):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(scratch.REPO / name)
    (root / "notebooks").mkdir()
    for notebook in (scratch.REPO / "notebooks").glob("*.ipynb"):
        (root / "notebooks" / notebook.name).symlink_to(notebook)
    shutil.copy(HOSTILE / "hostile.ipynb", root / "notebooks")
    (root / "reports").mkdir()
    shutil.copy(HOSTILE / "reports.yml", root / "reports" / "reports.yml")
    (root / "lists").mkdir()
    shutil.copy(HOSTILE / "hostile.csv", root / "lists")
    definitions = (scratch.REPO / "data" / "definitions.toml").read_text()
    (root / "data" / "definitions.toml").write_text(
        definitions + "\n" + (HOSTILE / "definitions.toml").read_text()
    )
    # The raw files as links (their own, older, times) and the products copied after
    # them, so Make finds the panel and geometry up to date.
    scratch.mirror_view(root / "data" / "raw", optional=True)
    (root / ".make").mkdir()
    stamp = scratch.REPO / ".make" / "optional-sources.txt"
    if not stamp.exists() or not (paths.processed_dir() / "county_panel.parquet").exists():
        pytest.fail("this checkout has no processed data: run `make data` (or `make test`)")
    shutil.copy(stamp, root / ".make" / "optional-sources.txt")
    old = time.time() - 3600
    os.utime(root / ".make" / "optional-sources.txt", (old, old))
    (root / "data" / "processed").mkdir()
    for product in paths.processed_dir().iterdir():
        if not product.name.startswith(("definitions", "city_definitions", "jurisdictions", ".")):
            shutil.copy(product, root / "data" / "processed")
    # One time for every copy: copied one by one, a panel copied after the panel built
    # from it would look newer to Make, which would build the later one again.
    now = time.time()
    for product in (root / "data" / "processed").iterdir():
        os.utime(product, (now, now))
    (root / scratch.make(root, "-s", "print-ENV_STAMP").stdout.strip()).touch()
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("hostile"))
    result = scratch.make(root, "reports/index.html")
    pages = {
        name: (root / "reports" / page).read_text()
        for name, page in [
            ("definitions", "html/definitions.html"),
            ("hostile", "html/hostile.html"),
            ("index", "index.html"),
        ]
    }
    return root, result, pages


@pytest.mark.integration
def test_the_built_pages_carry_no_markup_from_data(site):
    _, result, pages = site
    # Only the definitions were built again: neither panel.
    assert "build panel" not in result.stdout and "build city-panel" not in result.stdout
    for name, text in pages.items():
        assert Page(text).live_markup() == [], name


@pytest.mark.integration
def test_the_built_pages_read_the_data_as_written(site):
    _, _, pages = site
    title = " ".join(TITLE.split())
    definitions, hostile, index = (Page(pages[n]) for n in ("definitions", "hostile", "index"))
    # The definitions report: the definition's title and date, the list's unresolved names.
    assert title in definitions.text and AS_OF in definitions.text
    for name in (SCRIPT, IMG, "</table><b>Bold</b> & Co"):
        assert name in definitions.text, name
    # The report made of data: finding, note, check, notice, table, figure, parameters.
    for text in (
        f"{title} ({AS_OF}): 1 row counts.",
        f"Caveats: {CAVEATS}",
        f"Data check passed: the list is {title}",
        "javascript:alert(1)",  # a list's `source`, shown, not linked
        "<!-- comment",
        f'{SCRIPT} & "quotes"',  # the report's title, its page's heading
    ):
        assert text in hostile.text, text
    alts = [a["alt"] for t, a in hostile.elements if t == "img" and "alt" in a]
    assert alts == [f"{TITLE}."]  # the figure's title, as its text alternative says it
    assert ("title", {}) in hostile.elements and "<title>" not in hostile.text
    # The index: the report's title, its finding and its figure's alt text.
    assert f'{SCRIPT} & "quotes"' in index.text and f"{title} ({AS_OF})" in index.text
    assert f"{TITLE}." in [a.get("alt") for t, a in index.elements if t == "img"]


def test_the_place_finder_embeds_data_it_cannot_escape_from(tmp_path, monkeypatch):
    import base64
    import gzip

    from analysis.reports import finder

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    data = tiny_profiles(f"</script>{SCRIPT} County", f"<!--<script> {IMG}", LABEL, AS_OF)
    page = Page(finder.build_finder(data).read_text())
    # The Vega bundle, the chart, the data and the page's own code: nothing else.
    assert len(page.scripts) == 4
    assert page.comments == [] and page.live_markup() == []
    assert "&lt;img" in finder.finder_path().read_text()  # the CAP line, escaped
    packed = page.scripts[2].strip()
    assert json.loads(gzip.decompress(base64.b64decode(packed))) == data


def test_the_explorer_of_a_curve_with_nothing_estimable_says_so(tmp_path, monkeypatch):
    """A robustness page whose every specification lacks data (an optional source's years
    only) still gives a site: the explorer says there is nothing to explore, and why."""
    from analysis.reports import explore

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    explore.specifications_path().parent.mkdir(parents=True)
    columns = ["definition", "year", "outcome", "method", "weights", "comparison"]
    columns += ["covariates", "min_coverage", "estimate", "ci_low", "ci_high", "p_value"]
    columns += ["n_focal", "n_comparison"]
    row = ["ice2014", 2016, "total_crime_per_10k", "raw", "none", "all others", "none", None]
    pd.DataFrame([[*row, None, None, None, None, 0, 0]], columns=columns).to_csv(
        explore.specifications_path(), index=False
    )
    page = explore.build_explorer().read_text()
    assert "No specification could be estimated in this build" in page


# --- downloads a reader opens in a spreadsheet ------------------------------------

FORMULA = '=HYPERLINK("http://example.invalid","x")'


def test_a_table_csv_shows_a_formula_from_a_list_as_text(tmp_path, monkeypatch, shown):
    # OWASP, CSV injection: a list's note that starts a formula must not run in a
    # spreadsheet, in the saved CSV or in the page's download link; numbers stay numbers.
    import base64

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    frame = pd.DataFrame(
        {
            "note": [FORMULA, "+1 555", "-x", "@SUM(A1)", "plain"],
            "estimate": [-3.25, 1.0, 2.0, 3.0, 4.0],
        },
        index=pd.Index([FORMULA, "a", "b", "c", "d"], name="row"),
    )
    report = reporting.Report("csv-check")
    report.table(frame, "rows", index=True)
    saved = pd.read_csv(tmp_path / "reports" / "tables" / "csv-check" / "rows.csv")
    assert saved["note"].tolist() == [f"'{FORMULA}", "'+1 555", "'-x", "'@SUM(A1)", "plain"]
    assert saved["row"].iloc[0] == f"'{FORMULA}"
    assert saved["estimate"].tolist() == [-3.25, 1.0, 2.0, 3.0, 4.0]  # numbers, as numbers
    link = re.search(r"base64,([A-Za-z0-9+/=]+)", shown[-1]).group(1)
    saved_text = (tmp_path / "reports" / "tables" / "csv-check" / "rows.csv").read_text()
    assert base64.b64decode(link).decode() == saved_text  # the page's download, the same


def test_the_first_lead_figure_opens_the_page_and_is_shown_once(tmp_path, monkeypatch, shown):
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from analysis.publish import plots  # noqa: F401  the house style: titles on the left

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    report = reporting.Report("lead-check")
    for slug in ("first", "second"):
        fig, ax = plt.subplots()
        ax.set_title(f"The {slug} figure")
        report.figure(fig, slug, lead=True)
    meta = json.loads((tmp_path / "reports" / "meta" / "lead-check.json").read_text())
    assert meta["lead"] == "first" and meta["figure_alt"]["first"].startswith("The first figure.")
    assert shown == ['<p class="note">The figure at the top of the page.</p>']  # not twice
