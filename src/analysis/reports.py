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
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import itertools
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .atomic import atomic_path, write_text
from .errors import AnalysisError, UnknownChoice

# jsonschema (imported by nbformat) loads rfc3987_syntax when it is installed,
# which builds a parser for about 2 s; nbformat's schema never needs it.
sys.modules.setdefault("rfc3987_syntax", None)

KERNEL = "sanctuary-counties"
NAME_PARAMETER = "report_name"  # set by the runner; empty in JupyterLab


def config_path() -> Path:
    return paths.REPO_DIR / "reports" / "reports.yml"


def template_dir() -> Path:
    return paths.PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: Path
    title: str
    parameters: dict = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return paths.reports_dir() / "html" / f"{self.name}.html"

    @property
    def executed(self) -> Path:
        return paths.reports_dir() / "notebooks" / f"{self.name}.ipynb"


def load_config(path: Path | None = None) -> list[ReportSpec]:
    import yaml

    path = path or config_path()
    doc = yaml.safe_load(path.read_text()) or {}
    specs: list[ReportSpec] = []
    for i, entry in enumerate(doc.get("reports", []), start=1):
        unknown = set(entry) - {"name", "notebook", "title", "parameters", "matrix"}
        if unknown:
            raise UnknownChoice(f"key in entry {i} of {paths.relative(path)}",
                                sorted(unknown)[0], ["name", "notebook", "title", "parameters",
                                                     "matrix"])
        notebook = path.parent.parent / "notebooks" / entry["notebook"]
        if not notebook.exists():
            raise AnalysisError(f"{paths.relative(path)}, entry {i}: notebook "
                                f"{entry['notebook']!r} not found in notebooks/")
        matrix = entry.get("matrix", {})
        keys = list(matrix)
        for combo in itertools.product(*(matrix[k] for k in keys)) if keys else [()]:
            params = {**entry.get("parameters", {}), **dict(zip(keys, combo))}
            specs.append(ReportSpec(entry["name"].format(**params), notebook,
                                    entry.get("title", "").format(**params), params))
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AnalysisError(f"{paths.relative(path)}: report names used twice: {dupes}")
    return specs


def find(name: str, config: Path | None = None) -> ReportSpec:
    specs = load_config(config)
    for spec in specs:
        if spec.name == name:
            return spec
    raise UnknownChoice("report", name, [s.name for s in specs])


# --- parameters -----------------------------------------------------------------


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values in the notebook's cell tagged `parameters`."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise AnalysisError(f"{paths.relative(notebook)}: needs exactly one cell tagged "
                            f"'parameters', found {len(cells)}")
    defaults = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defaults[node.target.id] = ast.literal_eval(node.value)
    return defaults


def _valid_values() -> dict[str, object]:
    """For each notebook parameter name with a closed set of values, a function
    returning that set. Lists (e.g. `outcomes`) are checked element by element."""
    def definitions():
        import tomllib

        # Read here, not through analysis.jurisdictions, which needs pandas: a check stays instant.
        with open(paths.definitions_file(), "rb") as fh:
            return [d["id"] for d in tomllib.load(fh).get("definition", [])]

    def comparisons():
        return ["all", "cooperating", *[d for d in definitions() if d.startswith("g287_")]]

    def compare_choices(attr):
        def valid():
            from .compare import choices

            value = getattr(choices, attr)
            return list(value() if callable(value) else value)
        return valid

    return {
        "definition": definitions, "definitions": definitions,
        "comparison": comparisons,
        "year": compare_choices("panel_years"), "years": compare_choices("panel_years"),
        "outcome": compare_choices("OUTCOMES"), "outcomes": compare_choices("OUTCOMES"),
        "method": compare_choices("METHODS"), "methods": compare_choices("METHODS"),
        "weights": compare_choices("WEIGHTS"),
        "covariates": compare_choices("COVARIATE_SETS"),
    }


