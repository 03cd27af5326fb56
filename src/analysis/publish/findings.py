"""The findings in words: what a page says of an estimate, the same way everywhere.

Notebooks state findings with these functions, so a page's sentence, the index's line
and the README's finding come from one wording, tested here, and a reader sees the
definition's label (data/definitions.toml), never its id, and money in whole dollars.

- event studies: `event_summary` (was the gap there before, was it moving, what happened
  after, and how large a violation of parallel trends the average survives) and
  `across_specifications`;
- matched comparisons: `matched` and `sensitivity` (Rosenbaum's Gamma, the E-value);
- neighbouring counties: `border`;
- the crime difference-in-differences: `did`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..compare.event import AFTER_AVERAGE, BREAKDOWN_MAX
from ..panels.units import DEFAULT_UNIT
from ..panels.units import unit as lookup_unit
from . import labels

# Above this placebo-state p-value a change is not called a rise or a fall.
PLACEBO_LEVEL = 0.10


def event_summary(table: pd.DataFrame, level: float = 0.05) -> pd.DataFrame:
    """One row per outcome (and specification): the gap in the reference year, the
    pre-trend test (`gaps_before`: was it already moving, pre-trend p below `level`),
    the average change after adoption with its interval, and its `answer` in one short
    sentence (`_answer`); what the answers leave out is `event_caveats`'s."""
    keys = [k for k in ("outcome", "controls", "covariates") if k in table.columns]
    rows = []
    for key, part in table.groupby(keys, sort=False):
        first = part.iloc[0]
        after = part[part["term"] == AFTER_AVERAGE]
        if after.empty or np.isnan(after["estimate"].iloc[0]):
            # Said, not dropped: the page's answer must not move on to the next outcome.
            said = f"{labels.short(first['outcome'])}: {first['note']}"
            rows.append({**dict(zip(keys, key, strict=True)), "answer": said})
            continue
        after = after.iloc[0]
        p = first["pretrend_p_value"]
        moving = bool(p < level) if not np.isnan(p) else None
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "answer": _answer(after, moving),
                "reference_relative_year": first["reference_relative_year"],
                "level_gap_at_reference": first["level_gap_at_reference"],
                "gaps_before": {True: "yes", False: "no", None: "untested"}[moving],
                "pretrend_p_value": p,
                "estimate": after["estimate"],
                "ci_low": after["ci_low"],
                "ci_high": after["ci_high"],
                "n_focal": after["n_focal"],
                "n_comparison": after["n_comparison"],
                "breakdown_mbar": after.get("breakdown_mbar", np.nan),
                "placebo_p": after.get("placebo_p", np.nan),
            }
        )
    return pd.DataFrame(rows)


def _answer(after, moving: bool | None) -> str:
    """The average change after adoption in one short sentence, its numbers beside it in
    the page's table and its caveats in one paragraph (`event_caveats`): 'Poverty: fell
    by 0.57 percentage points relative to the controls (95 % interval -0.80 to -0.34).'"""
    outcome = after["outcome"]
    name = labels.short(outcome)
    signed = labels.signed(after["estimate"], 2, outcome)
    way = "fell" if after["estimate"] < 0 else "rose"
    placebo = after.get("placebo_p", np.nan)
    if pd.notna(placebo):
        if placebo > PLACEBO_LEVEL:
            said = f"({signed}, p = {placebo:.2f})"
            return f"{name}: no change beyond what placebo states show {said}"
        said = f"{name}: {way} by {_amount(after['estimate'], outcome)}, more than in all but "
        said += f"a few placebo states (p = {placebo:.2f})"
    else:
        bounds = (
            f"95 % interval {labels.signed(after['ci_low'], 2, outcome)} to "
            f"{labels.signed(after['ci_high'], 2, outcome)}"
        )
        if after["ci_low"] <= 0 <= after["ci_high"]:
            return f"{name}: no clear change after adoption ({signed}, {bounds})"
        said = f"{name}: {way} by {_amount(after['estimate'], outcome)} relative to the "
        said += f"controls ({bounds})"
    return said + ("; the trends before already differed" if moving else "")


