"""Bad input never reaches a traceback: property-based tests (Hypothesis) of what
users write by hand.

- a user's list (CSV): random bytes, other encodings, BOMs, quotes, extra or
  repeated columns, huge fields, blank lines;
- reports/reports.yml: random YAML, wrong types, missing keys, unknown notebooks,
  name and title patterns that do not fill;
- the command line (`python -m analysis compare | definitions | report`): random
  arguments.

Each case ends in a result or in the project's error: an AnalysisError naming the
file, line or value (the command line prints "error: ..." and exits 2; argparse's
usage errors exit 2 too). Anything else is a bug. The examples are derandomized,
so CI sees the same ones every run; how many ran is written to
tests/output/hypothesis-examples.json and printed in the run's summary.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_gazetteer import sample_gazetteer

from analysis import cli
from analysis.core import paths
from analysis.core.errors import AnalysisError
from analysis.jurisdictions import readers, user_lists
from analysis.reports import config
from analysis.sources.buildlog import FileAccount

EXAMPLES: Counter[str] = Counter()
OUTPUT = Path(__file__).parent / "output" / "hypothesis-examples.json"
SITE = Path(__file__).parent / "fixtures" / "site"


def fuzz(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI is repeatable
        database=None,  # nothing written into the checkout
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module", autouse=True)
def count_examples():
    yield
    total = sum(EXAMPLES.values())
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # Read back by conftest's terminal summary, which prints it in every run's log
    # (from the main process, where pytest-xdist runs the tests in others).
    OUTPUT.write_text(json.dumps({"total": total, **EXAMPLES}, indent=1) + "\n")


# --- a user's list ------------------------------------------------------------------

NAMES = ["jurisdiction", "state", "kind", "enacted", "source", "note"]
CELLS = st.one_of(
    st.sampled_from(
        [
            "Multnomah County",
            "Suffolk County",
            "Boston",
            "New York City",
            "Michigan",
            "State of New York",
            "Orleans Parish",
            "Nassau County Sheriff's Office",
            "NY",
            "New York",
            "ny",
            "Massachusets",
            "XX",
            "county",
            "city",
            "state",
            "town",
            "2017",
            "2017-03",
            "2017-13",
            "1899",
            "9999",
            "17",
            "",
            " ",
            '"',
            '""',
            ",",
            "\n",
            "\r",
            "\x00",
            "\ufeff",
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
        ]
    ),
    st.text(max_size=30),
    st.just("x" * 200_000),  # past the csv module's field limit
)


@st.composite
def csv_lists(draw) -> bytes:
    header = draw(
        st.lists(
            st.one_of(
                st.sampled_from(NAMES),
                st.sampled_from([" Jurisdiction ", "STATE", "", "extra", "state"]),
                st.text(max_size=10),
            ),
            max_size=8,
        )
    )
    rows = draw(st.lists(st.lists(CELLS, max_size=9), max_size=8))
    buffer = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, None]))
    # None: cells joined by commas as typed, quotes and all.
    write = (
        csv.writer(buffer, quoting=quoting).writerow
        if quoting is not None
        else lambda cells: buffer.write(",".join(cells) + "\n")
    )
    write(header)
    for row in rows:
        if draw(st.booleans()):
            buffer.write(draw(st.sampled_from(["\n", "\r\n", ",,,\n", '"unclosed\n'])))
        write(row)
    text = draw(st.sampled_from(["", "\ufeff"])) + buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def gaz():
    return sample_gazetteer()


@fuzz(250)
@given(content=st.one_of(csv_lists(), st.binary(max_size=3000)))
def test_any_list_file_reads_or_names_what_is_wrong(gaz, tmp_path_factory, content):
    EXAMPLES["user list"] += 1
    path = tmp_path_factory.mktemp("list") / "my list.csv"
    path.write_bytes(content)
    account = FileAccount("list:fuzz", "my list.csv", "sha256")
    try:
        rows = user_lists.read_user_list(
            path, account, gaz.state_abbr, "list:fuzz", gaz.states["state_name"]
        )
    except AnalysisError as exc:
        assert isinstance(exc, user_lists.UserListError) and "my list.csv" in str(exc)
        return
    assert list(rows.columns) == readers.ROW_COLUMNS and len(rows) > 0
    assert rows["state"].isin(set(gaz.states["state_abbr"])).all()
    assert rows["kind"].isin(user_lists.LIST_KINDS).all()


# --- reports/reports.yml ------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PATTERNS = st.one_of(
    st.sampled_from(
        [
            "demo-{year}",
            "demo",
            "{foo}",
            "{",
            "}",
            "{0}",
            "{year:>6}",
            "{year.real}",
            "{year[0]}",
            "{year!z}",
            "a/b",
            "../escape",
            "with space",
            "",
            "-dash",
            "Données",
        ]
    ),
    st.text(max_size=12),
    SCALARS,
)


@st.composite
def entries(draw):
    entry = {}
    if draw(st.integers(0, 9)) > 0:
        entry["name"] = draw(PATTERNS)
    if draw(st.integers(0, 9)) > 0:
        entry["notebook"] = draw(
            st.one_of(
                st.sampled_from(
                    ["demo.ipynb", "nope.ipynb", "../reports/reports.yml", "", "notebooks", "."]
                ),
                SCALARS,
            )
        )
    if draw(st.booleans()):
        entry["title"] = draw(PATTERNS)
    for key in ("parameters", "settings"):
        if draw(st.booleans()):
            entry[key] = draw(
                st.one_of(st.dictionaries(st.sampled_from(["year", "label", "x"]), VALUES), VALUES)
            )
    if draw(st.booleans()):
        entry["matrix"] = draw(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["year", "label"]),
                    st.one_of(st.lists(SCALARS, max_size=3), SCALARS),
                    max_size=2,
                ),
                VALUES,
            )
        )
    if draw(st.integers(0, 9)) == 0:
        entry[draw(st.text(max_size=6))] = draw(VALUES)
    return entry


DOCUMENTS = st.one_of(
    st.builds(lambda es: yaml.safe_dump({"reports": es}), st.lists(entries(), max_size=3)),
    st.builds(lambda v: yaml.safe_dump({"reports": v}), VALUES),
    st.builds(yaml.safe_dump, VALUES),
    st.text(alphabet=string.printable + "é{}[]:-", max_size=200),
    st.sampled_from(["reports: [", "reports:\n\t- name: x", "\x00", "reports: *a", "- - -"]),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    return root


@fuzz(300)
@given(document=DOCUMENTS)
def test_any_reports_yml_loads_or_names_what_is_wrong(site, document):
    EXAMPLES["reports.yml"] += 1
    path = site / "reports" / "reports.yml"
    path.write_text(document, encoding="utf-8")
    try:
        specs = config.load_config(path)
    except AnalysisError as exc:
        assert "reports.yml" in str(exc)
        return
    for spec in specs:
        assert config.NAME_PATTERN.fullmatch(spec.name) and spec.notebook.is_file()
        assert isinstance(spec.title, str) and isinstance(spec.parameters, dict)


# --- the command line ---------------------------------------------------------------


def outcome(argv: list[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `python -m analysis ARGV`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse: usage errors exit 2, --help 0
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def expected(status: int, err: str) -> None:
    assert status in (0, 2), status
    if status == 2:
        assert err.startswith(("error: ", "usage: ")), err[-2000:]
        if err.startswith("error: "):
            assert "Traceback" not in err


TOKENS = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_.,%{}", max_size=12),
    st.sampled_from(["", "-", "--", "nan", "inf", "-1", "0", "1e400", "--help", "é"]),
)
NUMBERS = st.integers(0, 4).flatmap(
    lambda i: (
        st.integers(-3, 30).map(str)
        if i
        else st.sampled_from(["nan", "inf", "-inf", "0.5", "1e9", "x", ""])
    )
)


def choice(valid) -> st.SearchStrategy[str]:
    """A valid value (four times in five) or anything else."""
    return st.integers(0, 4).flatmap(lambda i: st.sampled_from(list(valid)) if i else TOKENS)


def compare_options() -> dict[str, st.SearchStrategy[list[str]]]:
    from analysis.compare import OUTCOMES

    def given(name, values):
        return values.map(lambda v: [name, v])

    return {
        "--year": given("--year", st.one_of(st.sampled_from(["2015", "2016", "2010"]), NUMBERS)),
        "--outcome": st.lists(given("--outcome", choice(OUTCOMES)), min_size=1, max_size=2).map(
            lambda parts: [p for part in parts for p in part]
        ),
        "--comparison": given(
            "--comparison", choice(["all", "cooperating", "g287_2015", "ice2014"])
        ),
        "--covariates": given(
            "--covariates", choice(["cap", "none", "demographic", "poverty_pct,x", ","])
        ),
        "--weights": given("--weights", choice(["none", "population", "both"])),
        "--neighbours": given("--neighbours", NUMBERS),
        "--caliper": given("--caliper", NUMBERS),
        "--exact": given("--exact", choice(["nchs_urban_rural_2013", "state_fips"])),
        "--metric": given("--metric", choice(["standardized", "mahalanobis"])),
        "--se": given("--se", choice(["abadie-imbens", "bootstrap"])),
        "--n-boot": given("--n-boot", NUMBERS),
        "--seed": given("--seed", NUMBERS),
        "--cov-type": given("--cov-type", choice(["HC0", "HC1", "nonrobust"])),
        "--estimand": given("--estimand", choice(["att", "ate"])),
        "--base": given("--base", choice(["match", "raw", "strata"])),
        "--permutations": given("--permutations", NUMBERS),
        "--within": given("--within", choice(["nchs", "none"])),
        "--controls": given("--controls", choice(["never", "not_yet"])),
        "--min-coverage": given("--min-coverage", NUMBERS),
        "--reference": given("--reference", st.one_of(st.sampled_from(["2012"]), NUMBERS)),
        "--level": given("--level", NUMBERS),
        "--format": given("--format", choice(["table", "csv", "json"])),
        "--details": st.just(["--details"]),
        "--without-replacement": st.just(["--without-replacement"]),
    }


@st.composite
def compare_args(draw) -> list[str]:
    """`compare` with a definition and a method, a few other options, and now and
    then a stray token: mostly runs that reach the library, not argparse's usage."""
    from analysis.compare import METHODS

    argv = ["compare"]
    if draw(st.integers(0, 9)) > 0:
        argv += ["--definition", draw(choice(["ice2014", "dhs2025", "g287_2015", "doj2025"]))]
    argv += ["--method", draw(choice(METHODS))]
    options = compare_options()
    for name in draw(st.lists(st.sampled_from(sorted(options)), max_size=4, unique=True)):
        argv += draw(options[name])
    if draw(st.integers(0, 9)) == 0:
        argv += draw(st.lists(TOKENS, min_size=1, max_size=2))
    return argv


