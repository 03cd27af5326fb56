"""Commands for the report site: `report`, `report-index` and `report-rules`."""

from __future__ import annotations

import time
from pathlib import Path

from .. import paths


def report(args) -> None:
    from ..reports import run_report

    started = time.perf_counter()
    spec = run_report(args.name)
    print(f"wrote {paths.relative(spec.html)} in {time.perf_counter() - started:.1f} s")


def write_index(args) -> None:
    from ..reports import build_index

    print(f"wrote {paths.relative(build_index())}")


def write_explorer(args) -> None:
    from ..reports.explore import build_explorer

    print(f"wrote {paths.relative(build_explorer())}")


def write_rules(args) -> None:
    from ..reports import write_make_rules

    write_make_rules(Path(args.output))


def add_parsers(sub) -> None:
    r = sub.add_parser("report", help="run one report's notebook and export its HTML")
    r.add_argument("name", help="a report name from reports/reports.yml")
    r.set_defaults(run=report)
    ri = sub.add_parser("report-index", help="write reports/index.html")
    ri.set_defaults(run=write_index)
    re_ = sub.add_parser("report-explore", help="write reports/explore.html")
    re_.set_defaults(run=write_explorer)
    rr = sub.add_parser("report-rules", help="write the Make rules for the reports")
    rr.add_argument("output", help="the makefile to write")
    rr.set_defaults(run=write_rules)
