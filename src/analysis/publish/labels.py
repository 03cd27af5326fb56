"""Words for readers: what each outcome, covariate, definition and table column is
called on a page, with its unit.

Code, CSVs and the command line keep the machine names (`total_crime_per_10k`,
`ci_low`, `n_focal`, `ice2014`); figures, findings and the tables a reader sees use
these labels (a definition's `label` in data/definitions.toml), and
`data_dictionary()` ties the two together for people who download a CSV.
"""

from __future__ import annotations

import functools

from ..core.paths import definitions_file
from ..panels.units import unit as lookup

# outcome or covariate -> (label, unit)
VARIABLES: dict[str, tuple[str, str]] = {
    "total_crime_per_10k": ("Total crime", "crimes per 10,000 residents"),
    "violent_per_10k": ("Violent crime", "crimes per 10,000 residents"),
    "violent_no_rape_per_10k": (
        "Violent crime without rape",
        "murders, robberies and aggravated assaults per 10,000 residents",
    ),
    "property_per_10k": ("Property crime", "crimes per 10,000 residents"),
    "poverty_pct": ("Poverty", "% of people"),
    "unemployment_pct": ("Unemployment", "% of the labour force"),
    "median_household_income": ("Median household income", "US dollars"),
    "labor_force_participation_pct": ("Labour force participation", "% of people 16 and over"),
    "employment_population_pct": ("Employment-population ratio", "% of people 16 and over"),
    "log_population": ("Population (log)", "natural log of residents"),
    "population": ("Population", "residents"),
    "foreign_born_pct": ("Foreign-born", "% of residents"),
    "noncitizen_pct": ("Not US citizens", "% of residents"),
    "hispanic_pct": ("Hispanic or Latino", "% of residents"),
    "nchs_urban_rural_2013": ("NCHS urban-rural class", "1 large central metro to 6 noncore"),
    "rucc_2013": ("Rural-urban continuum code", "1 most urban to 9 most rural"),
    "trump_share_2016": ("Trump vote, 2016", "% of votes cast"),
    "crime_coverage": ("Crime-data coverage", "% of residents in fully reporting agencies"),
    "region_midwest": ("Midwest", "1 for the Census Midwest region"),
    "region_south": ("South", "1 for the Census South region"),
    "region_west": ("West", "1 for the Census West region"),
    "unemployment_rate": ("Unemployment", "% of the labour force"),
    "median_income": ("Median household income", "US dollars"),
}

METHODS: dict[str, str] = {
    "raw": "Difference in means",
    "permutation": "Difference in means, permutation test",
    "match": "Matched on covariates",
    "regression": "Regression on covariates",
    "ipw": "Inverse-probability weighting",
    "strata": "Matched within urban-rural classes",
    "did": "Difference-in-differences",
    "event": "Event study by year since adoption",
    "border": "Neighbouring counties across the line",
}

