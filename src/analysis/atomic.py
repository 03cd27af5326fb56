"""Write-then-rename, so an interrupted build never leaves a half-written file
that Make would take for a finished one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name keeps the target's suffix (tools check it) behind ".tmp".
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(target: Path | str, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(target: Path | str, obj: object) -> None:
    write_text(target, json.dumps(obj, indent=1, ensure_ascii=False, default=str) + "\n")


def write_parquet(target: Path | str, frame) -> None:
    """Write a (Geo)DataFrame to parquet atomically."""
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)
