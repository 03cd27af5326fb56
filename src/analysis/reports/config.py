"""The report set: reports/reports.yml, read into one ReportSpec per report.

Each entry names a notebook in notebooks/, a title, the values for the
notebook's `parameters` cell, and a name; with `matrix`, one report per
combination of values, the name and title being patterns filled from them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import paths
from ..core.errors import AnalysisError, UnknownChoice
from ..publish import layout
from ..publish.labels import definition

KERNEL = "sanctuary-counties"
NAME_PARAMETER = "report_name"  # set by the runner; empty in JupyterLab


def config_path() -> Path:
    """The project root's reports/reports.yml (ANALYSIS_ROOT's, when it has one: a scratch
    project may carry its own report set), else the repository's."""
    return paths.own_or_repository("reports", "reports.yml")


def template_dir() -> Path:
    return paths.PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: Path
    title: str
    parameters: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)  # build-only parameters, not shown to readers

    @property
    def html(self) -> Path:
        return layout.html_path(self.name)

    @property
    def executed(self) -> Path:
        return layout.executed_path(self.name)


# A report's name names its files and Make's targets: no spaces, slashes or quotes.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
KEYS_ALLOWED = ("name", "notebook", "title", "parameters", "settings", "matrix")
# More reports than this from one file is a matrix written by mistake, not a report set.
MAX_REPORTS = 10_000


def load_config(path: Path | None = None) -> list[ReportSpec]:
    """The reports of `path` (reports/reports.yml). Anything malformed stops with an
    AnalysisError naming the file, the entry and the value, and saying what to write."""
    import yaml

    path = Path(path or config_path())
    shown = paths.relative(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalysisError(
            f"{shown} does not exist: it lists the reports to build (see README, Reports)."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnalysisError(f"{shown} cannot be read ({exc}); save it as UTF-8 text.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AnalysisError(
            f"{shown}{where}: not valid YAML ({problem}). Fix the syntax; each report is "
            "an entry under `reports:`."
        ) from None
    doc = {} if doc is None else doc
    if not isinstance(doc, dict):
        raise AnalysisError(
            f"{shown}: expected `reports:` followed by a list of entries, found a "
            f"{type(doc).__name__}."
        )
    entries = doc.get("reports") or []
    if not isinstance(entries, list):
        raise AnalysisError(
            f"{shown}: `reports` should be a list of entries (each starting with `- name:`), "
            f"not a {type(entries).__name__}."
        )
    specs: list[ReportSpec] = []
    for i, entry in enumerate(entries, start=1):
        specs += _entry_specs(entry, f"{shown}, entry {i}", path)
        if len(specs) > MAX_REPORTS:
            raise AnalysisError(
                f"{shown}, entry {i}: more than {MAX_REPORTS:,} reports; shorten its `matrix`."
            )
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AnalysisError(f"{shown}: report names used twice: {dupes}")
    return specs


def _entry_specs(entry: object, where: str, path: Path) -> list[ReportSpec]:
    """The reports of one entry of reports.yml (several with a `matrix`)."""
    if not isinstance(entry, dict):
        raise AnalysisError(
            f"{where}: expected keys such as `name:` and `notebook:`, found {entry!r}."
        )
    unknown = [k for k in entry if k not in KEYS_ALLOWED]
    if unknown:
        raise UnknownChoice(f"key in {where}", unknown[0], KEYS_ALLOWED)
    for key in ("name", "notebook"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise AnalysisError(f"{where}: `{key}` is required and must be text.")
    name_pattern, title_pattern = entry["name"], entry.get("title", "")
    if not isinstance(title_pattern, str):
        raise AnalysisError(f"{where}: `title` must be text, not {title_pattern!r}.")
    notebook_name = entry["notebook"]
    notebooks = path.parent.parent / "notebooks"
    notebook = notebooks / notebook_name
    if (
        Path(notebook_name).name != notebook_name
        or not notebook_name.endswith(".ipynb")
        or not notebook.is_file()
    ):
        found = sorted(p.name for p in notebooks.glob("*.ipynb"))
        raise AnalysisError(
            f"{where}: notebook {notebook_name!r} not found in notebooks/; "
            f"the notebooks are: {', '.join(found) or 'none'}"
        )
    parameters = _mapping(entry, "parameters", where)
    settings = _mapping(entry, "settings", where)
    matrix = _mapping(entry, "matrix", where)
    for key, values in matrix.items():
        if not isinstance(values, list) or not values:
            raise AnalysisError(
                f"{where}: matrix `{key}` must be a list of values, e.g. [2015, 2016], "
                f"not {values!r}."
            )
    size = 1
    for values in matrix.values():
        size *= len(values)
    if size > MAX_REPORTS:
        raise AnalysisError(f"{where}: its matrix makes {size:,} reports; shorten it.")
    keys = list(matrix)
    specs = []
    for combo in itertools.product(*(matrix[k] for k in keys)):
        params = {**parameters, **dict(zip(keys, combo))}
        name = _fill(name_pattern, params, where, "name")
        if not NAME_PATTERN.fullmatch(name):
            raise AnalysisError(
                f"{where}: report name {name!r} names files and Make targets: use letters, "
                "digits, '-', '_' and '.', starting with a letter or digit."
            )
        title = _fill(title_pattern, _with_labels(params), where, "title")
        specs.append(ReportSpec(name, notebook, title, params, dict(settings)))
    return specs


def _with_labels(params: dict) -> dict:
    """A title may say {definition_label}: the definition as readers see it."""
    named = {k: v for k, v in params.items() if k == "definition" and isinstance(v, str)}
    return {**params, **{f"{k}_label": definition(v) for k, v in named.items()}}


def _mapping(entry: dict, key: str, where: str) -> dict:
    """`parameters`, `settings` or `matrix`: names (text) to values; absent or empty is {}."""
    value = entry.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise AnalysisError(
            f"{where}: `{key}` must map names to values (e.g. `{key}: {{year: 2015}}`), "
            f"not {value!r}."
        )
    return value


def _fill(pattern: str, params: dict, where: str, key: str) -> str:
    """A name or title pattern filled from the parameters ("compare-{definition}")."""
    try:
        return pattern.format(**params)
    except KeyError as exc:
        raise AnalysisError(
            f"{where}: {key} {pattern!r} uses {{{exc.args[0]}}}, which is not one of its "
            f"parameters ({', '.join(params) or 'none'}); write {{name}} of a parameter or "
            "matrix key ({{ or }} for a literal brace)."
        ) from None
    except (IndexError, AttributeError, ValueError, TypeError) as exc:
        raise AnalysisError(
            f"{where}: {key} {pattern!r} is not a pattern this can fill ({exc}); write "
            "{name} of a parameter or matrix key ({{ or }} for a literal brace)."
        ) from None


def find(name: str, config: Path | None = None) -> ReportSpec:
    specs = load_config(config)
    for spec in specs:
        if spec.name == name:
            return spec
    raise UnknownChoice("report", name, [s.name for s in specs])