def event_caveats(summary: pd.DataFrame, adopters: str) -> list[str]:
    """What an event study's short answers leave out, once for every outcome: the gap
    before adoption, the trends that already differed, how large a violation of parallel
    trends a change survives, and what the placebo states are for. `summary` is
    `event_summary`'s table; `adopters` names the adopting units ('cities')."""
    rows = summary.dropna(subset=["estimate"]) if "estimate" in summary else summary.iloc[:0]
    said = []
    if rows.empty:
        return said
    for reference, part in rows.groupby("reference_relative_year", sort=False):
        gaps = [
            f"{labels.short(r.outcome).lower()} {_amount(r.level_gap_at_reference, r.outcome)} "
            f"{'lower' if r.level_gap_at_reference < 0 else 'higher'}"
            for r in part.itertuples()
        ]
        when = _when(reference)
        said.append(
            f"{when[0].upper()}{when[1:]} the adopting {adopters} already differed from the "
            f"controls: {_listed(gaps)}; an event study measures the change from there."
        )
    moving = rows[rows["gaps_before"] == "yes"]
    if len(moving):
        names = [
            f"{labels.short(r.outcome).lower()} ({_p(r.pretrend_p_value)})"
            for r in moving.itertuples()
        ]
        said.append(
            f"For {_listed(names)} the gap was already moving before adoption (pre-trend "
            "test), so the change after cannot be read as the policies' effect."
        )
    untested = rows[rows["gaps_before"] == "untested"]
    if len(untested):
        names = _listed([labels.short(o).lower() for o in untested["outcome"]])
        said.append(f"For {names} no earlier years tell whether the gap was already moving.")
    placebo = rows.get("placebo_p", pd.Series(np.nan, index=rows.index))
    for (_, r), p in zip(rows.iterrows(), placebo):
        if pd.notna(p) and p > PLACEBO_LEVEL:
            continue
        survives = breakdown(r)
        if survives and not survives.startswith("with no clear change"):
            said.append(survives[0].upper() + survives[1:] + ".")
    if placebo.notna().any():
        said.append(
            "One state made the law, so the placebo states, each given the law in its place "
            "in turn, say whether a change is out of the ordinary; p is the share of their "
            "estimates at least as large, and the intervals in the table are too narrow."
        )
    return said


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _when(reference: int) -> str:
    years = -int(reference)
    return "in the year before adoption" if years == 1 else f"{years} years before adoption"


def _amount(value: float, outcome: str) -> str:
    """An absolute difference in the outcome's own words: '1.80 points', '$7,554'."""
    size = abs(value)
    if outcome.endswith("_pct"):
        return f"{size:.2f} percentage points"
    if labels.in_dollars(outcome):
        return f"${size:,.0f}"
    return f"{size:,.1f} {labels.unit(outcome)}"


def across_specifications(checks: pd.DataFrame) -> list[str]:
    """Per outcome of an `event_variants` table: the range of the average change after
    adoption over the specifications, and in how many its 95 % interval excludes zero."""
    sentences = []
    for outcome, rows in checks.dropna(subset=["estimate"]).groupby("outcome", sort=False):
        clear = int(((rows["ci_low"] > 0) | (rows["ci_high"] < 0)).sum())
        low, high = rows["estimate"].min(), rows["estimate"].max()
        sentences.append(
            f"{labels.short(outcome)}: from {labels.signed(low, 2, outcome)} to "
            f"{labels.signed(high, 2, outcome)} across {len(rows)} specifications; the 95 % "
            f"interval excludes zero in {clear} of {len(rows)}"
        )
    return sentences


