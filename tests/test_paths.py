"""Builds run where users keep their work: a checkout whose path has spaces and
accented letters ("my projects/Données"), and kernels whose sockets stay out of it.

The integration test clones this repository into such a folder, brings the clone's
working tree to this one's (the uncommitted changes are what is being tested), gives
it a .venv of its own there (this test run's packages, the clone's code) and runs
`make data` and one report with Make's default PYTHON, .venv/bin/python. The kernel
tests run the small fixture report from a long path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
import scratch

from analysis.core import paths
from analysis.reports import KERNEL, run

SITE = Path(__file__).parent / "fixtures" / "site"
TCP_WARNING = "Kernel is running over TCP without encryption"
AWKWARD = Path("my projects") / "Données"


def _run(command: list[str], cwd: Path, env: dict, check: bool = True):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} failed ({result.returncode}) in {cwd}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


# --- the kernel a report runs in ------------------------------------------------------


@pytest.fixture()
def private_tmp():
    """A short temporary folder of this test's own, as TMPDIR."""
    folder = Path(tempfile.mkdtemp(prefix="tmpdir-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_report_runs_from_a_long_awkward_path_without_the_tcp_warning(tmp_path, private_tmp):
    """The kernel talks over IPC: no warning a user can do nothing about, and its
    sockets go to a short private folder, removed after, never into the project."""
    root = tmp_path / AWKWARD / ("long-" * 30)
    shutil.copytree(SITE, root)
    before = {p.relative_to(root) for p in root.rglob("*")}
    result = _run(
        [sys.executable, "-m", "analysis", "report", "demo-2016"],
        cwd=root,
        env=scratch.user_env(ANALYSIS_ROOT=str(root), TMPDIR=str(private_tmp)),
    )
    output = result.stdout + result.stderr
    assert TCP_WARNING not in output and "WARNING" not in output, output
    assert "wrote reports/html/demo-2016.html" in result.stdout
    added = {p.relative_to(root) for p in root.rglob("*")} - before
    assert added and all(p.parts[0] == "reports" for p in added), sorted(map(str, added))
    assert list(private_tmp.iterdir()) == []  # the kernel's socket folder is gone


def test_the_kernels_sockets_get_a_short_folder_whatever_tmpdir_is(monkeypatch, tmp_path):
    long_tmp = tmp_path / ("x" * 120)
    long_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long_tmp))
    folder = run._socket_folder()
    try:
        # The longest socket path the kernel makes: <folder>/ipc-<port number>.
        assert len(str(folder / "ipc-65535")) <= run.SOCKET_PATH_MAX
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
    finally:
        folder.rmdir()


# --- a checkout in "my projects/Données" ----------------------------------------------


def clone_this_tree(destination: Path) -> Path:
    """A git clone of this repository with this working tree's uncommitted changes on
    top (changed, new and deleted files; ignored ones are build products)."""
    repo = paths.REPO_DIR
    destination.parent.mkdir(parents=True, exist_ok=True)
    _run(["git", "clone", "--quiet", str(repo), str(destination)], repo, scratch.user_env())
    listed = _run(
        ["git", "ls-files", "-z", "--modified", "--others", "--exclude-standard"],
        repo,
        scratch.user_env(),
    ).stdout
    for name in filter(None, listed.split("\0")):
        source, target = repo / name, destination / name
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        else:
            target.unlink(missing_ok=True)
    return destination


def own_venv(clone: Path, env: dict) -> Path:
    """The clone's .venv, as `make setup` would make it but without downloading: a venv
    of this test run's interpreter that reads this run's installed packages, with the
    clone's src first (what its editable install would give), and the project's kernel
    registered from it. Without pip, so nothing can install into this run's packages."""
    _run([sys.executable, "-m", "venv", "--without-pip", ".venv"], clone, env)
    python = clone / ".venv" / "bin" / "python"
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], clone, env
    ).stdout.strip()
    packages = sysconfig.get_path("purelib")
    (Path(site) / "00-this-test-run.pth").write_text(
        f"{clone / 'src'}\nimport site; site.addsitedir({packages!r})\n", encoding="utf-8"
    )
    kernel = ["-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL]
    _run([str(python), *kernel], clone, env)
    # nbconvert's templates are data files of its install, found under sys.prefix.
    (clone / ".venv" / "share" / "jupyter" / "nbconvert").symlink_to(
        Path(sys.prefix) / "share" / "jupyter" / "nbconvert"
    )
    return python


@pytest.mark.integration
def test_make_data_and_a_report_in_a_folder_with_spaces_and_accents(tmp_path):
    clone = clone_this_tree(tmp_path / AWKWARD)
    mirror = scratch.mirror_view(tmp_path / "the team's mirror", optional=False)
    env = scratch.user_env(DATA_MIRROR=str(mirror))
    env.pop("PYTHONPATH", None)
    python = own_venv(clone, env)
    # Everything below must read and write the clone, never this checkout.
    where = _run(
        [str(python), "-c", "import analysis.core.paths as p; print(p.REPO_DIR)"], clone, env
    )
    assert Path(where.stdout.strip()) == clone, "the clone must import its own code"

    # The default PYTHON, .venv/bin/python, whose absolute path has the space and the é.
    stamp = _run(["make", "-s", "print-ENV_STAMP"], clone, env).stdout.strip()
    assert " " not in stamp and stamp.isascii(), stamp  # a target name Make can take
    (clone / stamp).parent.mkdir(exist_ok=True)
    (clone / stamp).touch()  # set up above: `make setup` would download the packages

    data = _run(["make", "data"], clone, env)
    assert "build panel" in data.stdout
    page = clone / "reports" / "html" / "definitions.html"
    report = _run(["make", "reports/html/definitions.html"], clone, env)
    assert page.exists() and "sanctuary" in page.read_text()
    assert TCP_WARNING not in report.stdout + report.stderr
    executed = json.loads((clone / "reports" / "notebooks" / "definitions.ipynb").read_text())
    assert executed["metadata"]["kernelspec"]["name"] == KERNEL
    # A second run finds nothing to do: every target is a file Make can name.
    again = _run(["make", "data", "reports/html/definitions.html"], clone, env)
    assert "analysis build" not in again.stdout and "analysis report" not in again.stdout