# table column -> (header a reader sees, what it holds)
COLUMNS: dict[str, tuple[str, str]] = {
    "definition": ("Definition", "id of the sanctuary definition (data/definitions.toml)"),
    "comparison": ("Compared with", "the comparison group"),
    "focal_group": ("Group", "the focal group: sanctuary, or cooperating for a 287(g) list"),
    "year": ("Year", "the year of the outcome"),
    "outcome": ("Outcome", "the outcome compared"),
    "method": ("Method", "the estimator"),
    "estimand": ("Estimand", "what the estimate is an estimate of"),
    "estimate": ("Estimate", "focal minus comparison, in the outcome's unit"),
    "std_error": ("Std. error", "standard error of the estimate"),
    "ci_low": ("95 % CI, low", "lower end of the 95 % confidence interval"),
    "ci_high": ("95 % CI, high", "upper end of the 95 % confidence interval"),
    "p_value": ("p-value", "two-sided p-value for no difference"),
    "n_focal": ("Focal counties", "counties of the focal (usually sanctuary) group used"),
    "n_comparison": ("Comparison counties", "counties of the comparison group used"),
    "n_dropped_focal": ("Focal dropped", "focal counties left out for a missing value"),
    "n_dropped_comparison": ("Comparison dropped", "comparison counties left out"),
    "n_overlap_excluded": ("In both lists", "counties on both lists, kept in the focal group"),
    "weights": ("Weights", "none, or population"),
    "covariates": ("Covariates", "the covariate set adjusted for"),
    "se_method": ("Errors", "how the standard error was computed"),
    "note": ("Note", "what a reader should know about the row"),
    "stratum": ("Class", "NCHS urban-rural class code"),
    "stratum_label": ("Urban-rural class", "NCHS 2013 urban-rural class"),
    "covariate": ("Covariate", "a matching covariate"),
    "mean_focal": ("Focal mean", "mean among focal counties"),
    "mean_comparison": ("Comparison mean", "mean among comparison counties"),
    "mean_comparison_matched": (
        "Matched comparison mean",
        "mean among matched comparison counties",
    ),
    "smd_before": ("SMD before", "standardised mean difference before matching"),
    "smd_after": ("SMD after", "standardised mean difference after matching"),
    "imbalanced_after": ("Imbalanced", "|SMD| above 0.1 after matching"),
    "pretrend_p_value": ("Pre-trend p-value", "joint test that the gaps before 2014 are zero"),
    "years_before": ("Years before", "the years before the policies"),
    "years_after": ("Years after", "the years after"),
    "published_estimate": ("Published", "the figure as published"),
    "project_estimate": ("This project", "this project's estimate for the same comparison"),
    "published_n_sanctuary": ("Published counties", "sanctuary counties in the publication"),
    "unit": (
        "Unit",
        "in comparisons: county, or city (a Census place in the FBI's city table); in the "
        "published findings: the unit of the estimate",
    ),
    "study": ("Study", "the publication"),
    "source_note": ("Notes", "data and design of the study, as published"),
    "specifications": ("Specifications", "specifications estimated"),
    "share_lower_pct": ("Lower (%)", "% of specifications with sanctuary counties lower"),
    "share_higher_pct": ("Higher (%)", "% with sanctuary counties higher"),
    "share_clearly_lower_pct": ("Clearly lower (%)", "% whose 95 % interval is below zero"),
    "share_clearly_higher_pct": ("Clearly higher (%)", "% whose 95 % interval is above zero"),
    "median_estimate": ("Median estimate", "median of the estimates"),
    "not_estimable": ("Not estimable", "specifications that could not be estimated"),
    "title": ("Title", "what the definition is"),
    "marks as": ("Marks counties as", "sanctuary or cooperating"),
    "describes": ("Describes", "when the list describes"),
    "counties": ("Counties", "counties the definition marks"),
    "population_share_pct": ("Population (%)", "% of US residents in those counties"),
    "source": ("Source", "the list file"),
    "row": ("Row", "row of the list file"),
    "raw": ("As listed", "the entry as printed"),
    "unresolved_reason": ("Why unresolved", "why no county could be named"),
    "flags": ("Flags", "what was noticed about the entry"),
    "fips": ("FIPS", "county FIPS code(s)"),
    "term": ("Term", "a year relative to adoption, the reference year, or the average after"),
    "relative_year": ("Year since adoption", "calendar year minus the county's adoption year"),
    "period": ("Period", "before or after adoption"),
    "calendar_years": ("Calendar years", "the calendar years this relative year covers"),
    "n_sanctuary": ("Adopting counties", "focal counties observed in this relative year"),
    "n_control": ("Control counties", "counties never listed (the controls) used"),
    "controls": ("Controls", "never: never-listed counties; not_yet: also not-yet-listed years"),
    "reference_relative_year": ("Reference", "the relative year estimates are measured from"),
    "min_coverage": ("Coverage cut (%)", "crime county-years below this coverage left out"),
    "n_below_coverage_focal": ("Focal below cut", "focal counties left out by min_coverage"),
    "n_below_coverage_comparison": (
        "Comparison below cut",
        "comparison counties left out by min_coverage",
    ),
    "gaps_before": ("Gap moving before?", "whether the pre-trend test rejects at 5 %"),
    "level_gap_at_reference": (
        "Gap in the reference year",
        "adopting counties minus controls in the reference year, in the outcome's unit",
    ),
    "specification": ("Specification", "controls and conditioning of the event study"),
    "rosenbaum_gamma": (
        "Hidden bias to explain it (Gamma)",
        "Rosenbaum's Gamma at which the matched signed-rank test stops rejecting at 5 %",
    ),
    "e_value": ("E-value", "VanderWeele-Ding E-value of the matched estimate"),
    "e_value_ci": ("E-value, interval", "E-value of the interval's limit nearest zero"),
    "breakdown_mbar": (
        "Breakdown (M)",
        "largest post-adoption violation of parallel trends, as a multiple of the largest "
        "pre-adoption one, under which the average change stays clear of zero",
    ),
    "n_pairs": ("Border pairs", "neighbouring pairs across the line used"),
    "n_pairs_dropped": ("Pairs dropped", "border pairs without the outcome"),
    "min_population": ("Population cut", "units of fewer residents left out"),
    "n_below_population_focal": ("Focal under the cut", "focal units under the cut"),
    "n_below_population_comparison": ("Comparison under the cut", "comparison units under it"),
    "n_absent_focal": ("Focal not in the table", "focal cities the year's FBI table lacks"),
    "n_absent_comparison": ("Comparison not in the table", "comparison cities it lacks"),
    "states": ("States", "the states whose focal units are kept"),
    "label": ("Definition", "the definition, as readers see it"),
    "city_reading": ("City reading", "strict: listed cities; broad: also cities in listed areas"),
    "place": ("Place", "Census place code (7 digits; 10 for a township)"),
    "name": ("City", "the city as the FBI's table names it"),
    "state": ("State", "state postal code"),
    "cities": ("Cities", "cities the definition marks"),
    "named": ("Named", "cities a list names (or the city of a listed city-county)"),
    "in_listed_county": ("In a listed county", "cities marked because their county is listed"),
    "in_listed_state": ("In a listed state", "cities marked because their state is listed"),
    "in_table": ("In the FBI table", "marked cities in the year's FBI city table"),
    "table_population_share_pct": (
        "Population of the table (%)",
        "% of the year's FBI table population in the marked cities",
    ),
    "jurisdiction": ("Jurisdiction", "the state, as the list names it"),
    "kind": ("Kind", "state, county or city"),
    "enacted": ("In effect from", "when the policy took effect (YYYY-MM or YYYY)"),
    "counties_missing": ("Counties without", "counties with no value that year"),
    "logged_missing": ("Logged", "county values the build log lists as missing, with reasons"),
    "rate_unchanged_pct": ("Rate unchanged (%)", "% of counties whose rate the revision kept"),
    "rate_mean_abs_change_points": ("Mean change (points)", "mean absolute change in the rate"),
    "rate_largest_change_points": ("Largest change (points)", "largest change in a rate"),
    "labor_force_mean_abs_change_pct": (
        "Labour force change (%)",
        "mean absolute change in the labour force, % of the earlier figure",
    ),
    "rule": ("Rule", "what the build did"),
    "from": ("From", "the codes in the file"),
    "to": ("To", "the 2015 county code used"),
    "why": ("Why", "the change in geography behind the rule"),
    "files": ("Files", "the source files the rule applied to"),
    "rows": ("Rows", "rows of those files it touched"),
    "agencies": ("Agencies", "agency rows in the year's FBI table"),
    "kept": ("Placed", "agencies placed in a Census place and county"),
    "dropped": ("Not placed", "agencies left out, by reason in the next columns"),
    "population_kept": ("Population placed", "the table's population of the placed agencies"),
    "population_dropped": ("Population not placed", "the table's population of the others"),
    "agency": ("Agency", "the agency as the FBI's table names it"),
    "reason": ("Reason", "why the row was left out"),
    "Mbar": ("M", "post-adoption violations up to M times the largest pre-adoption one"),
    "placebo_p": (
        "Placebo-state p",
        "share of the estimates, the real one and each placebo state's, at least as large "
        "(in absolute value; synthetic control: in post/pre RMSPE ratio) as the real one",
    ),
    "n_placebos": ("Placebos", "placebo estimates behind placebo_p"),
    "n_placebo_states": ("Placebo states", "donor states with enough units to be placebos"),
    "inference": ("Inference", "cluster: errors clustered by unit; placebo_states"),
    "treated_states": ("Treated states", "the states whose law is studied"),
    "std_error_state": (
        "Std. error, by state",
        "errors clustered by state (few treated clusters make them too small)",
    ),
    "ci_low_state": ("95 % CI by state, low", "interval with errors clustered by state"),
    "ci_high_state": ("95 % CI by state, high", "interval with errors clustered by state"),
    "p_value_state": ("p-value, by state", "p-value with errors clustered by state"),
    "n_states": ("States", "states in the sample (clusters)"),
    "window": ("Window", "the calendar years studied"),
    "treated_state": ("State", "the state whose law is studied"),
    "adoption_year": ("Law in effect", "the calendar year the law took effect (year 0)"),
    "n_donors": ("Donor states", "states the synthetic state is made of"),
    "sdid": ("Synthetic DiD", "the synthetic difference-in-differences estimate"),
    "sdid_low": ("Synthetic DiD, 95 % CI low", "with its placebo standard error"),
    "sdid_high": ("Synthetic DiD, 95 % CI high", "with its placebo standard error"),
    "sdid_estimate": ("Synthetic DiD", "the synthetic difference-in-differences estimate"),
    "sdid_std_error": ("Synthetic DiD std. error", "its placebo standard error"),
    "sdid_placebo_p": ("Synthetic DiD placebo p", "share of placebo estimates at least as large"),
    "pre_rmspe": (
        "Fit before (RMSPE)",
        "root mean squared gap before adoption, in the outcome's unit",
    ),
    "post_rmspe": ("Gap after (RMSPE)", "root mean squared gap after adoption"),
    "rmspe_ratio": ("RMSPE ratio", "gap after over fit before: the placebo test's statistic"),
    "donor_weights": ("Weights", "the donor states and their weights"),
    "in_time_year": ("In-time placebo year", "the law moved this many years earlier"),
    "in_time_gap": ("In-time placebo gap", "mean gap between the moved law and the real one"),
    "loo_low": ("Leave-one-out, low", "lowest estimate with one donor left out"),
    "loo_high": ("Leave-one-out, high", "highest estimate with one donor left out"),
    "n_loo": ("Donors left out", "donors with weight, each left out in turn"),
    "role": ("Role", "treated, placebo or weight"),
    "synthetic": ("Synthetic", "the synthetic control's value"),
    "gap": ("Gap", "the state minus its synthetic control"),
    "value": ("Value", "the state's own value"),
    "weight": ("Weight", "a donor's weight in the synthetic control"),
    "lb": ("Robust interval, low", "lower end of the robust 95 % interval"),
    "ub": ("Robust interval, high", "upper end of the robust 95 % interval"),
}


