"""Command line: `python -m analysis COMMAND` (what Make calls).

One module per family of commands: data (fetch, build, sources), site
(report, report-index, report-rules), compare and definitions. Errors meant
for the user (AnalysisError) print as a message without a traceback and exit
with status 2.
"""

from __future__ import annotations

import argparse
import sys

from . import compare, data, definitions, site


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line. `compare` takes every method's options as flags, made from the
    engine's method specs: they are read (and the engine imported) only for `compare`."""
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    data.add_parsers(sub)
    site.add_parsers(sub)
    compare.add_parsers(sub, with_methods="compare" in argv[:1])
    definitions.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from ..core.errors import AnalysisError

    args = parser(argv).parse_args(argv)
    try:
        args.run(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
