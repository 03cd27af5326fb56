"""A build on damaged or interrupted input: it stops clearly and leaves nothing half-written."""

import subprocess

import pandas as pd
import pytest

from analysis import panel as panel_module
from analysis import paths, sources
from analysis.atomic import atomic_path, write_parquet
from analysis.errors import ChecksumMismatch

PANEL_FILES = [f.id for f in sources.all_files()
               if f.path.startswith(("crime/", "socio/"))]


def test_interrupted_write_leaves_neither_target_nor_temp_file(tmp_path):
    target = tmp_path / "out.parquet"
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as tmp:
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
        panel_module.build_panel(raw_dir=raw)
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
        panel_module.build_panel(raw_dir=raw)
    out_dir = panel_module.panel_path().parent
    assert not panel_module.panel_path().exists()
    assert not any(".tmp" in p.name for p in out_dir.iterdir())

    monkeypatch.setattr(pd.DataFrame, "to_parquet", real_to_parquet)
    frame = panel_module.build_panel(raw_dir=raw)
    assert panel_module.load_panel().equals(frame)
    assert panel_module.log_path().exists()


@pytest.mark.integration
def test_second_make_data_has_nothing_to_do():
    result = subprocess.run(["make", "-q", "data"], cwd=paths.REPO_DIR, capture_output=True)
    assert result.returncode == 0, "make data would rebuild although nothing changed"