def cleaner_controls(checks: pd.DataFrame, base: str, cleaner: str) -> list[str]:
    """Per outcome: whether leaving out of the controls the places local lists mark moves
    the average change after adoption (the `base` and `cleaner` specifications)."""
    sentences = []
    for outcome, rows in checks.dropna(subset=["estimate"]).groupby("outcome", sort=False):
        rows = rows.set_index("specification")
        if base not in rows.index or cleaner not in rows.index:
            continue
        before, after = rows.loc[base], rows.loc[cleaner]
        moved = abs(after["estimate"] - before["estimate"])
        spread = max(before["ci_high"] - before["ci_low"], 1e-12) / 2
        said = "barely moves" if moved < spread / 2 else "moves"
        p = ""
        if pd.notna(before.get("placebo_p", np.nan)) and pd.notna(after.get("placebo_p", np.nan)):
            p = f"; p {before['placebo_p']:.2f} and {after['placebo_p']:.2f}"
        sentences.append(
            f"{labels.short(outcome)}: leaving locally listed places out of the controls "
            f"{said} the answer ({labels.signed(before['estimate'], 2, outcome)} to "
            f"{labels.signed(after['estimate'], 2, outcome)}{p})"
        )
    return sentences


def breakdown(after) -> str:
    """The breakdown value of an event study's average after adoption, in words: how
    large a violation of parallel trends after adoption, relative to the largest one
    before, the conclusion survives (Rambachan and Roth). "" when not computed."""
    m = after.get("breakdown_mbar", np.nan) if hasattr(after, "get") else np.nan
    if m is None or (isinstance(m, float) and np.isnan(m)):
        return ""
    outcome = after["outcome"]
    name = labels.short(outcome).lower()
    change = "decline" if after["estimate"] < 0 else "rise"
    if after["ci_low"] <= 0 <= after["ci_high"] or m == 0:
        return (
            "with no clear change to survive, the robust intervals (Rambachan-Roth) include "
            "zero even if the trends after adoption are exactly parallel"
        )
    if np.isinf(m):
        return (
            f"the {name} {change} survives a post-adoption violation of parallel trends of "
            f"more than {BREAKDOWN_MAX:g} times the largest pre-adoption one "
            "(Rambachan-Roth breakdown value)"
        )
    return (
        f"the {name} {change} survives a post-adoption violation of parallel trends up to "
        f"{m:.2f} times the largest pre-adoption one (Rambachan-Roth breakdown value)"
    )


def matched(row, year: int | None = None) -> str:
    """'ICE 2014 table, 2016: after matching on the 2017 CAP report's covariates, the
    difference in total crime (crimes per 10,000 residents) is +25.4 (95 % interval -0.6
    to +51.5), sanctuary minus comparison (149 vs 2,918 counties).'"""
    unit = row.get("unit", "county")
    year = row["year"] if year is None else year
    covariates = labels.covariate_set(row["covariates"]) if row.get("covariates") else "nothing"
    return (
        f"{labels.definition(row['definition'])}, {year}: after matching on {covariates}, "
        f"the difference in {_variable(row['outcome'])} is "
        f"{labels.interval(row)}, {row['focal_group']} minus comparison "
        f"({int(row['n_focal']):,} vs {labels.units(unit, int(row['n_comparison']))})."
    )


def funnel(row, n_listed: int, n_others: int) -> str:
    """Who is compared, from the list to the matched estimate, in one line: 'Who is
    compared: 193 sanctuary cities on the list and 11,130 comparison cities (all others)
    → 188 and 9,262 in the data for 2016 → 166 and 3,215 of 10,000 residents or more →
    165 and 3,207 with every value the matching of violent crime needs.' `row` is a
    match result row (of the page's first outcome), whose counts of
    units left out at each step (absent that year, under the size cut, a value missing)
    make the steps; a step that leaves out no one is not shown."""
    plural = lookup_unit(row.get("unit", DEFAULT_UNIT.name)).plural
    listed = f"{n_listed:,} {row['focal_group']} {plural} on the list"
    group = labels.with_labels(row.get("comparison") or "all others")
    steps = [f"{listed} and {n_others:,} comparison {plural} ({group})"]
    focal, others = n_listed, n_others

    def step(left_focal, left_others, words):
        nonlocal focal, others
        left_focal, left_others = _count(row, left_focal), _count(row, left_others)
        if left_focal or left_others:
            focal, others = focal - left_focal, others - left_others
            steps.append(f"{focal:,} and {others:,} {words}")

    step("n_absent_focal", "n_absent_comparison", f"in the data for {int(row['year'])}")
    if pd.notna(row.get("min_population", np.nan)):
        cut = row["min_population"]
        step("n_below_population_focal", "n_below_population_comparison",
             f"of {cut:,.0f} residents or more")  # fmt: skip
    steps.append(
        f"{int(row['n_focal']):,} and {int(row['n_comparison']):,} with every value the "
        f"matching of {labels.short(row['outcome']).lower()} needs"
    )
    return "Who is compared: " + " → ".join(steps) + "."