def variable(name: str) -> str:
    """'Total crime (crimes per 10,000 residents)'."""
    label, unit = VARIABLES.get(name, (name.replace("_", " "), ""))
    return f"{label} ({unit})" if unit else label


def short(name: str) -> str:
    """'Total crime'."""
    return VARIABLES.get(name, (name.replace("_", " "), ""))[0]


def unit(name: str) -> str:
    return VARIABLES.get(name, ("", ""))[1]


def in_dollars(name: str) -> bool:
    """Whether a variable is measured in dollars (shown whole, with a $ sign)."""
    return unit(name) == "US dollars"


def method(name: str) -> str:
    return METHODS.get(name, name)


# Counts of the units compared, headed in the page's unit: "Sanctuary cities" on a city page.
UNIT_COUNTS = {
    "n_focal": "Sanctuary {}",
    "n_comparison": "Comparison {}",
    "n_sanctuary": "Adopting {}",
    "n_control": "Control {}",
}


def header(column: str, unit: str | None = None) -> str:
    """The header a reader sees for a table column (a variable's label otherwise); counts
    of the units compared in the words of `unit` (counties when none is given)."""
    if column in UNIT_COUNTS:
        return UNIT_COUNTS[column].format(units(unit or "county"))
    if column in COLUMNS:
        return COLUMNS[column][0]
    if column in VARIABLES:
        return variable(column)
    return str(column).replace("_", " ").capitalize()


