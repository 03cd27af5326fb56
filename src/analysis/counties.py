"""County identity: 5-digit FIPS strings on 2015 boundaries.

Sources from before 2015 use codes that changed. Each change is applied here,
explicitly, and recorded in the build log; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .buildlog import FileAccount
from .errors import ValidationError

FIPS_PATTERN = r"^\d{5}$"
# State codes of territories: outside the 50 states and DC that this project covers.
TERRITORIES = {
    "60": "American Samoa",
    "66": "Guam",
    "69": "Northern Mariana Islands",
    "72": "Puerto Rico",
    "78": "US Virgin Islands",
}


def drop_territories(
    frame: pd.DataFrame, account: FileAccount, state_column: str, key: str = "fips"
) -> pd.DataFrame:
    """Set aside rows of US territories, naming the territory in the reason."""
    for code, name in TERRITORIES.items():
        frame = account.drop(
            frame, frame[state_column] == code, f"{name}: outside the 50 states and DC", key=key
        )
    return frame


@dataclass(frozen=True)
class BoundaryChange:
    old: str
    new: str
    kind: str  # "renamed": same area, new code; "merged": old area joined the new one
    note: str


BOUNDARY_CHANGES = {
    c.old: c
    for c in [
        BoundaryChange(
            "46113",
            "46102",
            "renamed",
            "Shannon County, SD, renamed Oglala Lakota County in 2015: same area, new code",
        ),
        BoundaryChange(
            "02270",
            "02158",
            "renamed",
            "Wade Hampton Census Area, AK, renamed Kusilvak Census Area in 2015: "
            "same area, new code",
        ),
        BoundaryChange(
            "51515",
            "51019",
            "merged",
            "Bedford city, VA, became part of Bedford County on 1 July 2013",
        ),
        BoundaryChange(
            "51560",
            "51005",
            "merged",
            "Clifton Forge city, VA, became part of Alleghany County in 2001",
        ),
        BoundaryChange(
            "51780",
            "51083",
            "merged",
            "South Boston city, VA, became part of Halifax County in 1995",
        ),
    ]
}

# Codes some sources still carry for areas that were split among several 2015
# counties: their values cannot be allocated, so those rows are set aside.
RETIRED_CODES = {
    "02201": "Prince of Wales-Outer Ketchikan Census Area, AK, split in 2008 among "
    "Prince of Wales-Hyder (02198), Ketchikan Gateway (02130) and Wrangell (02275)",
    "02232": "Skagway-Hoonah-Angoon Census Area, AK, split in 2007 into Skagway (02230) "
    "and Hoonah-Angoon (02105)",
    "02280": "Wrangell-Petersburg Census Area, AK, split in 2008 into Wrangell (02275) "
    "and Petersburg (02195)",
    "30113": "Yellowstone National Park, MT, not a county since 1997: part of Gallatin (30031) "
    "and Park (30067) Counties",
}

# How to combine a merged county's value with its new county's value.
SUM = "sum"  # additive counts
KEEP_TARGET = "keep"  # a class or label of the surviving county (e.g. its urban-rural code)
MISSING = "missing"  # not additive (a median): the combined value is unknown
Rule = str | Callable[[pd.Series, pd.Series], float]


def fips_from_parts(state, county) -> pd.Series:
    """Join state and county codes (numbers or text) into 5-character FIPS strings."""
    return _digits(state, 2) + _digits(county, 3)


def pad_fips(codes) -> pd.Series:
    """Restore leading zeros lost when a source stored FIPS as numbers."""
    return _digits(codes, 5)


def _digits(values, width: int) -> pd.Series:
    s = pd.Series(values)
    if pd.api.types.is_numeric_dtype(s):
        s = s.astype("int64").astype(str)
    else:
        s = s.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    return s.str.zfill(width)


def to_2015_boundaries(
    frame: pd.DataFrame, account: FileAccount, rules: dict[str, Rule] | None = None
) -> pd.DataFrame:
    """Recode old county codes to 2015 ones, merging rows where counties merged
    and setting aside codes of areas that were split.

    `rules` says, for every value column, how a merged county's value combines
    with its new county's (SUM, KEEP_TARGET, MISSING, or a function of the two
    rows); a merge without a rule for a column is an error, not a guess.
    """
    keys = ["fips"] + (["year"] if "year" in frame.columns else [])
    frame = frame.copy()
    for code, why in RETIRED_CODES.items():
        frame = account.drop(
            frame,
            frame["fips"] == code,
            f"retired code {code}: {why}; its values cannot be allocated",
        )
    for change in BOUNDARY_CHANGES.values():
        old_rows = frame.index[frame["fips"] == change.old]
        if len(old_rows) == 0:
            continue
        if change.kind == "renamed":
            clash = frame[frame["fips"] == change.new]
            if len(clash):
                raise ValidationError(
                    f"{account.path}: holds both {change.old} and {change.new} ({change.note}); "
                    "cannot tell which row is right."
                )
            frame.loc[old_rows, "fips"] = change.new
            account.recoded.append(
                {"from": change.old, "to": change.new, "rows": len(old_rows), "why": change.note}
            )
            continue
        merged = []
        for i in old_rows:
            old = frame.loc[i]
            match = frame["fips"] == change.new
            if "year" in keys:
                match &= frame["year"] == old["year"]
            target = frame.index[match]
            if len(target) == 0:  # the new county is absent: the old row stands in for it
                frame.loc[i, "fips"] = change.new
                account.recoded.append(
                    {"from": change.old, "to": change.new, "rows": 1, "why": change.note}
                )
                continue
            t = target[0]
            new = frame.loc[t]
            for col in frame.columns.difference(keys + ["_row"]):
                rule = (rules or {}).get(col)
                if rule is None:
                    raise ValidationError(
                        f"{account.path}: no rule to merge column {col!r} of {change.old} into "
                        f"{change.new} ({change.note})."
                    )
                if rule == SUM:
                    value = new[col] + old[col]
                elif rule == KEEP_TARGET:
                    value = new[col]
                elif rule == MISSING:
                    value = np.nan
                else:
                    value = rule(new, old)
                frame.loc[t, col] = value
            merged.append(i)
        if merged:
            detail = ", ".join(
                f"{c}: {r if isinstance(r, str) else 'derived'}"
                for c, r in sorted((rules or {}).items())
            )
            mask = frame.index.isin(merged)
            frame = account.drop(
                frame, mask, f"merged into {change.new} ({change.note}); combined as {detail}"
            )
    return frame