def check_values(values: dict, defaults: dict, where: str) -> None:
    """Stop on a value of the wrong type or outside its parameter's valid set."""
    valid = _valid_values()
    for name, value in values.items():
        default = defaults.get(name)
        if default is not None and not isinstance(value, type(default)) and not (
                isinstance(default, float) and isinstance(value, int)):
            raise AnalysisError(f"{where}: parameter {name!r} should be a "
                                f"{type(default).__name__} like its default {default!r}, "
                                f"not {value!r}")
        if name in valid:
            allowed = valid[name]()
            for item in (value if isinstance(value, list) else [value]):
                if item not in allowed:
                    raise UnknownChoice(f"value of parameter {name!r} ({where})", item, allowed)


def check_parameters(spec: ReportSpec) -> dict:
    """The parameters to run `spec` with, after checking names and values."""
    defaults = notebook_parameters(spec.notebook)
    for name in spec.parameters:
        if name not in defaults or name == NAME_PARAMETER:
            raise UnknownChoice(f"parameter of notebooks/{spec.notebook.name} (report "
                                f"{spec.name!r})", name, [k for k in defaults if k != NAME_PARAMETER])
    check_values(spec.parameters, defaults, where=f"report {spec.name!r}")
    return {**spec.parameters, NAME_PARAMETER: spec.name}


# --- running --------------------------------------------------------------------


def run_report(name: str, config: Path | None = None) -> ReportSpec:
    """Execute one report's notebook and export it; the page appears only when all succeed."""
    import papermill

    from .reporting import figures_dir, meta_path, tables_dir

    spec = find(name, config)
    parameters = check_parameters(spec)
    for folder in (figures_dir(name), tables_dir(name)):
        shutil.rmtree(folder, ignore_errors=True)
    meta_path(name).unlink(missing_ok=True)
    spec.executed.parent.mkdir(parents=True, exist_ok=True)
    failed = spec.executed.with_suffix(".failed.ipynb")
    with atomic_path(spec.executed) as tmp:
        try:
            papermill.execute_notebook(
                str(spec.notebook), str(tmp), parameters=parameters, kernel_name=KERNEL,
                cwd=str(spec.notebook.parent), progress_bar=False, log_output=False,
            )
        except papermill.PapermillExecutionError as exc:
            shutil.copyfile(tmp, failed)
            raise AnalysisError(
                f"report {name!r}: notebooks/{spec.notebook.name} failed in cell "
                f"{exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                f"The executed notebook, with the traceback, is at {paths.relative(failed)}."
            ) from None
    failed.unlink(missing_ok=True)
    export_html(spec)
    return spec


def export_html(spec: ReportSpec) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    from .reporting import meta_path

    meta = json.loads(meta_path(spec.name).read_text()) if meta_path(spec.name).exists() else {}
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(template_dir())],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    nb = nbformat.read(spec.executed, as_version=4)
    nb.metadata["title"] = spec.title or meta.get("title") or spec.name
    body, _ = exporter.from_notebook_node(nb, resources={"report": _page_context(spec, meta)})
    write_text(spec.html, body)


def _page_context(spec: ReportSpec, meta: dict) -> dict:
    from . import sources
    from .availability import optional_status

    registry = sources.registry()
    absent = {s["source"] for s in optional_status() if not s["present"]}
    # A source this build did not have contributed nothing to the page.
    cited = [registry[s] for s in meta.get("sources", []) if s in registry and s not in absent]
    return {
        "title": spec.title or meta.get("title") or spec.name,
        "finding": meta.get("finding", ""),
        "parameters": {k: v for k, v in spec.parameters.items()},
        "built": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "sources": [{"title": s.title, "producer": s.producer, "licence": s.licence,
                     "citation": s.citation} for s in cited],
        "tables": meta.get("tables", []),
        "name": spec.name,
    }


# --- index page -----------------------------------------------------------------