@pytest.mark.integration  # estimates on the built panel (data/processed)
@fuzz(80)
@given(argv=compare_args())
def test_compare_takes_any_arguments(argv):
    EXAMPLES["compare"] += 1
    status, out, err = outcome(argv)
    expected(status, err)
    if status == 0 and "--help" not in argv:
        assert out.strip()


# Found by the test above (a confidence level and a number of draws no estimate can have).


@pytest.mark.integration
@pytest.mark.parametrize("level", ["1", "16", "1e9", "nan", "-0.5", "0"])
@pytest.mark.parametrize("method", ["match", "raw"])
def test_a_confidence_level_outside_0_1_is_refused(method, level):
    """`--level 1` (or more) stops match, strata and regression with StatisticsError or
    numpy's ValueError, tracebacks; `--level nan`, `0` or `-0.5` give blank, zero-width
    or inverted intervals without a word (raw). compare() should refuse a level outside
    (0, 1) with an UnknownChoice-style message."""
    status, _, err = outcome(
        ["compare", "--definition", "ice2014", "--method", method, "--level", level]
    )
    assert status == 2 and err.startswith("error: ") and "level" in err


@pytest.mark.integration
@pytest.mark.parametrize("draws", ["0", "-3"])
def test_a_permutation_test_needs_a_draw(draws):
    """`--method permutation --permutations 0` (or negative) ends in numpy's ValueError
    "need at least one array to concatenate", a traceback; n_boot and n_neighbours are
    checked ("must be at least ..."), n_permutations is not."""
    status, _, err = outcome(
        ["compare", "--definition", "ice2014", "--method", "permutation", "--permutations", draws]
    )
    assert status == 2 and err.startswith("error: ") and "permutations" in err


