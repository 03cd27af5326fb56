"""Estimates kept on disk, keyed by everything they depend on, so that pages computing
the same estimate compute it once (an event study a page shows and then sets among its
variants; a matched comparison on two pages), and a page rebuilt for a change of its
words or figures does not estimate again.

The key is the sha256 of:

- the request: the method, year, outcomes, covariates, details, unit and options (a
  Series, such as the adoption years, by its contents);
- the data: the panel given (every column, row and dtype), the status and comparison
  Series, and the sha256 of every processed product its build logs record (the
  neighbouring counties and the definitions a method may read besides the panel);
- the code: every file of the library's rooms at or below the engine (core, sources,
  geo, readers, names, panels, jurisdictions, compare), and the versions of the
  libraries that compute (numpy, pandas, scipy, pyfixest, diff-diff).

A change to any of these is a new key: a stale estimate is never read. The entries live
in .make/estimates/ of the project root (`make clean-all` removes them); each lookup
appends a line, hit or miss, to .make/estimates/lookups.log for the benchmarks.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from importlib import metadata

import pandas as pd

from ..core import paths
from ..core.atomic import atomic_path
from ..sources.buildlog import recorded_outputs

# The rooms whose code an estimate runs (the engine and everything below it).
ENGINE_ROOMS = ("core", "sources", "geo", "readers", "names", "panels", "jurisdictions", "compare")
LIBRARIES = ("numpy", "pandas", "scipy", "pyfixest", "diff-diff", "statsmodels")


# Set to "off" to compute every estimate afresh (the tests do, so that they exercise the
# estimators and leave no entries behind).
SWITCH = "ANALYSIS_ESTIMATE_CACHE"


def enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"


def folder():
    return paths.root() / ".make" / "estimates"


@functools.cache
def code_version() -> str:
    """The sha256 of the engine's code and the computing libraries' versions."""
    digest = hashlib.sha256()
    files = [paths.PACKAGE_DIR / "__init__.py"]
    for room in ENGINE_ROOMS:
        files += sorted((paths.PACKAGE_DIR / room).rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()


def _digest_of(value, digest) -> None:
    """Feed `value` into `digest`: frames and series by their contents, containers item
    by item, anything else by its repr."""
    if isinstance(value, pd.DataFrame):
        digest.update(repr(list(zip(value.columns, map(str, value.dtypes)))).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        digest.update(repr((value.name, str(value.dtype))).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=repr):
            digest.update(repr(key).encode())
            _digest_of(value[key], digest)
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _digest_of(item, digest)
    else:
        digest.update(repr(value).encode())
    digest.update(b"|")


def key(**inputs) -> str:
    """The entry's name for these inputs (see the module's docstring)."""
    digest = hashlib.sha256(code_version().encode())
    _digest_of(sorted(recorded_outputs(paths.processed_dir()).items()), digest)
    _digest_of(inputs, digest)
    return digest.hexdigest()


def load(name: str):
    """The estimate stored under `name`, or None."""
    path = folder() / f"{name}.pkl"
    found = None
    if path.exists():
        try:
            found = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            found = None  # a damaged or older entry is computed again
    _record("hit" if found is not None else "miss", name)
    return found


def store(name: str, result) -> None:
    folder().mkdir(parents=True, exist_ok=True)
    with atomic_path(folder() / f"{name}.pkl") as tmp:
        tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def _record(what: str, name: str) -> None:
    folder().mkdir(parents=True, exist_ok=True)
    with open(folder() / "lookups.log", "a", encoding="utf-8") as fh:
        fh.write(f"{what} {name}\n")  # one short line: appends from two processes stay whole
