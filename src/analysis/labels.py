"""Words for readers: what each outcome, covariate and table column is called on a
page, with its unit.

Code, CSVs and the command line keep the machine names (`total_crime_per_10k`,
`ci_low`, `n_focal`); figures and the tables a reader sees use these labels,
and `data_dictionary()` ties the two together for people who download a CSV.
"""

from __future__ import annotations

# outcome or covariate -> (label, unit)
VARIABLES: dict[str, tuple[str, str]] = {
    "total_crime_per_10k": ("Total crime", "crimes per 10,000 residents"),
    "violent_per_10k": ("Violent crime", "crimes per 10,000 residents"),
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
    "unit": ("Unit", "the unit of the estimate"),
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
    "verdict": ("Reading", "what the estimates say, in words"),
    "specification": ("Specification", "controls and conditioning of the event study"),
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


def method(name: str) -> str:
    return METHODS.get(name, name)


def header(column: str) -> str:
    """The header a reader sees for a table column (a variable's label otherwise)."""
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


def signed(value: float, digits: int = 1) -> str:
    return f"{value:+,.{digits}f}"


def interval(row, digits: int = 1) -> str:
    """'+38.9 (95 % interval +6.8 to +71.0)' for a result row."""
    return (
        f"{signed(row['estimate'], digits)} (95 % interval {signed(row['ci_low'], digits)} "
        f"to {signed(row['ci_high'], digits)})"
    )


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
