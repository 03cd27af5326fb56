"""Write-then-rename, so an interrupted build never leaves a half-written file
that Make would take for a finished one.

Files get their mode from the process umask (0644 under umask 022), like any
tool's output, so a site copied to a web server or a panel on a shared drive
is readable by others.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


def _temporary_beside(target: Path) -> Path:
    """Create an empty, uniquely named file beside `target`.

    Not tempfile.mkstemp: it creates files with mode 0600 whatever the umask.
    The name keeps the target's suffix (tools check it) behind ".tmp".
    """
    while True:
        tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = _temporary_beside(target)
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
