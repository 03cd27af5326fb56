"""What a build was made from: the commit, the package versions and the inputs.

Every report page and its reports/meta/NAME.json carry this record, so a
reader can tell which code and which files produced a number: the git commit
(marked modified when the working tree had uncommitted changes), the versions
of the packages the project depends on, and the sha256 of every source file
and processed product, as the build logs recorded them.
"""

from __future__ import annotations

import functools
import json
import platform
import re
import subprocess
from importlib import metadata

from ..core import paths

PROJECT = "sanctuary-counties"


@functools.cache
def commit() -> dict:
    """{"commit": full hash or "", "modified": bool}; empty outside a git checkout."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=paths.REPO_DIR, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "HEAD")
    # Tracked files only: generated outputs are ignored, and new untracked files
    # do not change what the committed code computes.
    changed = bool(git("status", "--porcelain", "--untracked-files=no")) if head else False
    return {"commit": head, "modified": changed}


@functools.cache
def packages() -> dict[str, str]:
    """Installed versions of Python and of the project's declared dependencies."""
    found = {"python": platform.python_version()}
    try:
        requirements = metadata.requires(PROJECT) or []
    except metadata.PackageNotFoundError:
        return found
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        name = re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0)
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def inputs() -> dict[str, dict[str, str]]:
    """sha256 of every source file each build read, and of every product it wrote,
    from the build logs in data/processed."""
    files: dict[str, str] = {}
    products: dict[str, str] = {}
    for log in sorted(paths.processed_dir().glob("*.log.json")):
        doc = json.loads(log.read_text())
        for account in doc.get("files", []):
            files[account["file_id"]] = account["sha256"]
        products.update(doc.get("outputs", {}))
    return {"source_files": dict(sorted(files.items())), "products": dict(sorted(products.items()))}


def record() -> dict:
    return {**commit(), "packages": packages(), **inputs()}


def describe(rec: dict) -> str:
    """One line for a page footer."""
    if rec.get("commit"):
        code = f"commit {rec['commit'][:10]}" + (" (modified)" if rec.get("modified") else "")
    else:
        code = "code outside a git checkout"
    versions = rec.get("packages", {})
    shown = ", ".join(
        f"{name} {versions[name]}"
        for name in ("python", "pandas", "numpy", "statsmodels", "matplotlib")
        if name in versions
    )
    return (
        f"{code}; {shown}; {len(rec.get('source_files', {}))} source files and "
        f"{len(rec.get('products', {}))} processed products, each by sha256"
    )
