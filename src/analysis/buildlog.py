"""Row accounting for a build: what each source file gave, and what was set aside.

Every reader reports the rows it read, the rows it kept and, for every row it
did not keep, the reason and the row's key. The build writes the whole account
as JSON beside its product, so no row disappears without a trace and every
missing value in a product can be traced to its reason.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, sources
from .atomic import write_json


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
                f"(read {self.rows_read}, kept {self.rows_kept}, dropped {accounted - self.rows_kept})"
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

    def open(self, file_id: str) -> tuple[Path, FileAccount]:
        """Verify a raw file and start its account."""
        path = sources.verified_path(file_id, self.raw_dir)
        account = FileAccount(file_id, paths.relative(path), sources.source_file(file_id).sha256)
        self.files.append(account)
        return path, account

    def record_missing(self, column: str, year: int | None, fips: list[str], reason: str) -> None:
        if fips:
            self.missing.append({"column": column, "year": year, "count": len(fips),
                                 "reason": reason, "fips": sorted(fips)})

    def as_dict(self) -> dict:
        return {
            "product": self.product,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "files": [f.as_dict() for f in self.files],
            "missing_values": self.missing,
            "notes": self.notes,
        }

    def write(self, target: Path) -> None:
        write_json(target, self.as_dict())