@pytest.mark.integration
@pytest.mark.parametrize("method", ["raw", "regression"])
def test_weights_outside_the_methods_choices_are_refused(method):
    """Found by the fuzzing above: `--weights ''` reached the weighted mean with no weights
    (TypeError)."""
    status, _, err = outcome(
        ["compare", "--definition", "ice2014", "--method", method, "--weights", ""]
    )
    assert status == 2 and err.startswith("error: ") and "weights" in err


def definitions_args() -> st.SearchStrategy[list[str]]:
    formats = st.sampled_from([[], ["--format", "csv"], ["--format", "json"], ["--format", "x"]])
    return st.one_of(
        st.tuples(
            formats,
            st.sampled_from([[], ["show"]]),
            st.lists(choice(["ice2014", "g287_2015", "doj2025_broad", "--format"]), max_size=3),
            formats,
        ).map(lambda t: ["definitions", *t[0], *t[1], *t[2], *t[3]]),
        st.lists(TOKENS, max_size=3).map(lambda t: ["definitions", *t]),
    )


@pytest.mark.integration  # the built definitions (data/processed)
@fuzz(60)
@given(argv=definitions_args())
def test_definitions_takes_any_arguments(argv):
    EXAMPLES["definitions"] += 1
    status, _, err = outcome(argv)
    expected(status, err)


