"""Running one report: papermill executes its notebook, nbconvert exports the page."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import shutil
import tempfile
from pathlib import Path

from .. import sources
from ..core import paths
from ..core.atomic import atomic_path, write_json, write_text
from ..core.errors import AnalysisError
from ..panels.availability import optional_status
from ..publish import labels
from ..publish.layout import figures_dir, meta_path, tables_dir
from ..sources.provenance import describe, record
from .config import KERNEL, ReportSpec, find, template_dir
from .parameters import check_parameters, notebook_parameters

# A Unix socket's path may be at most 107 bytes: the kernel's sockets need a short folder.
SOCKET_PATH_MAX = 100


def _socket_folder() -> Path:
    """A new private folder, with a short path, for one kernel's connection file and
    sockets: never the project folder, whose path may be long or hold spaces."""
    base = tempfile.gettempdir()
    if len(base) > SOCKET_PATH_MAX - 30 and Path("/tmp").is_dir():
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="kernel-", dir=base))


# The libraries' thread pools (BLAS, OpenMP, numba for pyfixest, rayon for diff-diff's
# Rust core). With several reports at once, each kernel keeps to its share of the cores:
# two kernels each spreading their small matrix products over every core wait on each
# other (a before-and-after page took six times as long beside another).
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "RAYON_NUM_THREADS",
)


def kernel_environment(threads: int | None) -> dict[str, str] | None:
    """The environment of a report's kernel: this one, with `threads` for every thread
    pool (None: the libraries' own choice)."""
    if threads is None:
        return None
    return {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(max(1, threads)))}


def _start_kernel(cwd: Path, threads: int | None = None):
    """Start the report's kernel at once: it boots while this process imports papermill
    and checks the parameters, instead of after.

    The kernel talks over IPC (Unix sockets, which only this user may open), not TCP on
    localhost: over TCP ipykernel warns, on every run, that the traffic is unencrypted,
    which a reader of the build log can do nothing about."""
    from jupyter_client.manager import KernelManager

    folder = _socket_folder()
    km = KernelManager(
        kernel_name=KERNEL,
        transport="ipc",
        connection_file=str(folder / "kernel.json"),
        ip=str(folder / "ipc"),
    )
    km.socket_folder = folder  # removed with the kernel (_Kernel.close)
    try:
        env = kernel_environment(threads)
        km.start_kernel(cwd=str(cwd), **({"env": env} if env is not None else {}))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return km


class _Kernel:
    """One kernel for a process's reports, run one after another: booting a kernel
    and importing pandas, matplotlib and the library again for each report cost more
    than the reports themselves. Before each report the kernel's namespace is
    emptied and every figure closed, so a report sees nothing of the one before;
    after a failure the kernel is restarted."""

    RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"

    def __init__(self, threads: int | None = None):
        self.km = None
        self.cwd: Path | None = None
        self.threads = threads

    def take(self, cwd: Path):
        if self.km is not None and self.cwd == cwd:
            client = self.km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                client.execute_interactive(self.RESET, timeout=60, store_history=False)
            finally:
                client.stop_channels()
            return self.km
        self.close()
        self.km, self.cwd = _start_kernel(cwd, self.threads), cwd
        return self.km

    def close(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)  # its work is saved; a graceful stop costs 0.4 s
            finally:
                shutil.rmtree(self.km.socket_folder, ignore_errors=True)
                self.km = None


def run_report(name: str, config: Path | None = None, kernel: _Kernel | None = None) -> ReportSpec:
    """Execute one report's notebook and export it; the page appears only when all succeed.
    With `kernel`, the report runs in that (reused) kernel."""
    spec = find(name, config)
    own = kernel is None
    kernel = kernel or _Kernel()
    km = kernel.take(spec.notebook.parent)
    try:
        _execute(spec, km)
    except BaseException:
        kernel.close()  # a failed report may leave the kernel in any state: start afresh
        raise
    finally:
        if own:
            kernel.close()
    _record_provenance(spec.name)
    export_html(spec)
    return spec


def _worker(queue, results, config, threads: int | None = None) -> None:
    """One job slot: run reports from the queue, in one kernel, until it is empty."""
    import time

    kernel = _Kernel(threads)
    try:
        while (name := queue.get()) is not None:
            started = time.perf_counter()
            try:
                run_report(name, config, kernel)
                results.put((name, "", time.perf_counter() - started))
            except Exception as exc:  # reported with the report's name; the others go on
                error = (
                    str(exc) if isinstance(exc, AnalysisError) else f"{type(exc).__name__}: {exc}"
                )
                results.put((name, error, time.perf_counter() - started))
    finally:
        kernel.close()


