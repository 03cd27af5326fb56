"""The pieces every benchmark module uses."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Benchmark:
    name: str
    run: Callable[[], object]
    goal_s: float | None = None
    repeat: int = 5
    setup: Callable[[], object] | None = None
    note: str = ""
    timings: list[float] = field(default_factory=list)


def command(*args: str, env: dict | None = None) -> Callable[[], None]:
    """A benchmark body that runs a command (from the repository root) and checks it worked."""

    def run() -> None:
        result = subprocess.run(
            args, cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})}
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    return run


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
