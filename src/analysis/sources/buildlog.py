"""Row accounting for a build: what each source file gave, and what was set aside.

Every reader reports the rows it read, the rows it kept and, for every row it
did not keep, the reason and the row's key. The build writes the whole account
as JSON beside its product, so no row disappears without a trace and every
missing value in a product can be traced to its reason.

The log also records the sha256 of each product the build wrote
("outputs"). Loaders open products through `verified_product`, and the
Makefile checks the same record, so a truncated, edited or outdated product is
rebuilt, never read.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

from .. import sources
from ..core import paths
from ..core.atomic import write_json
from ..core.errors import AnalysisError


@dataclass
class FileAccount:
    file_id: str
    path: str
    sha256: str
    rows_read: int = 0
    rows_kept: int | None = None
    dropped: list[dict] = field(default_factory=list)
    recoded: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def read(self, frame):
        self.rows_read = len(frame)
        return frame

    def drop(self, frame, mask, reason: str, key: str = "fips", list_rows: bool = True):
        """Remove the rows where `mask` holds, recording how many, which, and why.

        `list_rows=False` is for filters whose reason states the rule that
        selects the rows (such as "year other than 2011"), where a list of tens
        of thousands of keys would add nothing.
        """
        mask = mask.to_numpy(dtype=bool) if hasattr(mask, "to_numpy") else mask
        n = int(mask.sum())
        if n:
            entry = {"reason": reason, "count": n}
            if list_rows:
                keys = frame.loc[mask, key] if key in frame else frame.index[mask]
                entry["rows"] = [str(k) for k in keys]
            self.dropped.append(entry)
        return frame.loc[~mask]

    def keep(self, frame):
        """Close the account: every row read is now either kept or dropped with a reason."""
        self.rows_kept = len(frame)
        accounted = self.rows_kept + sum(d["count"] for d in self.dropped)
        if accounted != self.rows_read:
            raise AssertionError(
                f"{self.path}: row accounting does not add up "
                f"(read {self.rows_read}, kept {self.rows_kept}, "
                f"dropped {accounted - self.rows_kept})"
            )
        return frame

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ([], None)}


class BuildLog:
    """The account of one build product (for example the county panel)."""

    def __init__(self, product: str, raw_dir: Path | None = None):
        self.product = product
        self.raw_dir = raw_dir or paths.raw_dir()
        self.files: list[FileAccount] = []
        self.missing: list[dict] = []
        self.notes: list[str] = []
        self.optional: list[dict] = []
        self.sections: dict[str, object] = {}  # product-specific summaries (by name)

    def open(self, file_id: str) -> tuple[Path, FileAccount]:
        """Verify a raw file and start its account."""
        path = sources.verified_path(file_id, self.raw_dir)
        account = FileAccount(file_id, paths.relative(path), sources.source_file(file_id).sha256)
        self.files.append(account)
        return path, account

    def open_optional(self, file_id: str) -> tuple[Path, FileAccount] | None:
        """A file of an optional source, or None when it is not here; either
        way the log says whether the build had it, and why not."""
        spec = sources.source_file(file_id)
        present = (self.raw_dir / spec.path).exists()
        reason = "" if present else sources.absent_notice(spec)
        self.optional.append(
            {
                "source": spec.source_id,
                "file": spec.id,
                "path": f"data/raw/{spec.path}",
                "present": present,
                "reason": reason,
            }
        )
        if reason:
            self.notes.append(reason)
        return self.open(file_id) if present else None

    def record_missing(self, column: str, year: int | None, fips: list[str], reason: str) -> None:
        if fips:
            self.missing.append(
                {
                    "column": column,
                    "year": year,
                    "count": len(fips),
                    "reason": reason,
                    "fips": sorted(fips),
                }
            )

    def as_dict(self, outputs: list[Path] = ()) -> dict:
        """The account; `outputs` are the products written, whose sha256 it records."""
        return {
            "product": self.product,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            # One line per product in the file, which the Makefile reads with sed.
            "outputs": {Path(p).name: sources.sha256_of(Path(p)) for p in outputs},
            "optional_sources": self.optional,
            "files": [f.as_dict() for f in self.files],
            "missing_values": self.missing,
            "notes": self.notes,
            **self.sections,
        }

    def write(self, target: Path, outputs: list[Path] = ()) -> None:
        write_json(target, self.as_dict(outputs))


# --- products --------------------------------------------------------------------


def verified_product(path: Path) -> Path:
    """The path of a processed product whose bytes match its build log, or an error
    of one line that names the file and says what to run."""
    path = Path(path)
    shown = paths.relative(path)
    if not path.exists():
        raise AnalysisError(f"{shown} does not exist yet: run `make data`.")
    stat = path.stat()
    expected = _recorded_outputs(path.parent).get(path.name)
    if expected is None:
        raise AnalysisError(
            f"{shown} has no checksum in its build log (built by an older "
            "version, or its log is gone): run `make data` to rebuild it."
        )
    if _sha256_cached(path, stat.st_mtime_ns, stat.st_size) != expected:
        raise AnalysisError(
            f"{shown} does not match the sha256 its build recorded (truncated "
            "or edited since): run `make data` to rebuild it."
        )
    return path


def recorded_outputs(folder: Path) -> dict[str, str]:
    """Every product's sha256, as the build logs in `folder` record them."""
    return _recorded_outputs(folder)


def _recorded_outputs(folder: Path) -> dict[str, str]:
    recorded: dict[str, str] = {}
    for log in sorted(folder.glob("*.log.json")):
        recorded.update(_outputs_of(log, log.stat().st_mtime_ns))
    return recorded


@functools.lru_cache(maxsize=16)
def _outputs_of(log: Path, mtime_ns: int) -> dict[str, str]:
    try:
        return dict(json.loads(log.read_text()).get("outputs", {}))
    except (ValueError, OSError):
        return {}  # an unreadable log vouches for nothing


@functools.lru_cache(maxsize=16)
def _sha256_cached(path: Path, mtime_ns: int, size: int) -> str:
    return sources.sha256_of(path)
