"""The README quotes the reports' findings and a command's output: both must be what
the code gives on the real data now, not what it gave once."""

import json
import re
import subprocess
import sys

import pytest

from analysis.core import paths

pytestmark = pytest.mark.integration

README = (paths.REPO_DIR / "README.md").read_text()


@pytest.mark.needs_icpsr  # the README quotes the full build, ICPSR years included
def test_quoted_findings_are_the_built_reports_findings():
    block = README.split("<!-- findings -->")[1].split("<!-- /findings -->")[0]
    quoted = re.findall(r"^- \*\*(\S+)\*\*: (.+)$", block, flags=re.M)
    assert len(quoted) >= 5
    for name, sentence in quoted:
        meta = json.loads((paths.reports_dir() / "meta" / f"{name}.json").read_text())
        said = meta.get("findings") or [meta["finding"]]
        assert sentence in said, f"README's finding for {name} is out of date"


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_example_command_output_is_current(number):
    example = README.split("```console\n")[number].split("```")[0]
    command, _, expected = example.partition("\n")
    while command.endswith("\\"):
        more, _, expected = expected.partition("\n")
        command = command[:-1] + more
    args = command.removeprefix("$ ").split()
    assert args[:3] == [".venv/bin/python", "-m", "analysis"]
    result = subprocess.run(
        [sys.executable, *args[1:]], cwd=paths.REPO_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected.strip()


def test_definition_counts_are_the_built_definitions():
    from analysis import list_definitions

    built = list_definitions()
    rows = re.findall(
        r"^\| `(\w+)` \| [^|]+ \| (\d[\d,]*) (sanctuary|cooperating) \|$", README, flags=re.M
    )
    assert {r[0] for r in rows} == set(built.index)
    for name, count, status in rows:
        assert (int(count.replace(",", "")), status) == (
            built.loc[name, "counties"],
            built.loc[name, "status"],
        ), name
