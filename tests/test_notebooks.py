"""Notebooks are committed as code and prose only, and each is a report's source."""

import json
import re

import pytest

from analysis import reports
from analysis.core import paths

NOTEBOOKS = sorted((paths.REPO_DIR / "notebooks").glob("*.ipynb"))


# A notebook is its parameters, a few calls into the library and prose: at most this many
# lines of code (blank lines, comments and the parameters cell not counted).
MAX_CODE_LINES = 45
# A cell that draws: it names a figure it gets back, or hands one to the report.
DRAWS = re.compile(r"\bfigs?\b|report\.figure\(")


def test_the_nine_notebooks_are_there():
    assert [n.name[:2] for n in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 10)]


def code_lines(notebook) -> int:
    cells = json.loads(notebook.read_text())["cells"]
    return sum(
        1
        for c in cells
        if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])
        for line in "".join(c["source"]).splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebooks_are_thin(notebook):
    lines = code_lines(notebook)
    assert lines <= MAX_CODE_LINES, (
        f"{notebook.name} has {lines} lines of code: move the work into src/analysis "
        "(analysis.sections holds what a page shows, section by section)"
    )


def test_the_line_count_counts_code_not_prose_comments_or_parameters(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title\n\nprose"},
            {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "a = 1\nb = 2"},
            {"cell_type": "code", "metadata": {}, "source": "# why\nx = 1\n\ny = 2\n"},
        ]
    }
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert code_lines(path) == 2


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_committed_without_outputs_or_execution_counts(notebook):
    nb = json.loads(notebook.read_text())
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert dirty == [], f"cells {dirty} hold outputs: clear them before committing"
    assert "widgets" not in nb["metadata"] and "papermill" not in nb["metadata"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_runs_on_the_project_kernel_with_a_parameters_cell(notebook):
    nb = json.loads(notebook.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == reports.KERNEL
    defaults = reports.notebook_parameters(notebook)
    assert defaults[reports.NAME_PARAMETER] == ""
    assert nb["cells"][0]["cell_type"] == "markdown", (
        "a notebook opens with prose saying what it shows"
    )


def test_every_notebook_feeds_at_least_one_report():
    used = {spec.notebook.name for spec in reports.load_config()}
    assert used == {n.name for n in NOTEBOOKS}


# Values a researcher changes before running all (the defaults run in the site's build).
RESEARCHER_CHANGES = {
    "04_before_after.ipynb": "robust = False\noutcomes = outcomes[:2]",
    "05_robustness.ipynb": "definitions = definitions[:2]\nmin_coverages = [None]",
}


@pytest.mark.integration
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_a_researcher_can_run_it_in_a_plain_kernel_and_plot(notebook):
    """As in JupyterLab: no papermill, no report name; a value changed after the
    parameters (where the defaults take long: the site's build runs those), one figure
    cell run twice and a cell of the researcher's own plotting at the end. Nothing
    fails, and the figures, the notebook's own and the researcher's, show inline."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    if notebook.name in RESEARCHER_CHANGES:
        parameters = next(
            i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])
        )
        change = nbformat.v4.new_code_cell(RESEARCHER_CHANGES[notebook.name])
        nb.cells.insert(parameters + 1, change)
    first = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "Report(" not in c.source and DRAWS.search(c.source)
    )
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(nb.cells[first].source))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('my own')"
        )
    )
    NotebookClient(
        nb,
        kernel_name=reports.KERNEL,
        timeout=600,
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []

    def images(cell):
        return [o for o in cell.outputs if "image/png" in o.get("data", {})]

    def shows(cell):  # its figure, or the line saying which absent data it needs
        notices = [
            o for o in cell.outputs if "notice-missing" in o.get("data", {}).get("text/html", "")
        ]
        return images(cell) or notices

    assert shows(nb.cells[first]) and shows(nb.cells[first + 1]), "the figure shows, twice"
    assert images(nb.cells[-1]), "the researcher's own figure shows inline"