def data_dictionary():
    """Every machine name a downloaded CSV can hold, with its label and meaning."""
    import pandas as pd

    rows = [
        {"column": c, "label": label, "meaning": meaning} for c, (label, meaning) in COLUMNS.items()
    ]
    rows += [
        {"column": v, "label": label, "meaning": unit} for v, (label, unit) in VARIABLES.items()
    ]
    return pd.DataFrame(rows)


def signed(value: float, digits: int = 1, outcome: str = "") -> str:
    """'+38.9'; dollars whole, with their sign: '+$1,239'."""
    if in_dollars(outcome):
        return f"{'+' if value >= 0 else '-'}${abs(value):,.0f}"
    return f"{value:+,.{digits}f}"


def interval(row, digits: int = 1) -> str:
    """'+38.9 (95 % interval +6.8 to +71.0)' for a result row; dollars whole."""
    outcome = row.get("outcome", "") if hasattr(row, "get") else ""
    outcome = outcome if isinstance(outcome, str) else ""
    return (
        f"{signed(row['estimate'], digits, outcome)} (95 % interval "
        f"{signed(row['ci_low'], digits, outcome)} to {signed(row['ci_high'], digits, outcome)})"
    )


def definition(name: str) -> str:
    """A definition as readers see it: its `label` in data/definitions.toml ('ICE 2014
    table'), or its id when it has none or is unknown."""
    return definition_labels().get(name, name)


