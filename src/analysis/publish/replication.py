"""Published findings beside the project's own estimates.

data/reference/published_findings.csv records headline results of earlier
studies as published (with citations); `cap_replication` computes this
project's estimate for each figure of the 2017 Center for American Progress
report that the panel can speak to, with the same year and the matching the
report describes, and returns both side by side.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..compare import OUTCOMES, compare
from ..core import paths
from ..panels.load import load_panel

CAP_STUDY = "Wong 2017"
# The CAP report's county-size strata are the NCHS 2013 urban-rural classes.
STRATA = {
    "all counties": None,
    "large central metro": 1,
    "large fringe metro": 2,
    "medium metro": 3,
    "small metro": 4,
    "micropolitan": 5,
    "noncore": 6,
}
COLUMNS = [
    "outcome",
    "stratum",
    "published_estimate",
    "project_estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "n_focal",
    "n_comparison",
    "published_n_sanctuary",
    "definition",
    "year",
    "method",
    "unit",
    "note",
]


def published_findings_path() -> Path:
    return paths.REPO_DIR / "data" / "reference" / "published_findings.csv"


def published_findings() -> pd.DataFrame:
    """Every recorded published finding, as published."""
    return pd.read_csv(published_findings_path())


def cap_replication(
    definition: str = "ice2014",
    year: int = 2015,
    covariates: str = "cap",
    panel: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per CAP figure: the published estimate and this project's matched
    estimate for the same outcome, year and stratum (missing, with a note, where
    the panel has no such outcome)."""
    panel = load_panel() if panel is None else panel
    cap = published_findings()
    cap = cap[cap["study"].str.startswith(CAP_STUDY)].reset_index(drop=True)
    cap["year"] = cap["year"].astype(int)
    rows = []
    for finding in cap.itertuples(index=False):
        row = {
            "outcome": finding.outcome,
            "stratum": finding.stratum,
            "published_estimate": finding.estimate,
            "unit": finding.unit,
            "published_n_sanctuary": finding.n_sanctuary,
            "definition": definition,
            "year": finding.year,
            "method": "match",
            "note": "",
        }
        if finding.outcome not in OUTCOMES:
            rows.append({**row, "note": "not in this project's panel"})
            continue
        stratum = STRATA.get(finding.stratum)
        if stratum is None:
            result = compare(
                definition,
                "match",
                finding.year,
                finding.outcome,
                panel=panel,
                covariates=covariates,
            ).iloc[0]
        else:
            table = compare(
                definition,
                "strata",
                finding.year,
                finding.outcome,
                panel=panel,
                covariates=covariates,
            )
            result = table[table["stratum"] == stratum].iloc[0]
            row["method"] = "match within NCHS class"
        rows.append(
            {
                **row,
                "project_estimate": result["estimate"],
                "ci_low": result["ci_low"],
                "ci_high": result["ci_high"],
                "p_value": result["p_value"],
                "n_focal": result["n_focal"],
                "n_comparison": result["n_comparison"],
                "note": result["note"],
            }
        )
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


def cap_published(outcomes: list[str]) -> pd.DataFrame:
    """The CAP report's published all-county figures for `outcomes`, one row each,
    labelled as a definition ("CAP 2017, published") beside this project's rows."""
    cap = published_findings()
    cap = cap[cap["study"].str.startswith(CAP_STUDY) & (cap["stratum"] == "all counties")]
    cap = cap[cap["outcome"].isin(outcomes)]
    return pd.DataFrame(
        {
            "definition": f"CAP 2017 ({int(cap['n_sanctuary'].iloc[0])} counties, published)",
            "outcome": cap["outcome"].to_numpy(),
            "year": cap["year"].astype(int).to_numpy(),
            "published_estimate": cap["estimate"].to_numpy(),
            "published_n_sanctuary": cap["n_sanctuary"].astype(int).to_numpy(),
        }
    )
