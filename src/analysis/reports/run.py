"""Running one report: papermill executes its notebook, nbconvert exports the page."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from .. import paths
from ..atomic import atomic_path, write_json, write_text
from ..errors import AnalysisError
from .config import KERNEL, ReportSpec, find, template_dir
from .layout import figures_dir, meta_path, tables_dir
from .parameters import check_parameters


def run_report(name: str, config: Path | None = None) -> ReportSpec:
    """Execute one report's notebook and export it; the page appears only when all succeed."""
    import papermill

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
                str(spec.notebook),
                str(tmp),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(spec.notebook.parent),
                progress_bar=False,
                log_output=False,
            )
        except papermill.PapermillExecutionError as exc:
            shutil.copyfile(tmp, failed)
            raise AnalysisError(
                f"report {name!r}: notebooks/{spec.notebook.name} failed in cell "
                f"{exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                f"The executed notebook, with the traceback, is at {paths.relative(failed)}."
            ) from None
    failed.unlink(missing_ok=True)
    _record_provenance(spec.name)
    export_html(spec)
    return spec


def _record_provenance(name: str) -> None:
    """Add to the report's meta the commit, package versions and input checksums."""
    from ..provenance import record

    meta = json.loads(meta_path(name).read_text()) if meta_path(name).exists() else {}
    write_json(meta_path(name), {**meta, "provenance": record()})


def export_html(spec: ReportSpec) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    meta = json.loads(meta_path(spec.name).read_text()) if meta_path(spec.name).exists() else {}
    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(template_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb = nbformat.read(spec.executed, as_version=4)
    nb.metadata["title"] = spec.title or meta.get("title") or spec.name
    body, _ = exporter.from_notebook_node(nb, resources={"report": _page_context(spec, meta)})
    write_text(spec.html, body)


def _page_context(spec: ReportSpec, meta: dict) -> dict:
    from .. import sources
    from ..availability import optional_status
    from ..provenance import describe, record

    provenance = meta.get("provenance") or record()
    registry = sources.registry()
    absent = {s["source"] for s in optional_status() if not s["present"]}
    # A source this build did not have contributed nothing to the page.
    cited = [registry[s] for s in meta.get("sources", []) if s in registry and s not in absent]
    return {
        "title": spec.title or meta.get("title") or spec.name,
        "finding": meta.get("finding", ""),
        "parameters": {k: v for k, v in spec.parameters.items()},
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "sources": [
            {"title": s.title, "producer": s.producer, "licence": s.licence, "citation": s.citation}
            for s in cited
        ],
        "tables": meta.get("tables", []),
        "name": spec.name,
        "provenance": provenance,
        "provenance_line": describe(provenance),
    }
