"""Command line: `python -m analysis COMMAND` (what Make calls).

Errors meant for the user (AnalysisError) print as a message without a
traceback and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import paths
from .compare.command import add_parser as add_compare_parser


def _fetch(args) -> None:
    from . import sources

    started = time.perf_counter()
    seen: list = []

    def report(index: int, total: int, outcome) -> None:
        seen.append(outcome)
        detail = "present, verified" if outcome.status == "present" else outcome.detail
        mark = {"absent": "not here (optional): ", "failed": "FAILED: "}.get(outcome.status, "")
        print(f"[{index:>{len(str(total))}}/{total}] {outcome.file_id:26} {mark}{detail}", flush=True)

    try:
        sources.fetch(args.files or None, progress=not args.quiet, report=report)
    finally:
        counts = {k: sum(o.status == k for o in seen) for k in ("present", "fetched", "absent", "failed")}
        copied = sum(o.bytes for o in seen if o.status == "fetched")
        print(f"{len(seen)} source files: {counts['present'] + counts['fetched']} verified "
              f"({counts['fetched']} fetched now, {counts['present']} already here), "
              f"{counts['absent']} optional not here, {counts['failed']} failed; "
              f"{copied / 1e6:.1f} MB fetched in {time.perf_counter() - started:.1f} s.", flush=True)
        if args.record:
            _record_optional(Path(args.record))


def _record_optional(target: Path) -> None:
    """Write the optional files present to `target`, only when that list changed,
    so Make rebuilds what reads them exactly when they come or go."""
    from . import sources
    from .atomic import write_text

    text = " ".join(sources.present_optional_files()) + "\n"
    if not target.exists() or target.read_text() != text:
        write_text(target, text)


def _build(args) -> None:
    started = time.perf_counter()
    if args.product == "panel":
        from .availability import optional_status
        from .panel import panel_path
        from .panel_build import build_panel

        frame = build_panel()
        for status in optional_status():
            if not status["present"]:
                print(status["reason"])
        print(f"wrote {paths.relative(panel_path())} ({len(frame):,} rows, "
              f"{frame['fips'].nunique():,} counties) in {time.perf_counter() - started:.1f} s")
    elif args.product == "counties":
        from .geometry import build_geometry

        for path, n in build_geometry().items():
            print(f"wrote {paths.relative(path)} ({n:,} features)")
    elif args.product == "definitions":
        from .jurisdictions.build import build_definitions

        built = build_definitions()
        unresolved = int((built.resolution["method"] == "unresolved").sum())
        print(f"wrote definitions ({built.definitions['definition'].nunique()} definitions x "
              f"{built.definitions['fips'].nunique():,} counties) and the resolution of "
              f"{len(built.resolution):,} list rows ({unresolved} city rows unresolved, reasons in "
              f"definitions.log.json) in {built.seconds:.1f} s")


def _report(args) -> None:
    from .reports import run_report

    started = time.perf_counter()
    spec = run_report(args.name)
    print(f"wrote {paths.relative(spec.html)} in {time.perf_counter() - started:.1f} s")


def _report_index(args) -> None:
    from .reports import build_index

    print(f"wrote {paths.relative(build_index())}")


def _report_rules(args) -> None:
    from .reports import write_make_rules

    write_make_rules(Path(args.output))


def _sources(args) -> None:
    from . import sources

    for src in sources.registry().values():
        how = "manual download" if src.manual else "download"
        print(f"{src.id:22} {src.years:12} {how:15} {src.producer}")
        if args.files:
            for f in src.files:
                print(f"    {f.id:26} data/raw/{f.path}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fetch", help="fetch and verify raw source files (DATA_MIRROR or official URLs)")
    f.add_argument("files", nargs="*", help="source file ids (default: all in data/sources.toml)")
    f.add_argument("--quiet", action="store_true", help="no progress bars for long downloads")
    f.add_argument("--record", metavar="FILE",
                   help="write the optional files present to FILE when that list changes (for Make)")
    f.set_defaults(run=_fetch)

    b = sub.add_parser("build", help="build a processed data product from the raw files")
    b.add_argument("product", choices=["panel", "counties", "definitions"])
    b.set_defaults(run=_build)

    r = sub.add_parser("report", help="run one report's notebook and export its HTML")
    r.add_argument("name", help="a report name from reports/reports.yml")
    r.set_defaults(run=_report)
    ri = sub.add_parser("report-index", help="write reports/index.html")
    ri.set_defaults(run=_report_index)
    rr = sub.add_parser("report-rules", help="write the Make rules for the reports")
    rr.add_argument("output", help="the makefile to write")
    rr.set_defaults(run=_report_rules)

    add_compare_parser(sub)

    s = sub.add_parser("sources", help="list the sources in the registry")
    s.add_argument("--files", action="store_true", help="list every file too")
    s.set_defaults(run=_sources)
    return p


def main(argv: list[str] | None = None) -> int:
    from .errors import AnalysisError

    args = parser().parse_args(argv)
    try:
        args.run(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