def _count(row, column: str) -> int:
    value = row.get(column, 0)
    return 0 if pd.isna(value) else int(value)


def sensitivity(row) -> str:
    """How strong a hidden confounder would have to be to explain a matched difference
    away: Rosenbaum's Gamma and the E-value, in words."""
    name = labels.short(row["outcome"])
    one = lookup_unit(row.get("unit", DEFAULT_UNIT.name)).singular
    gamma = row.get("rosenbaum_gamma", np.nan)
    e_point, e_limit = row.get("e_value", np.nan), row.get("e_value_ci", np.nan)
    parts = []
    if pd.notna(gamma):
        if gamma <= 1:
            parts.append(
                f"{name}: the matched difference is not significant even without hidden bias "
                "(Rosenbaum's Gamma 1)"
            )
        else:
            parts.append(
                f"{name}: a hidden confounder that made a {one} {gamma:.2f} times as likely "
                "as its match to be on the list could explain the difference away "
                "(Rosenbaum's Gamma)"
            )
    if pd.notna(e_point):
        parts.append(
            f"its E-value is {e_point:.2f}: an unmeasured confounder associated with both "
            f"the list and the outcome by a risk ratio of {e_point:.2f} could explain the "
            f"estimate away ({e_limit:.2f} for the interval's limit nearest zero)"
        )
    return "; ".join(parts)


def _variable(outcome: str) -> str:
    """'total crime (crimes per 10,000 residents)': the label, lower case, and its unit."""
    return f"{labels.short(outcome).lower()} ({labels.unit(outcome)})"


def border(row) -> str:
    """The neighbouring-county comparison in words."""
    change = pd.isna(row.get("year"))
    when = (
        f"from {row['years_before']} to {row['years_after']}"
        if change
        else f"in {int(row['year'])}"
    )
    what = "the change in " if change else ""
    return (
        f"Next door: across {int(row['n_pairs']):,} pairs of neighbouring counties on either "
        f"side of the line ({int(row['n_focal'])} {row['focal_group']}, "
        f"{int(row['n_comparison'])} neighbours), {what}"
        f"{_variable(row['outcome'])} {when} differs by {labels.interval(row)}, "
        f"{row['focal_group']} minus neighbour ({labels.direction(row)})."
    )


def then_and_now(table: pd.DataFrame) -> str:
    """The first outcome's matched difference in the first and the last year of a table
    (years stacked), in one sentence: 'Poverty rate: -0.53 points in 2016 (95 % interval
    …), -0.78 in 2023 (…)'."""
    outcome = table["outcome"].iloc[0]
    rows = table[table["outcome"] == outcome].sort_values("year")
    said = [f"{labels.interval(row)} in {int(row['year'])}" for _, row in rows.iterrows()]
    first = rows.iloc[0]
    return (
        f"{labels.definition(first['definition'])}: matched, the difference in "
        f"{_variable(outcome)} was {' and '.join(said)}, {first['focal_group']} minus "
        "comparison."
    )