@fuzz(60)
@given(
    names=st.lists(TOKENS, max_size=3),
    jobs=st.one_of(st.just([]), NUMBERS.map(lambda n: ["--jobs", n])),
    listing=st.one_of(
        st.none(), st.binary(max_size=40), st.sampled_from(["missing", "folder", "demo-2016"])
    ),
)
def test_report_takes_any_arguments_and_writes_nothing_for_a_bad_one(
    site, monkeypatch_module, names, jobs, listing
):
    EXAMPLES["report"] += 1
    # Only names that cannot start a real run: a report's run is tested elsewhere.
    names = [n for n in names if n not in ("demo-2015", "demo-2016", "demo-labelled")]
    (site / "reports" / "reports.yml").write_text((SITE / "reports" / "reports.yml").read_text())
    argv = ["report", *names, *jobs]
    if listing is not None:
        target = site / "listing.txt"
        if isinstance(listing, bytes):
            target.write_bytes(listing.replace(b"demo", b"x"))
        elif listing == "folder":
            target = site / "notebooks"
        elif listing == "missing":
            target = site / "no such file.txt"
        else:
            target = site / "listing.txt"
            target.write_text("nope-1\n")
        argv += ["--from", str(target)]
    before = sorted(p.relative_to(site) for p in (site / "reports").rglob("*"))
    status, _, err = outcome(argv)
    expected(status, err)
    assert sorted(p.relative_to(site) for p in (site / "reports").rglob("*")) == before


@pytest.fixture(scope="module")
def monkeypatch_module(site):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYSIS_ROOT", str(site))
        yield mp


def test_the_fuzzed_site_is_the_fixture_not_the_project(site, monkeypatch_module):
    """The report command's examples run against the fixture site, never this project."""
    assert paths.root() == site and config.config_path() == site / "reports" / "reports.yml"
