"""The source registry (data/sources.toml) and verified fetching into data/raw.

A file enters data/raw only after its sha256 matches the registry, and every
reader opens raw files through `verified_path`, which checks it again, so a
build never runs on a stale, truncated or altered file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core import paths
from ..core.atomic import atomic_path
from ..core.errors import (
    AnalysisError,
    ChecksumMismatch,
    FetchError,
    ManualDownloadRequired,
    UnknownChoice,
)

MIRROR_ENV = "DATA_MIRROR"


@dataclass(frozen=True)
class SourceFile:
    id: str
    source_id: str
    path: str  # relative to data/raw and to a mirror's root
    sha256: str
    bytes: int
    url: str | None = None
    year: int | None = None
    date_accessed: str = ""  # the day the file was downloaded and its sha256 recorded


@dataclass(frozen=True)
class Source:
    id: str
    producer: str
    title: str
    years: str
    licence: str
    citation: str
    landing_page: str
    note: str = ""
    manual: str = ""
    optional: str = ""  # what a build without this source lacks ("2010 crime"); empty: required
    short_title: str = ""
    files: tuple[SourceFile, ...] = field(default_factory=tuple)


@functools.cache
def registry() -> dict[str, Source]:
    """All sources, by id, as committed in data/sources.toml."""
    with open(paths.registry_file(), "rb") as fh:
        doc = tomllib.load(fh)
    sources: dict[str, Source] = {}
    for entry in doc["source"]:
        entry = dict(entry)
        files = tuple(SourceFile(source_id=entry["id"], **f) for f in entry.pop("file"))
        sources[entry["id"]] = Source(files=files, **entry)
    return sources


def all_files() -> list[SourceFile]:
    return [f for s in registry().values() for f in s.files]


def source_file(file_id: str) -> SourceFile:
    by_id = {f.id: f for f in all_files()}
    if file_id not in by_id:
        raise UnknownChoice("source file", file_id, by_id)
    return by_id[file_id]


def sha256_of(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verified_path(file_id: str, raw_dir: Path | None = None) -> Path:
    """The path of a raw file whose bytes match the registry, or a clear error."""
    spec = source_file(file_id)
    path = (raw_dir or paths.raw_dir()) / spec.path
    if not path.exists():
        raise AnalysisError(
            f"{paths.relative(path)}: missing (source file '{file_id}'). "
            f"Run `make data` to fetch it (set DATA_MIRROR to use a mirror)."
        )
    _check(path, spec, paths.relative(path), "Delete it and run `make data` to fetch a fresh copy.")
    return path


def _check(path: Path, spec: SourceFile, shown: str, action: str) -> None:
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise ChecksumMismatch(shown, spec.sha256, actual, action)


# --- fetching ---------------------------------------------------------------


def optional_files() -> list[SourceFile]:
    """Files of sources marked `optional`: a build without them leaves their years out."""
    return [f for s in registry().values() if s.optional for f in s.files]


def absent_notice(spec: SourceFile) -> str:
    """Why an optional file is not here, and how to add it (one line)."""
    source = registry()[spec.source_id]
    return (
        f"{source.short_title or source.id} not present: {source.optional} is left out "
        f"(an optional source). {source.manual} Put it at data/raw/{spec.path} and run "
        "`make reports` again."
    )


@dataclass(frozen=True)
class Fetched:
    """What a fetch did with one file."""

    file_id: str
    status: str  # "present", "fetched", "absent" (an optional file) or "failed"
    detail: str
    bytes: int = 0


def fetch(
    file_ids: list[str] | None = None,
    raw_dir: Path | None = None,
    mirror: str | None = None,
    progress: bool = True,
    report=None,
) -> dict[str, str]:
    """Make every requested raw file present and verified.

    Files already in data/raw are checked, not downloaded again. With a mirror
    (argument or DATA_MIRROR: a folder or an http(s) base URL) files come only
    from there; otherwise from the producer's URL in the registry. An optional
    file that cannot be had is left absent, with the reason. Every file is
    attempted, and each verified file is kept even when others fail; the
    failures are reported together at the end. `report(index, total, Fetched)`
    is called after each file (the command line prints a line).
    Returns {file id: what happened}.
    """
    raw_dir = raw_dir or paths.raw_dir()
    mirror = mirror if mirror is not None else os.environ.get(MIRROR_ENV) or None
    wanted = [source_file(i) for i in file_ids] if file_ids else all_files()
    optional = {f.id for f in optional_files()}
    done: dict[str, str] = {}
    failures: list[AnalysisError] = []
    for index, spec in enumerate(wanted, start=1):
        dest = raw_dir / spec.path
        try:
            if dest.exists():
                _check(
                    dest,
                    spec,
                    paths.relative(dest),
                    "Delete it and run `make data` to fetch a fresh copy.",
                )
                outcome = Fetched(spec.id, "present", "present", spec.bytes)
            else:
                outcome = Fetched(
                    spec.id, "fetched", _download(spec, dest, mirror, progress), spec.bytes
                )
        except (ManualDownloadRequired, FetchError) as exc:
            # Not to be had here (no mirror copy, no download): for an optional file that
            # is no failure. A copy that is here but damaged always is (ChecksumMismatch).
            if spec.id in optional:
                outcome = Fetched(spec.id, "absent", absent_notice(spec))
            else:
                failures.append(exc)
                outcome = Fetched(spec.id, "failed", str(exc).splitlines()[0])
        except AnalysisError as exc:
            failures.append(exc)
            outcome = Fetched(spec.id, "failed", str(exc).splitlines()[0])
        done[spec.id] = outcome.detail
        if report:
            report(index, len(wanted), outcome)
    if failures:
        raise AnalysisError(
            f"{len(failures)} of {len(wanted)} source files could not be made ready "
            "(every file verified so far is kept; run `make data` again to fetch only the rest):"
            "\n\n" + "\n\n".join(str(e) for e in failures)
        )
    return done


def present_optional_files(raw_dir: Path | None = None) -> list[str]:
    """Paths (under data/raw) of the optional files that are here."""
    raw_dir = raw_dir or paths.raw_dir()
    return sorted(f.path for f in optional_files() if (raw_dir / f.path).exists())


def _download(spec: SourceFile, dest: Path, mirror: str | None, progress: bool) -> str:
    source = registry()[spec.source_id]
    if mirror:
        if mirror.startswith(("http://", "https://")):
            location = mirror.rstrip("/") + "/" + spec.path
            _get_http(spec, location, dest, progress, where=f"mirror {location}")
        else:
            location = Path(mirror).expanduser().resolve() / spec.path
            _copy_local(spec, location, dest)
        return f"copied from mirror {location}"
    if source.manual:
        raise ManualDownloadRequired(spec.id, paths.relative(dest), source.manual)
    if not spec.url:
        raise FetchError(
            spec.id,
            [("the registry", "no direct download URL for this file")],
            f"Get it from {source.landing_page} or set {MIRROR_ENV} to a mirror.",
        )
    _get_http(spec, spec.url, dest, progress, where=spec.url)
    return f"downloaded from {spec.url}"


def _copy_local(spec: SourceFile, location: Path, dest: Path) -> None:
    if not location.is_file():
        raise FetchError(
            spec.id,
            [(f"mirror folder {location.parent}", f"no file {location.name}")],
            f"Check {MIRROR_ENV} (it should be the folder holding MANIFEST.csv).",
        )
    with atomic_path(dest) as tmp:
        with open(location, "rb") as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out)
        _check(
            tmp,
            spec,
            f"{location} (mirror copy)",
            "Replace the mirror's copy with the producer's file, or fix the registry entry.",
        )


def _get_http(spec: SourceFile, url: str, dest: Path, progress: bool, where: str) -> None:
    import pooch  # imported here: it pulls in requests, slow to import for the rest of the CLI

    # pooch's bar shows a long download while it runs; the fetch prints a line when it ends.
    downloader = pooch.HTTPDownloader(
        progressbar=progress,
        timeout=60,
        headers={"User-Agent": "sanctuary-counties (research data fetch)"},
    )
    with atomic_path(dest) as tmp:
        try:
            downloader(url, str(tmp), None)
        except Exception as exc:  # network errors come in many types; all mean "not reachable"
            raise FetchError(
                spec.id,
                [(where, f"{type(exc).__name__}: {exc}")],
                f"Check the network, or set {MIRROR_ENV} to a mirror.",
            ) from exc
        _check(
            tmp,
            spec,
            f"{url} (download)",
            "The producer may have re-issued the file: compare it, then update data/sources.toml.",
        )
