"""Readers on hand-made samples and on altered copies of the real files.

Readers are called directly here (not through the build), so a column or a
value can be altered in a copy without the sha256 check stopping first.
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import BadValue, MissingColumns, SourceFormatError
from analysis.readers import acs, elections, laus, popest, saipe, ucr, urban
from analysis.sources.buildlog import FileAccount

SAMPLES = Path(__file__).parent / "fixtures" / "samples"


def account(path):
    return FileAccount("test", str(path), "0" * 64)


def test_laus_sample_parses_thousands_and_drops_puerto_rico():
    acc = account("sample")
    frame = laus.read(SAMPLES / "laucnty15_sample.txt", acc, 2015)
    assert frame.set_index("fips")["labor_force"].to_dict() == {"01001": 1000.0, "46102": 20500.0}
    assert frame.set_index("fips").loc["01001", "unemployment_pct"] == 10.0
    assert acc.rows_read == 3 and acc.dropped[0]["rows"] == ["72001"]


def test_laus_non_numeric_value_names_line_and_column():
    with pytest.raises(BadValue) as err:
        laus.read(SAMPLES / "laucnty15_bad_value.txt", account("x"), 2015)
    message = str(err.value)
    assert "laucnty15_bad_value.txt" in message and "'labor_force'" in message
    assert "row 8: '2O,500'" in message


def test_laus_wrong_year_is_refused():
    with pytest.raises(SourceFormatError, match="expected data for 2016, found years"):
        laus.read(SAMPLES / "laucnty15_sample.txt", account("x"), 2016)


def test_laus_line_in_another_layout_is_refused(tmp_path):
    text = (SAMPLES / "laucnty15_sample.txt").read_bytes()
    broken = tmp_path / "laucnty15.txt"
    broken.write_bytes(text.replace(b"   01     001   Autauga", b" 01001 Autauga"))
    with pytest.raises(SourceFormatError, match="line 7 does not have the LAUS county layout"):
        laus.read(broken, account("x"), 2015)


def _altered_csv(src: Path, dst: Path, old: str, new: str, encoding="utf-8") -> Path:
    text = src.read_text(encoding=encoding)
    assert old in text, f"{old!r} not in {src}"
    dst.write_text(text.replace(old, new, 1), encoding=encoding)
    return dst


@pytest.mark.integration
def test_renamed_header_names_file_and_column(raw_dir, tmp_path):
    src = raw_dir / "crime/urban-2015/crimerate_county_2015_2017.csv"
    copy = _altered_csv(src, tmp_path / "crimerate.csv", "violent_crime_rate", "violent_rate")
    with pytest.raises(MissingColumns) as err:
        urban.read_crime_rates(copy, account(copy))
    assert "crimerate.csv" in str(err.value) and "'violent_crime_rate'" in str(err.value)


@pytest.mark.integration
def test_non_numeric_value_names_its_row(raw_dir, tmp_path):
    src = raw_dir / "socio/popest/co-est2016-alldata.csv"
    text = src.read_text(encoding="latin-1").splitlines(keepends=True)
    fields = text[2].split(",")  # line 3: Autauga County, AL
    fields[9] = "54x71"  # POPESTIMATE2010
    text[2] = ",".join(fields)
    copy = tmp_path / "popest.csv"
    copy.write_text("".join(text), encoding="latin-1")
    with pytest.raises(BadValue) as err:
        popest.read(copy, account(copy))
    assert "'POPESTIMATE2010'" in str(err.value) and "row 3: '54x71'" in str(err.value)


@pytest.mark.integration
@pytest.mark.needs_icpsr
def test_missing_column_in_an_icpsr_file(raw_dir, tmp_path):
    frame = pd.read_stata(
        raw_dir / "crime/icpsr-37059-2016/37059-0004-Data.dta", convert_categoricals=False
    )
    copy = tmp_path / "ucr.dta"
    frame.rename(columns={"COVIND": "COVERAGE"}).to_stata(copy, write_index=False)
    with pytest.raises(MissingColumns, match="'COVIND'"):
        ucr.read(copy, account(copy), 2016)


@pytest.mark.integration
def test_saipe_reader_refuses_a_sheet_without_its_header(raw_dir):
    other = raw_dir / "socio/covariates/ruralurbancodes2013.xls"
    with pytest.raises(SourceFormatError, match="no header row starting with 'State FIPS'"):
        saipe.read_year(other, account(other), 2015)


@pytest.mark.integration
def test_acs_suppressed_estimate_is_a_bad_value_not_a_zero(raw_dir, tmp_path):
    src = raw_dir / "socio/acs-2011-2015/ACS_15_5YR_B03003_with_ann.csv"
    lines = src.read_text(encoding="latin-1").splitlines(keepends=True)
    fields = lines[2].split(",")
    fields[-2] = "(X)"  # HD01_VD03, Hispanic or Latino estimate of the first county
    lines[2] = ",".join(fields)
    copy = tmp_path / "b03003.csv"
    copy.write_text("".join(lines), encoding="latin-1")
    with pytest.raises(BadValue, match="'HD01_VD03': row 3: '\\(X\\)'"):
        acs.read_hispanic(copy, account(copy))


@pytest.mark.integration
def test_election_reader_wants_one_republican_row_per_county(raw_dir, tmp_path):
    src = raw_dir / "socio/elections/countypres_2000-2016.csv"
    copy = _altered_csv(
        src, tmp_path / "pres.csv", ",Donald Trump,republican,", ",Donald Trump,democrat,"
    )
    with pytest.raises(SourceFormatError, match="one republican row per county"):
        elections.read(copy, account(copy))


@pytest.mark.parametrize("reader,args", [(laus.read, (2015,)), (laus.read, (2016,))])
def test_errors_name_files_relative_to_the_project(tmp_path, monkeypatch, reader, args):
    # A file in the project (here a scratch root) is named as a user sees it in the
    # repository, never by a machine's absolute path.
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    inside = tmp_path / "data" / "raw" / "socio" / "laus" / "laucnty15.txt"
    inside.parent.mkdir(parents=True)
    text = (SAMPLES / "laucnty15_sample.txt").read_bytes()
    inside.write_bytes(
        text.replace(b"   01     001   Autauga", b" 01001 Autauga") if args == (2015,) else text
    )
    with pytest.raises(SourceFormatError) as err:
        reader(inside, account("x"), *args)
    assert str(err.value).startswith("data/raw/socio/laus/laucnty15.txt: ")
    assert str(tmp_path) not in str(err.value)


def test_urban_2017_coverage_sample_keeps_missing_coverage_missing():
    frame = urban.read_coverage(SAMPLES / "crimerate_county_2017_sample.csv", account("x"))
    by_fips = frame.set_index("fips")
    assert by_fips.loc["01001", "crime_coverage"] == 99.75
    assert pd.isna(by_fips.loc["36005", "crime_coverage"])
    assert by_fips.loc["36005", "violent_per_100k"] == 900.5
    assert by_fips.loc["02068", ["violent_per_100k", "crime_coverage"]].isna().all()


def test_a_coverage_file_whose_rates_differ_from_the_rates_file_stops_the_build():
    from analysis.core.errors import ValidationError
    from analysis.panels.county import _coverage_2017

    coverage = urban.read_coverage(SAMPLES / "crimerate_county_2017_sample.csv", account("x"))
    rates = coverage.drop(columns="crime_coverage")
    assert len(_coverage_2017(coverage, rates)) == 3
    rates.loc[rates["fips"] == "01001", "violent_per_100k"] = 260.0
    with pytest.raises(ValidationError, match=r"disagree on 2017 violent crime rates.*01001"):
        _coverage_2017(coverage, rates)