def definition_labels() -> dict[str, str]:
    """Every definition's id and label (data/definitions.toml of the project root)."""
    return _definition_labels(str(definitions_file()))


@functools.cache
def _definition_labels(path: str) -> dict[str, str]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            entries = tomllib.load(fh).get("definition", [])
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # the build reports a broken file; a label falls back to the id
    return {
        e["id"]: str(e.get("label") or e["id"])
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    }


# The covariate sets (analysis.panels.units.COVARIATE_SETS) in a sentence's words.
COVARIATE_SET_WORDS = {
    "cap": "the 2017 CAP report's covariates",
    "demographic": "demographic covariates",
    "political": "demographic and political covariates",
    "city": "the city covariates",
}


def covariate_set_short(name: str) -> str:
    """A covariate set in a table cell: "2017 CAP report's" for 'cap'."""
    return {"cap": "2017 CAP report's"}.get(name, name)


def covariate_set(name: str) -> str:
    """'the 2017 CAP report's covariates (...)' for 'cap'; another set by its name."""
    return COVARIATE_SET_WORDS.get(name, f"the {name} covariates")


def with_labels(text: str) -> str:
    """Text that names definitions by id ('cooperating (g287_2025)'), each id replaced
    by its label ('cooperating (287(g) agreements, 2025)')."""
    found = definition_labels()
    if not found or not isinstance(text, str):
        return text
    return _id_pattern(tuple(found)).sub(lambda m: found[m.group(1)], text)


@functools.cache
def _id_pattern(ids: tuple[str, ...]):
    import re

    names = "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])({names})(?![\w-])")


def units(unit: str, n: int | None = None) -> str:
    """'counties' / 'cities', or '149 counties' with a count."""
    found = lookup(unit)
    return found.plural if n is None else found.count(n)


def direction(row) -> str:
    """'higher', 'lower' or 'not clearly different': where the 95 % interval lies."""
    if row["ci_low"] > 0:
        return "higher"
    if row["ci_high"] < 0:
        return "lower"
    return "not clearly different"


def row_label(row) -> str:
    """How a result row is named in a figure: its urban-rural class (with the counts),
    or its method (and weighting)."""
    if "stratum_label" in row and isinstance(row["stratum_label"], str):
        return f"{row['stratum_label']} ({row['n_focal']} vs {row['n_comparison']})"
    text = method(row["method"])
    return text + (" (population-weighted)" if row.get("weights") == "population" else "")


def describe_groups(groups) -> str:
    """'149 sanctuary counties (ICE 2014 table) vs 2,993 counties: all others' for the
    Groups of a comparison (analysis.compare.make_groups)."""
    plural = groups.unit.plural
    text = (
        f"{len(groups.focal):,} {groups.focal_group} {plural} ({definition(groups.definition)}) "
        f"vs {len(groups.control):,} {plural}: {with_labels(groups.comparison)}"
    )
    if groups.n_overlap_excluded:
        text += (
            f"; {groups.n_overlap_excluded:,} {plural} in both lists are kept in the "
            f"{groups.focal_group} group only"
        )
    return text


def parameter_line(parameters: dict) -> str:
    """A report's parameters as one line a reader can read, in words:
    'Cities · DHS list, 2025 · 2016 and 2019 · violent crime without rape, violent crime,
    property crime, total crime'. Ids stay in the report's metadata and CSV files; build
    details (a flag for an extra variant) are left out."""
    given = dict(parameters)
    parts = []
    if given.get("unit"):
        parts.append(units(given["unit"]).capitalize())
    for name in [given.get("definition"), *(given.get("definitions") or [])]:
        if name:
            parts.append(definition(name))
    if given.get("states"):
        parts.append(", ".join(given["states"]) + " only")
    if given.get("year"):
        recent = given.get("recent_year")
        parts.append(f"{given['year']} and {recent}" if recent else str(given["year"]))
    if given.get("first_year") or given.get("last_year"):
        parts.append(f"{given.get('first_year', 2000)}-{given.get('last_year', 2019)}")
    if given.get("outcomes"):
        parts.append(", ".join(short(o).lower() for o in given["outcomes"]))
    comparison = given.get("comparison")
    if comparison and comparison != "all":
        parts.append("against " + ("287(g) places" if comparison == "cooperating"
                                   else definition(comparison)))  # fmt: skip
    return " · ".join(parts)