def run_reports(names: list[str], jobs: int = 2, config: Path | None = None, report=print):
    """Run several reports, `jobs` at a time, in as many processes, each with one
    kernel reused from report to report. Every report is attempted; the ones that
    fail are reported together at the end."""
    import multiprocessing

    specs = [find(n, config) for n in names]  # an unknown name stops before anything runs
    context = multiprocessing.get_context("spawn")  # kernels and zmq do not survive fork
    queue, results = context.Queue(), context.Queue()
    took = _last_durations()
    for name in queue_order([spec.name for spec in specs], took):
        queue.put(name)
    n = max(1, min(jobs, len(specs)))
    threads = max(1, (os.cpu_count() or 1) // n)  # each kernel its share of the cores
    workers = [
        context.Process(target=_worker, args=(queue, results, config, threads)) for _ in range(n)
    ]
    for worker in workers:
        queue.put(None)
        worker.start()
    failures = []
    for _ in specs:
        name, error, seconds = results.get()
        if error:
            failures.append(f"report {name!r}: {error}")
        else:
            took[name] = round(seconds, 1)
            report(f"wrote {paths.relative(find(name, config).html)} in {seconds:.1f} s")
    for worker in workers:
        worker.join()
    write_json(_durations_path(), took)
    if failures:
        raise AnalysisError(
            f"{len(failures)} of {len(specs)} reports failed:\n" + "\n".join(failures)
        )


def queue_order(names: list[str], took: dict[str, float]) -> list[str]:
    """The longest report first, as the last build timed them, and reports never timed
    before them all: a long report started last leaves the other kernels idle."""
    return sorted(names, key=lambda name: -took.get(name, math.inf))


def _durations_path() -> Path:
    return paths.root() / ".make" / "report-seconds.json"


def _last_durations() -> dict[str, float]:
    """Each report's seconds in the last build that ran it (only to order the queue)."""
    try:
        return {str(k): float(v) for k, v in json.loads(_durations_path().read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _execute(spec: ReportSpec, km) -> None:
    name = spec.name
    parameters = check_parameters(spec)
    with _previous_outputs_kept(name):
        _run_notebook(spec, parameters, km)


@contextlib.contextmanager
def _previous_outputs_kept(name: str):
    """Give the run empty figure and table folders and no meta, and put the last good
    run's back if this one fails or is interrupted: its page still links to them."""
    outputs = [figures_dir(name), tables_dir(name), meta_path(name)]
    stash = paths.reports_dir() / ".previous" / name
    if stash.exists():  # a run was killed: the stash is the last good run, not the folders
        _restore(outputs, stash)
        shutil.rmtree(stash)
    for number, path in enumerate(outputs):
        if path.exists():
            stash.mkdir(parents=True, exist_ok=True)
            path.replace(stash / str(number))
    try:
        yield
    except BaseException:
        _restore(outputs, stash)
        raise
    finally:
        shutil.rmtree(stash, ignore_errors=True)


def _restore(outputs: list[Path], stash: Path) -> None:
    for number, path in enumerate(outputs):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        if (stash / str(number)).exists():
            (stash / str(number)).replace(path)


def _run_notebook(spec: ReportSpec, parameters: dict, km) -> None:
    import papermill

    name = spec.name
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
                request_save_on_cell_execute=False,  # one write at the end is enough
                km=km,
            )
        except papermill.PapermillExecutionError as exc:
            shutil.copyfile(tmp, failed)
            raise AnalysisError(
                f"report {name!r}: notebooks/{spec.notebook.name} failed in cell "
                f"{exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                f"The executed notebook, with the traceback, is at {paths.relative(failed)}."
            ) from None
    failed.unlink(missing_ok=True)


def _record_provenance(name: str) -> None:
    """Add to the report's meta the commit, package versions and input checksums."""
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
    _drop_notebook_heading(nb)
    _drop_empty_sections(nb)
    body, _ = exporter.from_notebook_node(nb, resources={"report": _page_context(spec, meta)})
    write_text(spec.html, body)


def _drop_notebook_heading(nb) -> None:
    """The notebook's own "# ..." heading, left out of the page: the template writes the
    report's title as the page's one <h1> (the same notebook makes several reports)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.split("\n")
            if lines and lines[0].startswith("# "):
                cell.source = "\n".join(lines[1:]).lstrip("\n")
            return


def _drop_empty_sections(nb) -> None:
    """Leave out of the page a "## " section whose code showed nothing: a part the
    report's parameters switch off (county crime on a city page, "then and now" without a
    later year) would otherwise leave its prose standing over nothing."""
    starts = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "markdown" and c.source.startswith("## ")]  # fmt: skip
    empty = set()
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(nb.cells)
        code = [c for c in nb.cells[start:end] if c.cell_type == "code"]
        if code and not any(c.get("outputs") for c in code):
            empty.update(range(start, end))
    nb.cells = [c for i, c in enumerate(nb.cells) if i not in empty]


def _lead_figure(spec: ReportSpec, meta: dict) -> dict | None:
    """The figure the page opens with (Report.figure(..., lead=True)), as an image the
    page carries itself (it opens offline) with its text alternative."""
    import base64

    slug = meta.get("lead")
    png = figures_dir(spec.name) / f"{slug}.png" if slug else None
    if not png or not png.exists():
        return None
    return {
        "src": "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode(),
        "alt": meta.get("figure_alt", {}).get(slug, ""),
    }


def _page_context(spec: ReportSpec, meta: dict) -> dict:
    provenance = meta.get("provenance") or record()
    registry = sources.registry()
    absent = {s["source"] for s in optional_status() if not s["present"]}
    # A source this build did not have contributed nothing to the page.
    cited = [registry[s] for s in meta.get("sources", []) if s in registry and s not in absent]
    return {
        "title": spec.title or meta.get("title") or spec.name,
        "finding": meta.get("finding", ""),
        "who_is_compared": meta.get("who_is_compared", ""),
        "lead": _lead_figure(spec, meta),
        "parameter_line": labels.parameter_line(
            {**notebook_parameters(spec.notebook), **spec.parameters}
        ),
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
