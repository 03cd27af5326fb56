"""The registry and verified fetching: mirrors, checksums, and every way a fetch fails."""

import datetime
import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading

import pytest

from analysis import sources
from analysis.core import paths
from analysis.core.errors import AnalysisError, ChecksumMismatch

REPO = paths.REPO_DIR
SMALL = "county-codes-2010"  # a small file with an official URL
MANUAL = "doj-list-2025"  # no file to download: a mirror or a transcription
OPTIONAL = "ucr-2010"  # ICPSR: users download it themselves, or go without
NO_URL = "acs-s2301"  # no direct download anywhere official


def test_registry_entries_are_complete_and_unique():
    files = sources.all_files()
    assert len(files) == len({f.id for f in files}) == len({f.path for f in files})
    for f in files:
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256), f.id
        assert f.bytes > 0 and not f.path.startswith("/")
        accessed = datetime.date.fromisoformat(f.date_accessed)  # every file says when
        assert accessed <= datetime.date.today(), f.id
    for s in sources.registry().values():
        assert s.producer and s.licence and s.citation and s.landing_page, s.id
        assert s.manual or all(f.url for f in s.files) or s.note, (
            f"{s.id}: no way to fetch without a mirror, and no note saying why"
        )


def test_icpsr_files_are_optional_manual_downloads():
    for sid in ["ucr-2010", "ucr-2012", "ucr-2016"]:
        source = sources.registry()[sid]
        assert "icpsr.umich.edu" in source.manual and "redistribution" in source.licence
        assert source.optional
    assert {f.source_id for f in sources.optional_files()} == {"ucr-2010", "ucr-2012", "ucr-2016"}