def build_index(config: Path | None = None) -> Path:
    from . import sources
    from .availability import absent_crime_years, listed
    from .reporting import meta_path

    specs = load_config(config)
    rows = []
    for spec in specs:
        meta = json.loads(meta_path(spec.name).read_text()) if meta_path(spec.name).exists() else {}
        params = ", ".join(f"{k} {v}" for k, v in spec.parameters.items())
        tables = " ".join(f'<a href="tables/{spec.name}/{t}.csv">{html.escape(t)}.csv</a>'
                          for t in meta.get("tables", []))
        notices = meta.get("notices", [])
        missing = (f'<p class="meta">{len(notices)} part{"s" if len(notices) > 1 else ""} of this '
                   f'report need{"" if len(notices) > 1 else "s"} data this build does not have '
                   '(the page says which).</p>' if notices else "")
        rows.append(
            f'<li><h3><a href="html/{spec.name}.html">{html.escape(spec.title or spec.name)}</a></h3>'
            f'<p class="finding">{html.escape(meta.get("finding", ""))}</p>'
            f'<p class="meta">{html.escape(params)}{" · " if params else ""}built '
            f'{html.escape(meta.get("built_at", "")[:10])}</p>'
            + (f'<p class="meta">Tables: {tables}</p>' if tables else "") + missing + "</li>"
        )
    cited = [s for s in sources.registry().values()]
    source_rows = "".join(
        f"<tr><td>{html.escape(s.title)}</td><td>{html.escape(s.producer)}</td>"
        f"<td>{html.escape(s.years)}</td><td>{html.escape(s.licence)}</td></tr>" for s in cited)
    built = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    absent = absent_crime_years()
    summary = (f'<p class="notice-missing">This build has no crime for '
               f'{listed([str(y) for y in absent])}: those years come from optional ICPSR files '
               '(see <a href="#optional-sources">Optional sources</a> below).</p>' if absent else "")
    page = INDEX_TEMPLATE.format(reports="\n".join(rows), sources=source_rows, built=built,
                                 optional=_optional_rows(), absent=summary,
                                 css=(template_dir() / "report" / "site.css").read_text())
    target = paths.reports_dir() / "index.html"
    write_text(target, page)
    return target


