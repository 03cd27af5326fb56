"""A build on damaged or interrupted input: it stops clearly and leaves nothing half-written."""

import os
import stat
import subprocess

import pandas as pd
import pytest

from analysis import sources
from analysis.core import paths
from analysis.core.atomic import atomic_path, write_parquet
from analysis.core.errors import ChecksumMismatch
from analysis.panels import county as panel_build
from analysis.panels import load as panel_module

# The panel's files in this build (the optional ICPSR years may be absent).
PANEL_FILES = [
    f.id
    for f in sources.all_files()
    if f.path.startswith(("crime/", "socio/")) and (paths.raw_dir() / f.path).exists()
]


def test_interrupted_write_leaves_neither_target_nor_temp_file(tmp_path):
    target = tmp_path / "out.parquet"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_successful_write_replaces_the_target_whole(tmp_path):
    target = tmp_path / "out.parquet"
    write_parquet(target, pd.DataFrame({"a": [1, 2]}))
    write_parquet(target, pd.DataFrame({"a": [3]}))
    assert pd.read_parquet(target)["a"].tolist() == [3]
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


@pytest.mark.integration
def test_altered_raw_file_stops_the_build_before_anything_is_written(project_copy):
    raw = project_copy(*PANEL_FILES)
    laus = raw / sources.source_file("laus-2014").path
    data = bytearray(laus.read_bytes())
    data[5000] ^= 0x20
    laus.write_bytes(bytes(data))
    with pytest.raises(ChecksumMismatch) as err:
        panel_build.build_panel(raw_dir=raw)
    assert "laucnty14.txt" in str(err.value)
    assert err.value.expected == sources.source_file("laus-2014").sha256
    assert err.value.actual == sources.sha256_of(laus)
    assert not panel_module.panel_path().exists()


@pytest.mark.integration
def test_interrupted_build_leaves_no_panel_and_the_next_one_completes(project_copy, monkeypatch):
    raw = project_copy(*PANEL_FILES)
    real_to_parquet = pd.DataFrame.to_parquet

    def interrupted(self, path, *args, **kwargs):
        with open(path, "wb") as fh:
            fh.write(b"PAR1 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        panel_build.build_panel(raw_dir=raw)
    out_dir = panel_module.panel_path().parent
    assert not panel_module.panel_path().exists()
    assert not any(".tmp" in p.name for p in out_dir.iterdir())

    monkeypatch.setattr(pd.DataFrame, "to_parquet", real_to_parquet)
    frame = panel_build.build_panel(raw_dir=raw)
    assert panel_module.load_panel().equals(frame)
    assert panel_module.log_path().exists()


@pytest.mark.integration
def test_second_make_data_has_nothing_to_do():
    products = sorted(paths.processed_dir().glob("*.parquet"))
    before = [p.stat().st_mtime_ns for p in products]
    result = subprocess.run(["make", "data"], cwd=paths.REPO_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "analysis build" not in result.stdout, "make data rebuilt although nothing changed"
    assert [p.stat().st_mtime_ns for p in products] == before


@pytest.mark.integration
def test_a_failed_fetch_keeps_every_verified_file_and_names_the_missing_one(tmp_path):
    import scratch

    missing = sources.source_file("laus-2014")
    view = scratch.mirror_view(tmp_path / "mirror", optional=False, leave_out=(missing.id,))
    root = scratch.project(tmp_path / "project")
    raw = root / "data" / "raw"
    wanted = [f for f in sources.all_files() if f.path not in scratch.optional_paths()]

    failed = scratch.make(root, "fetch", mirror=view, check=False)
    assert failed.returncode != 0
    assert f"'{missing.id}'" in failed.stderr and "laucnty14.txt" in failed.stderr
    kept = sorted(f.path for f in wanted if (raw / f.path).exists())
    assert kept == sorted(f.path for f in wanted if f.id != missing.id)
    assert not [p for p in raw.rglob("*") if ".tmp" in p.name]
    lines = [line for line in failed.stdout.splitlines() if line.lstrip().startswith("[")]
    assert len(lines) == len(sources.all_files()), "one progress line per file"

    full = scratch.mirror_view(tmp_path / "mirror-full", optional=False)
    again = scratch.make(root, "fetch", mirror=full)
    fetched = [line for line in again.stdout.splitlines() if "copied from mirror" in line]
    assert len(fetched) == 1 and missing.id in fetched[0]
    assert sources.sha256_of(raw / missing.path) == missing.sha256


def test_an_interrupted_fetch_leaves_no_partial_file(tmp_path, monkeypatch):
    import shutil

    spec = sources.source_file("county-codes-2010")
    mirror = tmp_path / "mirror" / spec.path
    mirror.parent.mkdir(parents=True)
    mirror.write_bytes(b"x" * (3 << 20))

    def interrupted(src, dst, length=0):
        dst.write(src.read(1 << 20))
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copyfileobj", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sources.fetch(
            [spec.id], raw_dir=tmp_path / "raw", mirror=str(tmp_path / "mirror"), progress=False
        )
    folder = (tmp_path / "raw" / spec.path).parent
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_take_their_mode_from_the_umask(tmp_path, umask):
    from analysis.core.atomic import write_text

    old = os.umask(umask)
    try:
        write_text(tmp_path / "out.txt", "x")
        write_parquet(tmp_path / "out.parquet", pd.DataFrame({"a": [1]}))
    finally:
        os.umask(old)
    for name in ["out.txt", "out.parquet"]:
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name
