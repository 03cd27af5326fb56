"""Building the report site: run each configured notebook, export it for readers, index it.

reports/reports.yml lists the reports: a notebook, its parameters and a name
(or a `matrix` of parameters with a name pattern). For report NAME,
`python -m analysis report NAME` (what Make calls) checks the parameters
against the notebook's `parameters` cell and the valid values, runs the
notebook with papermill into reports/notebooks/NAME.ipynb, and exports
reports/html/NAME.html with the code hidden and everything inline, so the page
opens offline. `python -m analysis report-index` writes reports/index.html.

`python -m analysis report-rules` prints the Make rules for every report, each
depending on exactly its notebook, its parameters (kept in .make/reports/NAME.json,
rewritten only when they change), the library modules the notebook imports
(followed through the package's own imports) and the processed data.

One module per job: config (reports.yml), parameters (checks), run (papermill
and the page), index, rules (Make) and layout (where outputs go). Notebooks
publish through analysis.publish.reporting, which uses layout and parameters only.
"""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat) loads rfc3987_syntax when it is installed,
# which builds a parser for about 2 s; nbformat's schema never needs it.
sys.modules.setdefault("rfc3987_syntax", None)

from .config import KERNEL, NAME_PARAMETER, ReportSpec, config_path, find, load_config  # noqa: E402
from .index import build_index  # noqa: E402
from .parameters import check_parameters, check_values, notebook_parameters  # noqa: E402
from .rules import library_modules, make_rules, write_make_rules  # noqa: E402
from .run import export_html, run_report  # noqa: E402

__all__ = [
    "KERNEL",
    "NAME_PARAMETER",
    "ReportSpec",
    "build_index",
    "check_parameters",
    "check_values",
    "config_path",
    "export_html",
    "find",
    "library_modules",
    "load_config",
    "make_rules",
    "notebook_parameters",
    "run_report",
    "write_make_rules",
]
