"""County identity: 5-digit FIPS strings on 2015 boundaries.

Sources from before 2015 use codes that changed, and so do sources from 2020 on
(Alaska's Valdez-Cordova split, Connecticut's planning regions). Each change is
applied here, explicitly, and recorded in the build log; nothing is dropped
silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import ValidationError
from ..sources.buildlog import FileAccount

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

# Areas created after 2015 by splitting a 2015 county exactly along old lines: their
# rows are put back together into the 2015 county, by the same rules as a merge.
REUNITED = {
    "02261": (
        ("02063", "02066"),
        "Valdez-Cordova Census Area, AK (02261), split in 2019 into Chugach (02063) and "
        "Copper River (02066) Census Areas, which together make up 02261 exactly",
    )
}
# Connecticut's 9 planning regions replaced its 8 counties in Census and BLS files of
# 2022 geography. Regions do not nest in counties, so their values cannot be allocated.
CT_PLANNING_REGIONS = {
    "09110": "Capitol",
    "09120": "Greater Bridgeport",
    "09130": "Lower Connecticut River Valley",
    "09140": "Naugatuck Valley",
    "09150": "Northeastern Connecticut",
    "09160": "Northwest Hills",
    "09170": "South Central Connecticut",
    "09180": "Southeastern Connecticut",
    "09190": "Western Connecticut",
}
CT_COUNTIES = ("09001", "09003", "09005", "09007", "09009", "09011", "09013", "09015")
PLANNING_REGION_REASON = (
    "Connecticut planning region (2022 geography): regions do not nest in the 2015 "
    "counties, so the file gives no value for Connecticut's 8 counties"
)

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
    """Recode old county codes to 2015 ones, merging rows where counties merged,
    putting back together 2015 counties split since (REUNITED), and setting aside
    codes of areas whose values cannot be allocated (split areas, Connecticut's
    planning regions).

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
    frame = account.drop(frame, frame["fips"].isin(CT_PLANNING_REGIONS), PLANNING_REGION_REASON)
    frame = _reunite(frame, account, keys, rules or {})
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
            where = f"{account.path}: merging {change.old} into {change.new} ({change.note})"
            for col in frame.columns.difference(keys + ["_row"]):
                frame.loc[t, col] = _combine(new, old, col, (rules or {}).get(col), where)
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


def _combine(new: pd.Series, old: pd.Series, column: str, rule: Rule | None, where: str):
    if rule is None:
        raise ValidationError(f"{where}: no rule to merge column {column!r}.")
    if rule == SUM:
        return new[column] + old[column]
    if rule == KEEP_TARGET:
        return new[column]
    if rule == MISSING:
        return np.nan
    return rule(new, old)


def _reunite(
    frame: pd.DataFrame, account: FileAccount, keys: list[str], rules: dict
) -> pd.DataFrame:
    """The rows of a split 2015 county's parts, combined into one row of that county:
    the first part's row carries the combined values under the 2015 code, the others
    are set aside as combined into it."""
    for whole, (parts, note) in REUNITED.items():
        present = frame["fips"].isin(parts)
        if not present.any():
            continue
        if (frame["fips"] == whole).any():
            raise ValidationError(
                f"{account.path}: holds both {whole} and its parts {', '.join(parts)} ({note})"
            )
        absorbed = []
        for _, rows in frame[present].groupby(keys[1:] or (lambda _: 0)):
            if sorted(rows["fips"]) != sorted(parts):
                raise ValidationError(
                    f"{account.path}: holds {', '.join(sorted(rows['fips']))}, not exactly the "
                    f"parts {', '.join(parts)} of {whole} ({note}); cannot rebuild {whole}."
                )
            first, *others = rows.index
            for other in others:
                combined = {
                    column: _combine(
                        frame.loc[first], frame.loc[other], column, rules.get(column), account.path
                    )
                    for column in frame.columns.difference(keys + ["_row"])
                }
                for column, value in combined.items():
                    frame.loc[first, column] = value
                absorbed.append(other)
            frame.loc[first, "fips"] = whole
        detail = ", ".join(
            f"{c}: {r if isinstance(r, str) else 'derived'}" for c, r in sorted(rules.items())
        )
        account.recoded.append(
            {"from": " + ".join(parts), "to": whole, "rows": len(absorbed), "why": note}
        )
        frame = account.drop(
            frame, frame.index.isin(absorbed), f"combined into {whole} ({note}); as {detail}"
        )
    return frame
