"""Errors that tell the user what went wrong, where, and what to do next.

The command line prints these without a traceback; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .paths import relative


class AnalysisError(Exception):
    """Base class: the message is meant for the person running the build."""


class ChecksumMismatch(AnalysisError):
    def __init__(self, path: str, expected: str, actual: str, action: str):
        self.path, self.expected, self.actual = path, expected, actual
        super().__init__(
            f"{path}: sha256 does not match the registry (data/sources.toml).\n"
            f"  expected {expected}\n  actual   {actual}\n"
            f"The file is truncated, altered or a different release. {action}"
        )


class FetchError(AnalysisError):
    def __init__(self, file_id: str, tried: list[tuple[str, str]], advice: str = ""):
        self.file_id, self.tried = file_id, tried
        lines = [f"could not fetch source file '{file_id}':"]
        lines += [f"  tried {where}: {why}" for where, why in tried]
        if advice:
            lines.append(advice)
        super().__init__("\n".join(lines))


class ManualDownloadRequired(AnalysisError):
    def __init__(self, file_id: str, destination: str, instructions: str):
        self.file_id, self.destination = file_id, destination
        super().__init__(
            f"source file '{file_id}' must be downloaded by hand: {instructions}\n"
            f"  Put it at {destination}, or set DATA_MIRROR to a mirror that holds it, "
            f"then run `make data` again."
        )


class SourceFormatError(AnalysisError):
    """A source file is readable but not in the layout its reader expects.

    `path` may be a Path or text: a file inside the project is shown relative
    to it, as a user sees it in the repository."""

    def __init__(self, path, problem: str, action: str = ""):
        self.path = path = relative(path)
        action = action or (
            "Check that the file is the release named in data/sources.toml; "
            "if the producer changed the layout, update its reader in src/analysis/readers/."
        )
        super().__init__(f"{path}: {problem}\n{action}")


class MissingColumns(SourceFormatError):
    def __init__(self, path: str, missing: Iterable[str], found: Iterable[str]):
        self.missing = list(missing)
        found = list(found)
        shown = ", ".join(map(str, found[:25])) + (" ..." if len(found) > 25 else "")
        super().__init__(
            path, f"missing column(s) {', '.join(map(repr, self.missing))}; the file has: {shown}"
        )


class BadValue(SourceFormatError):
    def __init__(self, path: str, column: str, rows: list[tuple[object, object]], total: int):
        self.column, self.rows = column, rows
        shown = "; ".join(f"row {r}: {v!r}" for r, v in rows[:5])
        more = f" (and {total - 5} more)" if total > 5 else ""
        super().__init__(path, f"non-numeric value in column {column!r}: {shown}{more}")


class ValidationError(AnalysisError):
    """A built table breaks its contract (schema, counts, ranges)."""


class UnknownChoice(AnalysisError, ValueError):
    """A parameter value (definition, outcome, method, ...) that does not exist."""

    def __init__(self, kind: str, value: object, valid: Iterable[object]):
        self.kind, self.value, self.valid = kind, value, sorted(map(str, valid))
        super().__init__(f"unknown {kind} {value!r}; valid {kind}s: {', '.join(self.valid)}")


class OutcomeUnavailable(AnalysisError):
    """An outcome that the sources do not give for the requested year."""

    def __init__(self, outcome: str, year: int, years: Sequence[int]):
        self.outcome, self.year, self.years = outcome, year, list(years)
        super().__init__(
            f"outcome {outcome!r} is not available for {year}: the sources give it for "
            f"{', '.join(map(str, years))} only. Choose one of those years, or another outcome."
        )


class EstimationError(AnalysisError):
    """A method cannot give an estimate on this sample (too few counties,
    collinear covariates, a propensity model that does not converge)."""


class NotInBuild(AnalysisError):
    """Data the sources give but this build does not have (an optional file is absent)."""
