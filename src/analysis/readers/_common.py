"""Checks shared by the readers."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import BadValue, MissingColumns


def require_columns(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumns(path, missing, list(map(str, frame.columns)))


def numeric(
    frame: pd.DataFrame,
    column: str,
    path: Path,
    *,
    missing_tokens: Iterable[str] = (),
    thousands: bool = False,
    required: bool = False,
) -> pd.Series:
    """Convert a column to float, strictly.

    Blank cells and the source's documented missing-value tokens become NaN
    (or are errors when `required`); anything else that is not a number raises
    BadValue naming the file's rows (the `_row` column, when the reader set
    one) and the values.
    """
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values):
        out = values.astype("float64")
        blank = pd.Series(False, index=values.index)
    else:
        text = values.astype("string").str.strip()
        if thousands:
            text = text.str.replace(",", "", regex=False)
        blank = (text.isna() | (text == "") | text.isin(list(missing_tokens))).astype(bool)
        out = pd.to_numeric(text.where(~blank), errors="coerce").astype("float64")
    bad = out.isna() & (~blank | required)
    if bad.any():
        rows = frame["_row"][bad] if "_row" in frame else pd.Series(frame.index[bad])
        pairs = list(zip(rows.tolist(), values[bad].tolist()))
        raise BadValue(path, column, pairs, int(bad.sum()))
    return out


def read_sheet(path: Path) -> pd.DataFrame:
    """The first sheet of an Excel file (.xls or .xlsx) as text cells, no header.

    python-calamine directly is several times faster than pandas.read_excel,
    and text cells keep every value as written for the strict conversion above.
    A build reads some workbooks more than once (ERS's holds several years), so the
    parsed sheet is kept while the file is unchanged.
    """
    stat = Path(path).stat()
    return _sheet(str(path), stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=4)
def _sheet(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    return pd.DataFrame(rows).astype("string")


def share_pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator in percent; missing where the denominator is 0."""
    return (100 * numerator / denominator.replace(0, np.nan)).astype("float64")