def test_makefile_lists_exactly_the_registry_files():
    def printed(variable):
        return subprocess.run(
            ["make", "-s", f"print-{variable}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()

    assert sorted(printed("RAW_PATHS")) == sorted(f.path for f in sources.all_files())
    assert sorted(printed("RAW_OPTIONAL")) == sorted(
        f"data/raw/{f.path}" for f in sources.optional_files()
    )


@pytest.fixture()
def mirror(tmp_path, raw_dir):
    """A mirror folder holding verified copies of a few small files."""
    root = tmp_path / "mirror"
    for fid in [SMALL, MANUAL, NO_URL]:
        rel = sources.source_file(fid).path
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(raw_dir / rel, root / rel)
    return root


@pytest.mark.integration
def test_fetch_from_a_mirror_folder_verifies_and_places_files(mirror, tmp_path):
    dest = tmp_path / "raw"
    done = sources.fetch([SMALL, MANUAL], raw_dir=dest, mirror=str(mirror), progress=False)
    assert all(v.startswith("copied from mirror") for v in done.values())
    for fid in [SMALL, MANUAL]:
        assert (
            sources.sha256_of(dest / sources.source_file(fid).path)
            == sources.source_file(fid).sha256
        )
    again = sources.fetch([SMALL], raw_dir=dest, mirror=str(mirror), progress=False)
    assert again == {SMALL: "present"}


@pytest.mark.integration
def test_fetch_from_an_http_mirror(mirror, tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mirror))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        done = sources.fetch([SMALL], raw_dir=tmp_path / "raw", mirror=url, progress=False)
    finally:
        server.shutdown()
    assert done[SMALL].startswith("copied from mirror http://127.0.0.1")
    assert (tmp_path / "raw" / sources.source_file(SMALL).path).exists()


@pytest.mark.integration
def test_altered_mirror_copy_is_refused_and_not_kept(mirror, tmp_path):
    target = mirror / sources.source_file(SMALL).path
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(AnalysisError) as err:
        sources.fetch([SMALL], raw_dir=tmp_path / "raw", mirror=str(mirror), progress=False)
    message = str(err.value)
    assert str(target) in message and sources.source_file(SMALL).sha256 in message
    assert sources.sha256_of(target) in message
    dest_dir = (tmp_path / "raw" / sources.source_file(SMALL).path).parent
    assert not dest_dir.exists() or list(dest_dir.iterdir()) == []


@pytest.mark.integration
@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_raw_file_stops_with_both_checksums(project_copy, damage):
    raw = project_copy(SMALL)
    path = raw / sources.source_file(SMALL).path
    data = path.read_bytes()
    path.write_bytes(data[:-500] if damage == "truncate" else bytes([data[0] ^ 0xFF]) + data[1:])
    with pytest.raises(ChecksumMismatch) as err:
        sources.verified_path(SMALL, raw)
    assert err.value.expected == sources.source_file(SMALL).sha256
    assert err.value.actual == sources.sha256_of(path)
    assert "national_county.txt" in str(err.value) and "make data" in str(err.value)


@pytest.mark.integration
def test_damaged_raw_file_is_not_replaced_silently_by_fetch(project_copy, mirror):
    raw = project_copy(SMALL)
    path = raw / sources.source_file(SMALL).path
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(AnalysisError, match="sha256 does not match"):
        sources.fetch([SMALL], raw_dir=raw, mirror=str(mirror), progress=False)
    assert path.stat().st_size == sources.source_file(SMALL).bytes - 1


def test_unreachable_mirror_names_the_source_and_the_address(tmp_path):
    with pytest.raises(AnalysisError) as err:
        sources.fetch([SMALL], raw_dir=tmp_path, mirror="http://127.0.0.1:9", progress=False)
    message = str(err.value)
    assert f"'{SMALL}'" in message
    assert "http://127.0.0.1:9/socio/covariates/national_county.txt" in message


def test_mirror_folder_without_the_file(tmp_path):
    with pytest.raises(AnalysisError) as err:
        sources.fetch(
            [SMALL], raw_dir=tmp_path / "raw", mirror=str(tmp_path / "empty"), progress=False
        )
    assert "no file national_county.txt" in str(err.value) and "DATA_MIRROR" in str(err.value)


def test_manual_download_says_where_to_get_and_put_it(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    with pytest.raises(AnalysisError) as err:
        sources.fetch([MANUAL], raw_dir=tmp_path / "raw", progress=False)
    message = str(err.value)
    assert "transcribe the page" in message
    assert "jurisdictions/doj-sanctuary-2025/doj_sanctuary_jurisdictions_2025-08-05.csv" in message
    assert "DATA_MIRROR" in message


def test_a_mirror_without_an_optional_file_fails_only_for_the_required_ones(tmp_path):
    seen = []
    with pytest.raises(AnalysisError) as err:
        sources.fetch(
            [OPTIONAL, SMALL],
            raw_dir=tmp_path / "raw",
            mirror=str(tmp_path / "empty"),
            progress=False,
            report=lambda i, n, outcome: seen.append(outcome.status),
        )
    assert seen == ["absent", "failed"]
    message = str(err.value)
    assert message.startswith("1 of 2 source files could not be made ready")
    assert f"'{SMALL}'" in message and OPTIONAL not in message


def test_an_absent_optional_file_is_no_failure_and_says_how_to_add_it(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    seen = []
    done = sources.fetch(
        [OPTIONAL],
        raw_dir=tmp_path / "raw",
        progress=False,
        report=lambda i, n, outcome: seen.append((i, n, outcome)),
    )
    ((index, total, outcome),) = seen
    assert (index, total, outcome.status) == (1, 1, "absent")
    assert done[OPTIONAL].startswith("ICPSR 33523 not present")
    assert "https://www.icpsr.umich.edu/web/NACJD/studies/33523" in done[OPTIONAL]
    assert "data/raw/crime/icpsr-33523-2010/33523-0004-Data.rda" in done[OPTIONAL]
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").rglob("*.rda"))


def test_file_without_a_download_url_points_to_the_producer(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    with pytest.raises(AnalysisError) as err:
        sources.fetch([NO_URL], raw_dir=tmp_path / "raw", progress=False)
    assert "no direct download URL" in str(err.value) and "data.census.gov" in str(err.value)


def test_all_failures_are_reported_together(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    with pytest.raises(AnalysisError) as err:
        sources.fetch([MANUAL, NO_URL], raw_dir=tmp_path / "raw", progress=False)
    assert str(err.value).startswith("2 of 2 source files could not be made ready")


def test_cli_prints_the_error_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "fetch", "--quiet", MANUAL],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "ANALYSIS_ROOT": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: 1 of 1 source files")
    assert "Traceback" not in result.stderr


def test_unknown_file_id_lists_valid_ones():
    with pytest.raises(AnalysisError, match="unknown source file 'nope'; valid source files: "):
        sources.source_file("nope")