def did(row) -> str:
    """The difference-in-differences in words: 'ICE 2014 table: total crime changed by
    +12.3 (95 % interval …) crimes per 10,000 residents more in sanctuary counties than in
    the comparison counties from 2010/2012 to 2016 (no clear difference).'"""
    outcome = row["outcome"]
    unit = labels.units(row.get("unit", "county"))
    direction = labels.direction(row).replace("not clearly different", "no clear difference")
    measure = "percentage points" if outcome.endswith("_pct") else labels.unit(outcome)
    measure = "" if labels.in_dollars(outcome) else f" {measure}"
    return (
        f"{labels.definition(row['definition'])}: {labels.short(outcome).lower()} changed by "
        f"{labels.interval(row)}{measure} more in {row['focal_group']} {unit} "
        f"than in the comparison {unit} from {_years(row['years_before'])} to "
        f"{_years(row['years_after'])} "
        f"({direction})."
    )


def _years(years) -> str:
    """'2010/2012' for a table's '2010,2012'."""
    return str(years).replace(",", "/")


def synthetic_control(row) -> str:
    """A state law against its synthetic state, in one short sentence, the placebo states
    deciding whether the gap is out of the ordinary: 'CA (law of 2018), violent crime:
    0.4 crimes per 10,000 residents above its synthetic self, an ordinary gap among
    placebo states (p = 0.97).'"""
    outcome, estimate = row["outcome"], row["estimate"]
    side = "above" if estimate >= 0 else "below"
    gap = f"{_amount(estimate, outcome)} {side} its synthetic self"
    p = row["placebo_p"]
    if p > PLACEBO_LEVEL:
        verdict = f"an ordinary gap among placebo states (p = {p:.2f})"
    else:
        verdict = f"larger than all but a few placebo states' gaps (p = {p:.2f})"
    said = (
        f"{row['treated_state']} (law of {int(row['adoption_year'])}), "
        f"{labels.short(outcome).lower()}: {gap}, {verdict}"
    )
    return said + "."


def laws_against_placebos(laws: pd.DataFrame) -> str:
    """How many state laws left their state further from its synthetic self than most
    placebo states, for one outcome (a `synth` table's rows, one per law): the answer of
    a page that judges laws as states."""
    judged = laws.dropna(subset=["placebo_p"])
    if judged.empty:
        return "No state law in these years has placebo states to be judged against."
    outcome = judged["outcome"].iloc[0]
    unusual = judged[judged["placebo_p"] <= PLACEBO_LEVEL]
    others = len(judged) - len(unusual)
    sides = [
        f"{_listed(list(part['treated_state']))} {side}"
        for side, part in (
            ("above", unusual[unusual["estimate"] >= 0]),
            ("below", unusual[unusual["estimate"] < 0]),
        )
        if len(part)
    ]
    low, high = unusual["placebo_p"].min(), unusual["placebo_p"].max()
    p_range = f"p = {low:.2f}" if low == high else f"p = {low:.2f} to {high:.2f}"
    named = f"{'; '.join(sides)}, {p_range}" if sides else ""
    return (
        f"Judged as states, {len(unusual)} of {len(judged)} state laws left "
        f"{labels.short(outcome).lower()} further from their synthetic state than most placebo "
        f"states{f' ({named})' if named else ''}"
        + (f"; the other {others} moved no more than states without the law." if others else ".")
    )


def beside_kubrin_bartos(ordinary: int, judged: int) -> str:
    """SB 54's synthetic California beside Kubrin and Bartos (2020): agreeing with their
    null ('neither robust nor sufficiently large to rule out a null') only where every
    outcome's gap is ordinary among the placebo states."""
    if not judged:
        return "SB 54: no crime outcome of California's could be judged against placebo states."
    said = (
        f"SB 54: in {ordinary} of {judged} crime outcomes California's gap from its synthetic "
        f"self is ordinary among placebo states (p above {PLACEBO_LEVEL:.2f})"
    )
    if ordinary == judged:
        return f"{said}, as Kubrin and Bartos (2020) found with their synthetic California."
    return (
        f"{said}; for the other {judged - ordinary} this project and Kubrin and Bartos (2020), "
        "who found no robust effect, disagree."
    )
