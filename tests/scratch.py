"""A scratch copy of the project for tests that run `make` as a user would.

The copy's code, notebooks and configuration are symlinks to this repository;
its data/raw, data/processed, reports and .make are its own, so a build there
never touches this repository's data. ANALYSIS_ROOT points the library at it.
Mirror views are folders of symlinks to verified raw files, like
`cp -rs mirror view && rm -rf view/crime/icpsr-*`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from analysis import sources
from analysis.core import paths

REPO = paths.REPO_DIR
CODE = [
    "Makefile",
    "pyproject.toml",
    "uv.lock",
    "README.md",
    "src",
    "notebooks",
    "data/sources.toml",
    "data/definitions.toml",
    "data/aliases.csv",
    "data/city_aliases.csv",
    "data/lists",
    "data/reference",
    "reports/reports.yml",
]


def optional_paths() -> set[str]:
    return {f.path for s in sources.registry().values() if s.optional for f in s.files}


def mirror_view(
    folder: Path, *, optional: bool, leave_out: tuple[str, ...] = (), raw_dir: Path | None = None
) -> Path:
    """Symlinks to the verified raw files: every file, or without the optional
    ones (the open data), and without the file ids in `leave_out`."""
    raw_dir = raw_dir or paths.raw_dir()
    skipped = {sources.source_file(i).path for i in leave_out}
    if not optional:
        skipped |= optional_paths()
    for spec in sources.all_files():
        if spec.path in skipped or not (raw_dir / spec.path).exists():
            continue
        link = folder / spec.path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to((raw_dir / spec.path).resolve())
    return folder


def project(root: Path) -> Path:
    """A scratch project root, ready for `make` with this test run's Python."""
    for name in CODE:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(REPO / name)
    for folder in ["data/raw", "data/processed", ".make"]:
        (root / folder).mkdir(parents=True, exist_ok=True)
    # The environment is this test run's: mark it set up so `make` does not install.
    stamp = make(root, "-s", "print-ENV_STAMP").stdout.strip()
    (root / stamp).touch()
    return root


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell, with `extra`. Under `make test` the parent
    make's flags (its DATA_MIRROR=..., its job server) and this run's ANALYSIS_ROOT would
    reach a make started here: it runs as a user's own would."""
    env = dict(os.environ)
    for name in (
        "DATA_MIRROR",
        "MAKEFLAGS",
        "MFLAGS",
        "MAKELEVEL",
        "MAKEOVERRIDES",
        "ANALYSIS_ROOT",
    ):
        env.pop(name, None)
    return {**env, **extra}


def make(
    root: Path, *args: str, mirror: Path | None = None, check: bool = True, umask: int = 0o022
) -> subprocess.CompletedProcess:
    env = user_env(ANALYSIS_ROOT=str(root))
    if mirror is not None:
        env["DATA_MIRROR"] = str(mirror)
    result = subprocess.run(
        ["make", "-C", str(root), f"PYTHON={sys.executable}", *args],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(umask),
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"make {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result
