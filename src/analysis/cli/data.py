"""Commands for the data: `fetch`, `build` and `sources`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..core import paths
from ..panels.units import STATE


def fetch(args) -> None:
    from .. import sources

    started = time.perf_counter()
    seen: list = []

    def report(index: int, total: int, outcome) -> None:
        seen.append(outcome)
        detail = "present, verified" if outcome.status == "present" else outcome.detail
        mark = {"absent": "not here (optional): ", "failed": "FAILED: "}.get(outcome.status, "")
        print(
            f"[{index:>{len(str(total))}}/{total}] {outcome.file_id:26} {mark}{detail}", flush=True
        )

    try:
        sources.fetch(args.files or None, progress=not args.quiet, report=report)
    finally:
        counts = {
            k: sum(o.status == k for o in seen) for k in ("present", "fetched", "absent", "failed")
        }
        copied = sum(o.bytes for o in seen if o.status == "fetched")
        print(
            f"{len(seen)} source files: {counts['present'] + counts['fetched']} verified "
            f"({counts['fetched']} fetched now, {counts['present']} already here), "
            f"{counts['absent']} optional not here, {counts['failed']} failed; "
            f"{copied / 1e6:.1f} MB fetched in {time.perf_counter() - started:.1f} s.",
            flush=True,
        )
        if args.record:
            _record_optional(Path(args.record))


def _record_optional(target: Path) -> None:
    """Write the optional files present to `target`, only when that list changed,
    so Make rebuilds what reads them exactly when they come or go."""
    from .. import sources
    from ..core.atomic import write_text

    text = " ".join(sources.present_optional_files()) + "\n"
    if not target.exists() or target.read_text() != text:
        write_text(target, text)


def build(args) -> None:
    started = time.perf_counter()
    if args.product == "panel":
        from ..panels.availability import optional_status
        from ..panels.county import build_panel
        from ..panels.load import panel_path

        frame = build_panel()
        for status in optional_status():
            if not status["present"]:
                print(status["reason"])
        print(
            f"wrote {paths.relative(panel_path())} ({len(frame):,} rows, "
            f"{frame['fips'].nunique():,} counties) in {time.perf_counter() - started:.1f} s"
        )
    elif args.product == "city-panel":
        from ..panels.city import build_city_panel
        from ..panels.load import city_panel_path

        frame = build_city_panel()
        print(
            f"wrote {paths.relative(city_panel_path())} ({len(frame):,} rows, "
            f"{frame['place'].nunique():,} places, {frame['year'].min()}-{frame['year'].max()}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    elif args.product == "state-panel":
        from ..panels.state import build_state_panel

        frame = build_state_panel()
        print(
            f"wrote {paths.relative(STATE.panel_path())} ({len(frame):,} rows, "
            f"{frame['state'].nunique()} states, {frame['year'].min()}-{frame['year'].max()}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    elif args.product == "counties":
        from ..panels.geometry import build_geometry

        for path, n in build_geometry().items():
            print(f"wrote {paths.relative(path)} ({n:,} features)")
    elif args.product == "definitions":
        from ..jurisdictions.build import build_definitions

        built = build_definitions()
        for warning in built.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        unresolved = int((built.resolution["method"] == "unresolved").sum())
        print(
            f"wrote definitions ({built.definitions['definition'].nunique()} definitions x "
            f"{built.definitions['fips'].nunique():,} counties) and the resolution of "
            f"{len(built.resolution):,} list rows ({unresolved} city rows unresolved, reasons in "
            f"definitions.log.json) in {built.seconds:.1f} s"
        )


def list_sources(args) -> None:
    from .. import sources

    for src in sources.registry().values():
        how = "manual download" if src.manual else "download"
        print(f"{src.id:22} {src.years:12} {how:15} {src.producer}")
        if args.files:
            for f in src.files:
                print(f"    {f.id:26} data/raw/{f.path}")


def add_parsers(sub) -> None:
    f = sub.add_parser(
        "fetch", help="fetch and verify raw source files (DATA_MIRROR or official URLs)"
    )
    f.add_argument("files", nargs="*", help="source file ids (default: all in data/sources.toml)")
    f.add_argument("--quiet", action="store_true", help="no progress bars for long downloads")
    f.add_argument(
        "--record",
        metavar="FILE",
        help="write the optional files present to FILE when that list changes (for Make)",
    )
    f.set_defaults(run=fetch)

    b = sub.add_parser("build", help="build a processed data product from the raw files")
    b.add_argument(
        "product", choices=["panel", "city-panel", "state-panel", "counties", "definitions"]
    )
    b.set_defaults(run=build)

    s = sub.add_parser("sources", help="list the sources in the registry")
    s.add_argument("--files", action="store_true", help="list every file too")
    s.set_defaults(run=list_sources)
