"""The county panel against its contract and against the source files.

Expected values are read from the raw files here with code independent of the
readers (plain string and pandas operations), for a fixed random sample of
counties in every source and year.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.geo.counties import (
    BOUNDARY_CHANGES,
    CT_COUNTIES,
    CT_PLANNING_REGIONS,
    RETIRED_CODES,
    REUNITED,
)
from analysis.panels import load as panel_module
from analysis.panels import years
from analysis.panels.availability import absent_crime_years
from analysis.panels.county_schema import N_COUNTIES, unexplained_gaps, validate_panel

pytestmark = pytest.mark.integration

HARMONISED = (
    set(BOUNDARY_CHANGES)
    | {c.new for c in BOUNDARY_CHANGES.values()}
    | set(RETIRED_CODES)
    | set(REUNITED)
    | {part for parts, _ in REUNITED.values() for part in parts}
    | set(CT_PLANNING_REGIONS)
)
SAMPLE = 40


def sample(codes, seed):
    codes = sorted(set(codes) - HARMONISED)
    picks = np.random.default_rng(seed).choice(codes, size=SAMPLE, replace=False).tolist()
    return sorted(set(picks) | ({"06037", "36061", "11001", "48201"} & set(codes)))


def panel_values(panel, year, column, fips):
    values = panel[panel["year"] == year].set_index("fips")[column]
    return values.reindex(fips)


def assert_same(actual, expected, rel=1e-9):
    actual, expected = pd.Series(actual, dtype=float), pd.Series(expected, dtype=float)
    np.testing.assert_allclose(actual.to_numpy(), expected.to_numpy(), rtol=rel, equal_nan=True)


def test_one_row_per_county_and_year(panel):
    assert len(panel) == N_COUNTIES * len(years.YEARS)
    assert not panel.duplicated(["fips", "year"]).any()
    assert panel.groupby("year")["fips"].nunique().eq(N_COUNTIES).all()
    assert list(panel.columns) == list(panel_module.COLUMNS)
    assert panel["fips"].str.fullmatch(r"\d{5}").all()
    assert not panel["fips"].str.startswith("72").any()


def test_schema_and_known_gaps_hold(panel):
    absent = tuple(absent_crime_years())  # optional ICPSR years this build lacks, if any
    validate_panel(panel, absent_crime_years=absent)
    assert unexplained_gaps(panel, absent) == {}


def test_an_absent_optional_year_is_a_gap_only_when_the_build_says_so(panel):
    open_data = panel.copy()
    crime = [c for c in panel_module.CRIME_COLUMNS]
    open_data.loc[open_data["year"] == 2016, crime] = np.nan
    assert ("total_crime_per_10k", 2016) in unexplained_gaps(open_data, ())
    assert ("total_crime_per_10k", 2016) not in unexplained_gaps(open_data, (2016,))
    assert ("total_crime_per_10k", 2015) not in unexplained_gaps(open_data, (2016,))


def test_schema_catches_a_percentage_out_of_range(panel):
    from analysis.core.errors import ValidationError

    broken = panel.copy()
    broken.loc[broken.index[0], "poverty_pct"] = 140.0
    with pytest.raises(ValidationError, match="poverty_pct"):
        validate_panel(broken)


def test_a_new_gap_is_caught(panel):
    broken = panel.copy()
    broken.loc[(broken["fips"] == "06037") & (broken["year"] == 2015), "hispanic_pct"] = np.nan
    assert unexplained_gaps(broken, tuple(absent_crime_years())) == {
        ("hispanic_pct", 2015): ["06037"]
    }


@pytest.mark.parametrize("year", range(2010, 2018))
def test_unemployment_and_labor_force_equal_laus(panel, raw_dir, year):
    rows = {}
    path = raw_dir / f"socio/laus/laucnty{year % 100:02d}.txt"
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("CN"):
            f = line.split()
            rows[f[1] + f[2]] = (float(f[-4].replace(",", "")), float(f[-1]))
    fips = sample([k for k in rows if not k.startswith("72")], year)
    assert_same(panel_values(panel, year, "labor_force", fips), [rows[k][0] for k in fips])
    assert_same(panel_values(panel, year, "unemployment_pct", fips), [rows[k][1] for k in fips])


@pytest.mark.parametrize("year", range(2018, 2023))
def test_unemployment_equals_the_april_2023_laus_reissue(panel, raw_dir, year):
    sheet = pd.read_excel(
        raw_dir / f"socio/laus-2018plus/apr2023-vintage/laucnty{year % 100}.xlsx",
        dtype=str,
        engine="calamine",
    )
    sheet = sheet[sheet["Code"].str.startswith("CN", na=False)]
    sheet.index = sheet["Code.1"] + sheet["Code.2"]
    picks = sample(sheet.index[~sheet.index.str.startswith("72")], year)
    assert_same(panel_values(panel, year, "labor_force", picks), sheet.loc[picks, "Labor_Force"])
    assert_same(panel_values(panel, year, "unemployment_pct", picks), sheet.loc[picks, "(%)"])


def _ers(raw_dir, name):
    sheet = pd.read_excel(raw_dir / "socio/ers-2023" / name, header=4, dtype=str, engine="calamine")
    return sheet.set_index("FIPS_Code")


def test_2023_unemployment_and_2022_income_equal_the_ers_file(panel, raw_dir):
    ers = _ers(raw_dir, "Unemployment2023.xlsx")
    counties = ers.index[~ers.index.str.endswith("000") & ~ers.index.str.startswith("72")]
    picks = sample(counties[ers.loc[counties, "Unemployment_rate_2023"].notna()], 2023)
    assert_same(
        panel_values(panel, 2023, "unemployment_pct", picks),
        ers.loc[picks, "Unemployment_rate_2023"].astype(float).round(1),
    )
    assert_same(
        panel_values(panel, 2023, "labor_force", picks), ers.loc[picks, "Civilian_labor_force_2023"]
    )
    picks = sample(counties[ers.loc[counties, "Median_Household_Income_2022"].notna()], 2022)
    assert_same(
        panel_values(panel, 2022, "median_household_income", picks),
        ers.loc[picks, "Median_Household_Income_2022"],
    )


def test_2023_poverty_and_income_equal_the_ers_file(panel, raw_dir):
    ers = _ers(raw_dir, "Poverty2023.xlsx")
    counties = ers.index[~ers.index.str.endswith("000") & ers["PCTPOVALL_2023"].notna()]
    picks = sample(counties, 2023)
    assert_same(
        panel_values(panel, 2023, "poverty_pct", picks),
        ers.loc[picks, "PCTPOVALL_2023"].astype(float).round(1),
    )
    assert_same(
        panel_values(panel, 2023, "median_household_income", picks),
        ers.loc[picks, "MEDHHINC_2023"],
    )


def test_valdez_cordova_is_rebuilt_from_its_two_parts(panel, raw_dir):
    ers = _ers(raw_dir, "Poverty2023.xlsx")
    parts = ers.loc[["02063", "02066"]]
    count = parts["POVALL_2023"].astype(float)
    universe = count / parts["PCTPOVALL_2023"].astype(float)
    assert panel_values(panel, 2023, "poverty_pct", ["02261"]).iloc[0] == pytest.approx(
        round(count.sum() / universe.sum(), 1)
    )
    assert np.isnan(panel_values(panel, 2023, "median_household_income", ["02261"]).iloc[0])
    laus = pd.read_excel(
        raw_dir / "socio/laus-2018plus/apr2023-vintage/laucnty21.xlsx", dtype=str, engine="calamine"
    )
    laus = laus[laus["Code.1"].eq("02") & laus["Code.2"].isin(["063", "066"])]
    force, unemployed = (laus[c].astype(float).sum() for c in ("Labor_Force", "Unemployed"))
    assert panel_values(panel, 2021, "labor_force", ["02261"]).iloc[0] == force
    assert panel_values(panel, 2021, "unemployment_pct", ["02261"]).iloc[0] == round(
        100 * unemployed / force, 1
    )


def test_connecticut_is_missing_only_where_a_file_uses_planning_regions(panel):
    ct = panel[panel["fips"].isin(CT_COUNTIES)].set_index(["year", "fips"]).sort_index()
    assert ct.loc[2019, "population"].notna().all() and ct.loc[2020, "population"].isna().all()
    assert ct.loc[2023, "unemployment_pct"].notna().all()  # ERS's LAUS keeps the 8 counties
    assert ct.loc[2021, "poverty_pct"].notna().all()  # SAIPE 2021 keeps them too
    assert ct.loc[2023, "poverty_pct"].isna().all()
    assert ct.loc[2022, "median_household_income"].isna().all()


def test_2022_poverty_is_a_gap_for_every_county(panel, panel_log):
    assert panel.loc[panel["year"] == 2022, "poverty_pct"].isna().all()
    (logged,) = [
        m
        for m in panel_log["missing_values"]
        if (m["column"], m["year"])
        == (
            "poverty_pct",
            2022,
        )
    ]
    assert logged["count"] == N_COUNTIES and "SAIPE 2022" in logged["reason"]


def test_build_log_records_the_laus_revision_between_vintages(panel_log):
    revisions = {r["year"]: r for r in panel_log["laus_revisions"]}
    assert sorted(revisions) == [2018, 2019, 2020, 2021, 2022]
    assert all(r["counties"] == N_COUNTIES - 1 for r in revisions.values())  # no Kalawao
    # BLS revises the latest years most: the share of unchanged rates falls year by year.
    unchanged = [revisions[y]["rate_unchanged_pct"] for y in sorted(revisions)]
    assert unchanged == sorted(unchanged, reverse=True)


@pytest.mark.parametrize("year", [2010, *range(2012, 2022)])
def test_poverty_and_income_equal_saipe(panel, raw_dir, year):
    name = "est10ALL.xls" if year == 2010 else f"est{year % 100}all.xls"
    header = 2 if year in (2010, 2012) else 3
    sheet = pd.read_excel(
        raw_dir / "socio/saipe" / name, header=header, dtype=str, engine="calamine"
    )
    sheet = sheet[sheet.iloc[:, 0].str.fullmatch(r"\d{2}", na=False)]
    sheet = sheet[sheet.iloc[:, 1].astype(float) > 0]
    fips = sheet.iloc[:, 0] + sheet.iloc[:, 1].astype(float).astype(int).astype(str).str.zfill(3)
    table = pd.DataFrame(
        {"pct": sheet.iloc[:, 7].to_numpy(), "income": sheet["Median Household Income"].to_numpy()},
        index=fips,
    )
    picks = sample(table.index[table["pct"] != "."], year)
    assert_same(panel_values(panel, year, "poverty_pct", picks), table.loc[picks, "pct"])
    assert_same(
        panel_values(panel, year, "median_household_income", picks), table.loc[picks, "income"]
    )


def test_2011_poverty_equals_the_compiled_saipe_panel(panel, raw_dir):
    compiled = pd.read_csv(raw_dir / "socio/saipe/censusSAIPEByCountyAndYear.csv")
    compiled = compiled[compiled["year"] == 2011].assign(
        fips=lambda d: d["fips"].astype(str).str.zfill(5)
    )
    compiled = compiled.set_index("fips")
    picks = sample(compiled.index, 2011)
    assert_same(panel_values(panel, 2011, "poverty_pct", picks), compiled.loc[picks, "povertyR"])
    assert_same(
        panel_values(panel, 2011, "median_household_income", picks), compiled.loc[picks, "medianHI"]
    )


def _icpsr(raw_dir, year):
    if year == 2010:
        import pyreadr

        frame = next(
            iter(
                pyreadr.read_r(str(raw_dir / "crime/icpsr-33523-2010/33523-0004-Data.rda")).values()
            )
        )
    else:
        study = {2012: "icpsr-35019-2012/35019", 2016: "icpsr-37059-2016/37059"}[year]
        frame = pd.read_stata(raw_dir / f"crime/{study}-0004-Data.dta", convert_categoricals=False)
    frame["fips"] = frame["FIPS_ST"].astype(int).astype(str).str.zfill(2) + frame[
        "FIPS_CTY"
    ].astype(int).astype(str).str.zfill(3)
    return frame.set_index("fips")


@pytest.mark.parametrize("year", [2010, 2012, 2016])
@pytest.mark.needs_icpsr
def test_crime_counts_and_rates_equal_icpsr(panel, raw_dir, year):
    icpsr = _icpsr(raw_dir, year)
    usable = icpsr[(icpsr["COVIND"] > 0) & ~icpsr["FIPS_CTY"].isin([777, 999])]
    picks = sample(usable.index, year)
    assert_same(panel_values(panel, year, "violent_crimes", picks), usable.loc[picks, "VIOL"])
    assert_same(panel_values(panel, year, "property_crimes", picks), usable.loc[picks, "PROPERTY"])
    assert_same(panel_values(panel, year, "crime_coverage", picks), usable.loc[picks, "COVIND"])
    population = panel_values(panel, year, "population", picks)
    assert_same(
        panel_values(panel, year, "violent_per_10k", picks),
        usable.loc[picks, "VIOL"].to_numpy() / population.to_numpy() * 1e4,
    )
    assert (panel_values(panel, year, "crime_source", picks) == f"ucr-{year}").all()


@pytest.mark.needs_icpsr
def test_icpsr_no_data_rows_are_missing_not_zero(panel, raw_dir):
    icpsr = _icpsr(raw_dir, 2016)
    offences = [
        "VIOL",
        "PROPERTY",
        "MURDER",
        "RAPE",
        "ROBBERY",
        "AGASSLT",
        "BURGLRY",
        "LARCENY",
        "MVTHEFT",
        "ARSON",
    ]
    no_data = icpsr[
        (icpsr["COVIND"] == 0)
        & (icpsr[offences].sum(axis=1) == 0)
        & ~icpsr["FIPS_CTY"].isin([777, 999])
    ].index.difference(list(HARMONISED))
    assert len(no_data) > 50
    assert panel_values(panel, 2016, "violent_crimes", no_data).isna().all()
    assert (panel_values(panel, 2016, "crime_coverage", no_data) == 0).all()


@pytest.mark.needs_icpsr
def test_renamed_and_merged_counties_carry_their_old_codes_data(panel, raw_dir):
    icpsr = _icpsr(raw_dir, 2012)
    for new, old in [("46102", "46113"), ("02158", "02270")]:
        assert (
            panel_values(panel, 2012, "crime_coverage", [new]).iloc[0] == icpsr.loc[old, "COVIND"]
        )
        assert panel_values(panel, 2012, "violent_crimes", [new]).iloc[0] == icpsr.loc[old, "VIOL"]
    icpsr = _icpsr(raw_dir, 2010)
    for new, old in [("51019", "51515"), ("51083", "51780")]:
        expected = icpsr.loc[new, "VIOL"] + icpsr.loc[old, "VIOL"]
        assert panel_values(panel, 2010, "violent_crimes", [new]).iloc[0] == expected


@pytest.mark.parametrize("year", [2015, 2017])
def test_urban_rates_and_recovered_counts(panel, raw_dir, year):
    rates = pd.read_csv(raw_dir / "crime/urban-2015/crimerate_county_2015_2017.csv", dtype=str)
    pops = pd.read_csv(raw_dir / "crime/urban-2015/county-file.csv", dtype=str)
    key = lambda d: d["state"] + d["county"]  # noqa: E731
    rates = rates[rates["year"] == str(year)].set_index(key(rates[rates["year"] == str(year)]))
    pops = pops[pops["year"] == str(year)].set_index(key(pops[pops["year"] == str(year)]))
    picks = sample(rates.index[rates["violent_crime_rate"].notna()], year)
    violent = rates.loc[picks, "violent_crime_rate"].astype(float)
    assert_same(panel_values(panel, year, "violent_per_10k", picks), violent / 10)
    assert_same(
        panel_values(panel, year, "property_per_10k", picks),
        rates.loc[picks, "property_crime_rate"].astype(float) / 10,
    )
    counts = violent * pops.loc[picks, "population"].astype(float) / 1e5
    assert_same(panel_values(panel, year, "violent_crimes", picks), counts.round())
    assert (panel_values(panel, year, "crime_source", picks) == "urban-crime-rates").all()


def test_population_equals_census_estimates_and_urban_2017(panel, raw_dir):
    pop = pd.read_csv(
        raw_dir / "socio/popest/co-est2016-alldata.csv", dtype=str, encoding="latin-1"
    )
    pop = pop[pop["SUMLEV"] == "050"]
    pop.index = pop["STATE"] + pop["COUNTY"]
    for year in range(2010, 2017):
        picks = sample(pop.index, year)
        assert_same(
            panel_values(panel, year, "population", picks), pop.loc[picks, f"POPESTIMATE{year}"]
        )
    urban = pd.read_csv(raw_dir / "crime/urban-2015/county-file.csv", dtype=str)
    urban = urban[urban["year"] == "2017"]
    urban.index = urban["state"] + urban["county"]
    picks = sample(urban.index, 2017)
    assert_same(panel_values(panel, 2017, "population", picks), urban.loc[picks, "population"])
    header = (raw_dir / "socio/popest-2019/co-est2019-alldata.resaved-with-header.csv").open(
        encoding="utf-8-sig"
    )
    v2019 = pd.read_csv(
        raw_dir / "socio/popest-2019/co-est2019-alldata.csv",
        header=None,
        names=header.readline().strip().split(","),
        dtype=str,
        encoding="latin-1",
    )
    header.close()
    v2019 = v2019[v2019["SUMLEV"] == "050"]
    v2019.index = v2019["STATE"] + v2019["COUNTY"]
    v2025 = pd.read_csv(
        raw_dir / "socio/popest-2025/co-est2025-alldata.csv", dtype=str, encoding="latin-1"
    )
    v2025 = v2025[v2025["SUMLEV"] == "050"]
    v2025.index = v2025["STATE"] + v2025["COUNTY"]
    for year, table in [(2018, v2019), (2019, v2019), (2020, v2025), (2023, v2025)]:
        picks = sample(table.index, year)
        assert_same(
            panel_values(panel, year, "population", picks), table.loc[picks, f"POPESTIMATE{year}"]
        )


def test_acs_covariates_equal_their_tables(panel, raw_dir):
    acs = raw_dir / "socio/acs-2011-2015"
    hisp = pd.read_csv(
        acs / "ACS_15_5YR_B03003_with_ann.csv", skiprows=[1], dtype=str, encoding="latin-1"
    ).set_index("GEO.id2")
    emp = pd.read_csv(
        acs / "ACS_15_5YR_S2301_with_ann.csv", skiprows=[1], dtype=str, encoding="latin-1"
    ).set_index("GEO.id2")
    nat = pd.read_csv(acs / "nhgis0029_ds216_20155_2015_county.csv", dtype=str, encoding="latin-1")
    nat.index = nat["STATEA"] + nat["COUNTYA"]
    picks = sample(hisp.index, 7)
    for year in (2010, 2017):  # constant across years
        assert_same(
            panel_values(panel, year, "hispanic_pct", picks),
            100
            * hisp.loc[picks, "HD01_VD03"].astype(float)
            / hisp.loc[picks, "HD01_VD01"].astype(float),
        )
    assert_same(
        panel_values(panel, 2015, "labor_force_participation_pct", picks),
        emp.loc[picks, "HC02_EST_VC01"],
    )
    assert_same(
        panel_values(panel, 2015, "employment_population_pct", picks),
        emp.loc[picks, "HC03_EST_VC01"],
    )
    born = sum(nat.loc[picks, f"ADURE{n:03d}"].astype(float) for n in (5, 10, 16, 21))
    alien = sum(nat.loc[picks, f"ADURE{n:03d}"].astype(float) for n in (7, 12, 18, 23))
    total = nat.loc[picks, "ADURE001"].astype(float)
    assert_same(panel_values(panel, 2015, "foreign_born_pct", picks), 100 * born / total)
    assert_same(panel_values(panel, 2015, "noncitizen_pct", picks), 100 * alien / total)


def test_classifications_and_vote_share_equal_their_files(panel, raw_dir):
    nchs = {
        line[:5]: int(line.split()[-3])
        for line in (raw_dir / "socio/covariates/NCHSURCodes2013.txt")
        .read_text(encoding="latin-1")
        .splitlines()
    }
    picks = sample(nchs, 11)
    assert_same(panel_values(panel, 2012, "nchs_urban_rural_2013", picks), [nchs[k] for k in picks])
    rucc = pd.read_excel(raw_dir / "socio/covariates/ruralurbancodes2013.xls", engine="calamine")
    rucc.index = rucc["FIPS"].astype(int).astype(str).str.zfill(5)
    picks = sample(rucc.index[~rucc.index.str[:2].isin(["60", "66", "69", "72", "78"])], 12)
    assert_same(panel_values(panel, 2012, "rucc_2013", picks), rucc.loc[picks, "RUCC_2013"])
    votes = pd.read_csv(raw_dir / "socio/elections/countypres_2000-2016.csv")
    rep = votes[(votes["year"] == 2016) & (votes["party"] == "republican") & votes["FIPS"].notna()]
    rep.index = rep["FIPS"].astype(int).astype(str).str.zfill(5)
    picks = sample(rep.index[~rep.index.str.startswith("02") & (rep.index != "36000")], 16)
    assert_same(
        panel_values(panel, 2016, "trump_share_2016", picks),
        100 * rep.loc[picks, "candidatevotes"] / rep.loc[picks, "totalvotes"],
    )


def test_build_log_accounts_for_every_row(panel_log):
    for entry in panel_log["files"]:
        dropped = sum(d["count"] for d in entry.get("dropped", []))
        assert entry["rows_read"] == entry["rows_kept"] + dropped, entry["file_id"]


@pytest.mark.needs_icpsr
def test_build_log_lists_the_icpsr_rows_set_aside(panel_log, raw_dir):
    ucr_2010 = next(f for f in panel_log["files"] if f["file_id"] == "ucr-2010")
    reasons = {d["reason"].split(":")[0]: d["count"] for d in ucr_2010["dropped"]}
    # Counted in the file itself: county codes 777 (tribal) and 999 (state police).
    codes = _icpsr(raw_dir, 2010)["FIPS_CTY"].astype(int).value_counts()
    assert codes[777] > 0 and codes[999] > 0
    assert reasons["county code 777"] == codes[777] and reasons["county code 999"] == codes[999]


def test_every_missing_value_has_a_logged_reason(panel, panel_log):
    logged = {(m["column"], m["year"], f) for m in panel_log["missing_values"] for f in m["fips"]}
    structural = {  # columns that exist only for some years, by design
        **{c: set(years.CRIME_YEARS) for c in panel_module.CRIME_COLUMNS},
        "crime_coverage": set(years.UCR_FILES),
        "crime_quality": set(years.URBAN_CRIME_YEARS),
    }
    unexplained = []
    for column in panel.columns:
        missing = panel.loc[panel[column].isna(), ["fips", "year"]]
        for fips, year in missing.itertuples(index=False):
            if year not in structural.get(column, {year}):
                continue
            if (column, year, fips) not in logged and (column, None, fips) not in logged:
                unexplained.append((column, year, fips))
    assert unexplained == []
