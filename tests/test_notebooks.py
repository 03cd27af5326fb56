"""Notebooks are committed as code and prose only, and each is a report's source."""

import json

import pytest

from analysis import paths, reports

NOTEBOOKS = sorted((paths.REPO_DIR / "notebooks").glob("*.ipynb"))


def test_the_six_notebooks_are_there():
    assert [n.name[:2] for n in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


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
