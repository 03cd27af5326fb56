"""The report runner on a tiny fixture site: parameters, execution, export, index, Make rules."""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from analysis import reports
from analysis.core import paths
from analysis.core.errors import AnalysisError, UnknownChoice
from analysis.reports.run import queue_order

SITE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A copy of the fixture site as the project root; returns its reports.yml."""
    shutil.copytree(SITE, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return tmp_path / "reports" / "reports.yml"


def rewrite(config: Path, entry: dict) -> Path:
    config.write_text(yaml.safe_dump({"reports": [entry]}))
    return config


def test_matrix_entries_expand_to_named_reports(site):
    specs = reports.load_config(site)
    assert [s.name for s in specs] == ["demo-2015", "demo-2016", "demo-labelled"]
    assert specs[1].title == "Demo for 2016" and specs[1].parameters == {"year": 2016}


def test_a_title_can_name_a_definition_by_its_label(site):
    entry = {"name": "x-{definition}", "notebook": "demo.ipynb", "title": "{definition_label}"}
    rewrite(site, {**entry, "matrix": {"definition": ["ice2014"]}})
    (spec,) = reports.load_config(site)
    assert spec.name == "x-ice2014" and spec.title == "ICE 2014 table"
    assert "definition_label" not in spec.parameters


def test_misspelled_parameter_names_the_valid_ones(site):
    rewrite(site, {"name": "x", "notebook": "demo.ipynb", "parameters": {"yaer": 2015}})
    with pytest.raises(UnknownChoice) as err:
        reports.check_parameters(reports.find("x", site))
    assert "'yaer'" in str(err.value) and "label, weights, year" in str(err.value)


def test_unknown_value_names_the_valid_ones(site):
    rewrite(site, {"name": "x", "notebook": "demo.ipynb", "parameters": {"weights": "heavy"}})
    with pytest.raises(UnknownChoice, match="'heavy'; valid .*: none, population"):
        reports.check_parameters(reports.find("x", site))


def test_value_of_the_wrong_type_is_refused(site):
    rewrite(site, {"name": "x", "notebook": "demo.ipynb", "parameters": {"year": "2015"}})
    with pytest.raises(AnalysisError, match="'year' should be a int"):
        reports.check_parameters(reports.find("x", site))


def test_unknown_report_and_unknown_config_key(site):
    with pytest.raises(UnknownChoice, match="unknown report 'nope'; valid reports: demo-2015"):
        reports.find("nope", site)
    rewrite(site, {"name": "x", "notebook": "demo.ipynb", "parameter": {}})
    with pytest.raises(UnknownChoice, match="'parameter'"):
        reports.load_config(site)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real run of the fixture report, shared by the tests that inspect its outputs."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYSIS_ROOT", str(root))
        config = root / "reports" / "reports.yml"
        spec = reports.run_report("demo-2016", config)
        index = reports.build_index(config)
        yield spec, index, root / "reports"


def test_a_report_run_writes_every_output(built):
    spec, _, root = built
    assert spec.html.exists() and spec.executed.exists()
    assert (root / "figures/demo-2016/line.png").stat().st_size > 1000
    assert (root / "figures/demo-2016/line.svg").read_text().lstrip().startswith("<?xml")
    assert (root / "tables/demo-2016/summary.csv").read_text() == "year,label\n2016,demo\n"
    meta = json.loads((root / "meta/demo-2016.json").read_text())
    assert meta["finding"] == "The demo ran for 2016 (demo)." and meta["figures"] == ["line"]
    executed = json.loads(spec.executed.read_text())
    assert executed["metadata"]["papermill"]["parameters"] == {
        "year": 2016,
        "report_name": "demo-2016",
    }


def test_reader_page_is_self_contained_and_hides_code(built):
    spec, _, _ = built
    page = spec.html.read_text()
    assert "report.figure(" not in page and "import matplotlib" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"?https?:", page)
    assert "@import url(" not in page
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page)
    assert 'alt="A line for 2016.' in page  # the figure's title opens its alt text
    assert 'href="data:text/csv;charset=utf-8;base64,' in page
    assert "The demo ran for 2016 (demo)." in page
    assert "Bureau of Labor Statistics" in page  # the cited source, in the footer


def test_index_links_each_built_report_with_its_finding(built):
    _, index, _ = built
    page = index.read_text()
    assert 'href="html/demo-2016.html"' in page and "The demo ran for 2016 (demo)." in page
    assert 'href="tables/demo-2016/summary.csv"' in page
    assert not re.search(r"<script[^>]+src=", page)


def test_failing_notebook_names_the_cell_and_leaves_no_page(site):
    rewrite(site, {"name": "bad", "notebook": "demo.ipynb", "parameters": {"weights": "none"}})
    notebook = site.parent.parent / "notebooks" / "demo.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][3]["source"] = "raise ValueError('no such county')"
    notebook.write_text(json.dumps(nb))
    with pytest.raises(AnalysisError) as err:
        reports.run_report("bad", site)
    assert "ValueError: no such county" in str(err.value) and "bad.failed.ipynb" in str(err.value)
    assert not (paths.reports_dir() / "html" / "bad.html").exists()


def test_library_dependencies_follow_the_package_imports():
    modules = {p.name for p in reports.library_modules(SITE / "notebooks" / "demo.ipynb")}
    assert {
        "__init__.py",
        "reporting.py",
        "layout.py",
        "parameters.py",
        "atomic.py",
        "paths.py",
    } <= modules
    assert "panel.py" not in modules and "ucr.py" not in modules


def test_a_failed_rerun_keeps_the_outputs_of_the_last_good_run(site):
    config = rewrite(
        site, {"name": "demo-2016", "notebook": "demo.ipynb", "parameters": {"year": 2016}}
    )
    spec = reports.run_report("demo-2016", config)
    root = paths.reports_dir()
    kept = [
        spec.html,
        root / "figures/demo-2016/line.png",
        root / "tables/demo-2016/summary.csv",
        root / "meta/demo-2016.json",
    ]
    before = {p: p.read_bytes() for p in kept}
    notebook = site.parent.parent / "notebooks" / "demo.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][-1]["source"] = "raise ValueError('the source changed')"
    notebook.write_text(json.dumps(nb))
    with pytest.raises(AnalysisError, match="the source changed"):
        reports.run_report("demo-2016", config)
    assert {p: p.read_bytes() for p in kept if p.exists()} == before


def test_a_page_cites_each_source_once_in_the_order_given():
    from analysis.publish import citations

    assert citations.check(["saipe", "laus", "saipe"]) == ["saipe", "laus"]
    with pytest.raises(UnknownChoice):
        citations.check(["saipe", "no-such-source"])


def test_the_longest_report_runs_first_and_a_new_one_before_them_all():
    took = {"robustness": 17.0, "overview": 4.6, "state-laws": 25.0}
    names = ["overview", "robustness", "brand-new", "state-laws"]
    assert queue_order(names, took) == ["brand-new", "state-laws", "robustness", "overview"]


def test_a_section_whose_code_showed_nothing_is_left_out_of_the_page():
    import nbformat

    from analysis.reports.run import _drop_empty_sections

    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("x")
    shown.outputs = [nbformat.v4.new_output("stream", text="out")]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nIntro"),
        nbformat.v4.new_markdown_cell("## County crime\n\nFor counties only."),
        nbformat.v4.new_code_cell("if unit == 'county': ..."),  # no output on a city page
        nbformat.v4.new_markdown_cell("## Shown"),
        shown,
        nbformat.v4.new_markdown_cell("## Caveats\n\n- prose alone stays"),
    ]
    _drop_empty_sections(nb)
    assert [c.source.split("\n")[0] for c in nb.cells] == ["# Title", "## Shown", "x", "## Caveats"]