def _optional_rows() -> str:
    """The optional sources and whether this build had them, as table rows."""
    from . import sources
    from .availability import optional_status

    rows = []
    for status in optional_status():
        source = sources.registry()[status["source"]]
        state = ("in this build" if status["present"] else
                 f'not in this build: download it from <a href="{html.escape(source.landing_page)}">'
                 f"{html.escape(source.landing_page)}</a> and save it as "
                 f"<code>{html.escape(status['path'])}</code>")
        rows.append(f'<tr><td>{html.escape(source.title)}</td><td>{html.escape(source.years)}</td>'
                    f'<td class="{"present" if status["present"] else "absent"}">{state}</td></tr>')
    return "".join(rows)


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sanctuary counties: reports</title>
<style>{css}</style></head>
<body><main class="site">
<h1>Sanctuary counties: crime, poverty and unemployment</h1>
<p class="lede">Do counties that limit cooperation with federal immigration enforcement differ
from other counties? Each report below answers for one definition of "sanctuary", one year or
one method, from public data; read them together to see how much the answer depends on those
choices. A difference between groups of counties is not, by itself, an effect of the policy.</p>
<p class="meta">Built {built}.</p>
{absent}
<ul class="reports">
{reports}
</ul>
<h2 id="optional-sources">Optional sources in this build</h2>
<p>The FBI's county crime files for 2010, 2012 and 2016 come from ICPSR, a signed-in download that
may not be redistributed, so the site builds without them and adds their years when they are
present. The pages that need an absent year say so where the year would appear; the project's
README explains the download (<em>Adding the 2010, 2012 and 2016 crime years</em>).</p>
<table class="report-table optional-sources"><thead><tr><th>Source</th><th>Years</th>
<th>This build</th></tr></thead><tbody>{optional}</tbody></table>
<h2>Sources</h2>
<table class="report-table"><thead><tr><th>Source</th><th>Producer</th><th>Years</th>
<th>Licence</th></tr></thead><tbody>{sources}</tbody></table>
<p class="meta">Every figure comes from these files through the code in the project's
repository; <code>data/sources.toml</code> there gives each file's address and checksum.</p>
</main></body></html>
"""


# --- Make rules -----------------------------------------------------------------


def library_modules(notebook: Path) -> list[Path]:
    """The analysis modules a notebook uses, followed through the package's own imports.

    The runner itself (this module) is a dependency of every report already;
    its imports, which only look up valid parameter values, are not followed.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    exports = _lazy_exports()
    start: set[Path] = set(_files(("analysis",)))
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
            parts = tuple(node.module.split("."))
            if len(parts) == 1:  # from analysis import name: a lazy export or a module
                for alias in node.names:
                    start |= set(_files(("analysis", exports.get(alias.name, alias.name))))
            else:
                start |= set(_files(parts, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("analysis."):
                    start |= set(_files(tuple(alias.name.split("."))))
    return sorted(_closure(start, stop={Path(__file__).resolve()}))


def _lazy_exports() -> dict[str, str]:
    tree = ast.parse((paths.PACKAGE_DIR / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_EXPORTS":
            table = ast.literal_eval(node.value)
            return {k: (v[0] if isinstance(v, tuple) else v) for k, v in table.items()}
    return {}


def _files(module: tuple[str, ...], names: list[str] | None = None) -> list[Path]:
    """Files executed by importing `module` (a tuple like ("analysis", "compare",
    "matching")) and, from it, `names`: the module, the __init__ of every package
    on the way, and any of `names` that is itself a submodule."""
    found = []
    folder = paths.PACKAGE_DIR.parent
    for i, part in enumerate(module):
        folder = folder / part
        if (folder / "__init__.py").exists():
            found.append(folder / "__init__.py")
        elif folder.with_suffix(".py").exists() and i == len(module) - 1:
            found.append(folder.with_suffix(".py"))
        else:
            return found
    for name in names or []:
        if (folder / f"{name}.py").exists():
            found.append(folder / f"{name}.py")
        elif (folder / name / "__init__.py").exists():
            found.append(folder / name / "__init__.py")
    return found


def _closure(start: set[Path], stop: set[Path]) -> set[Path]:
    """`start` and every analysis module they import, directly or lazily."""
    seen: set[Path] = set()
    todo = list(start)
    root = paths.PACKAGE_DIR.parent
    while todo:
        path = todo.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        if path in stop:
            continue
        package = path.relative_to(root).parts[:-1]  # e.g. ("analysis", "compare")
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = base + tuple((node.module or "").split(".")) if node.module else base
            elif (node.module or "").startswith("analysis"):
                module = tuple(node.module.split("."))
            else:
                continue
            todo += _files(module, [a.name for a in node.names])
    return seen


def write_parameter_stamps(specs: list[ReportSpec]) -> dict[str, Path]:
    """One file per report holding its parameters, rewritten only when they change,
    so Make rebuilds just the reports whose parameters changed."""
    folder = paths.root() / ".make" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stamps = {}
    for spec in specs:
        stamp = folder / f"{spec.name}.json"
        text = json.dumps({"notebook": spec.notebook.name, "title": spec.title,
                           "parameters": spec.parameters}, sort_keys=True, indent=1) + "\n"
        if not stamp.exists() or stamp.read_text() != text:
            write_text(stamp, text)
        stamps[spec.name] = stamp
    return stamps


def make_rules() -> str:
    specs = load_config()
    stamps = write_parameter_stamps(specs)
    def rel(path) -> str:
        # Outputs and stamps live under the project root (ANALYSIS_ROOT), code in
        # the repository; Make runs from the root, which has the code at the same places.
        for base in (paths.root(), paths.REPO_DIR):
            if Path(path).is_relative_to(base):
                return str(Path(path).relative_to(base))
        raise AnalysisError(f"{path} is outside the project")
    template = " ".join(rel(p) for p in sorted(template_dir().rglob("*")) if p.is_file())
    lines = ["# Generated by `python -m analysis report-rules` from reports/reports.yml.",
             f"REPORT_NAMES := {' '.join(s.name for s in specs)}",
             f"REPORT_HTML := {' '.join(rel(s.html) for s in specs)}", ""]
    modules_by_notebook = {nb: library_modules(nb) for nb in {s.notebook for s in specs}}
    for spec in specs:
        modules = " ".join(rel(m) for m in modules_by_notebook[spec.notebook])
        lines += [
            f"{rel(spec.html)}: {rel(spec.notebook)} {rel(stamps[spec.name])} {modules} "
            f"src/analysis/reports.py src/analysis/reporting.py {template} $(DATA) | $(ENV_STAMP)",
            f"\t$(RUN) report {spec.name}", "",
        ]
    return "\n".join(lines)


def write_make_rules(target: Path) -> None:
    write_text(target, make_rules())
