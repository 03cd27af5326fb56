"""Commands for the report site: `report`, `report-index` and `report-rules`."""

from __future__ import annotations

import time
from pathlib import Path

from ..core import paths


def report(args) -> None:
    from ..reports.run import run_report, run_reports

    names = list(args.names)
    if args.from_file:
        names += _names_in(args.from_file)
    if len(names) == 1 and args.jobs <= 1:
        started = time.perf_counter()
        spec = run_report(names[0])
        print(f"wrote {paths.relative(spec.html)} in {time.perf_counter() - started:.1f} s")
    elif names:
        run_reports(names, args.jobs, report=lambda line: print(line, flush=True))


def _names_in(path: str) -> list[str]:
    """The report names listed in the file `--from` names, one per line."""
    from ..core.errors import AnalysisError

    try:
        return Path(path).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AnalysisError(
            f"--from {path}: cannot read report names from it ({reason}). Give a UTF-8 text "
            "file with one report name per line, as `make reports` writes."
        ) from None


def write_index(args) -> None:
    from ..reports import build_index

    print(f"wrote {paths.relative(build_index())}")


def write_explorer(args) -> None:
    from ..reports.explore import build_explorer

    print(f"wrote {paths.relative(build_explorer())}")


def write_finder(args) -> None:
    from ..reports.finder import build_finder

    print(f"wrote {paths.relative(build_finder())}")


def write_rules(args) -> None:
    from ..reports import write_make_rules

    write_make_rules(Path(args.output))


def add_parsers(sub) -> None:
    r = sub.add_parser("report", help="run reports' notebooks and export their HTML")
    r.add_argument("names", nargs="*", help="report names from reports/reports.yml")
    r.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="also the report names listed in FILE (what `make reports` passes)",
    )
    r.add_argument("--jobs", type=int, default=1, help="reports run at a time (processes)")
    r.set_defaults(run=report)
    ri = sub.add_parser("report-index", help="write reports/index.html")
    ri.set_defaults(run=write_index)
    re_ = sub.add_parser("report-explore", help="write reports/explore.html")
    re_.set_defaults(run=write_explorer)
    rp = sub.add_parser("report-places", help="write reports/places.html (the place finder)")
    rp.set_defaults(run=write_finder)
    rr = sub.add_parser("report-rules", help="write the Make rules for the reports")
    rr.add_argument("output", help="the makefile to write")
    rr.set_defaults(run=write_rules)
