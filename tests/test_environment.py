"""pyproject.toml and environment.yml must declare the same packages and versions."""

import re
import tomllib

import yaml

from analysis import paths

NOT_PACKAGES = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", requirement.strip())
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_pyproject_and_environment_yml_agree():
    project = tomllib.loads((paths.REPO_DIR / "pyproject.toml").read_text())["project"]
    pip_side = dict(
        _split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    conda = yaml.safe_load((paths.REPO_DIR / "environment.yml").read_text())
    conda_side = dict(_split(r) for r in conda["dependencies"] if isinstance(r, str))
    conda_side = {k: v for k, v in conda_side.items() if k not in NOT_PACKAGES}
    assert sorted(set(pip_side) ^ set(conda_side)) == [], "packages differ"
    assert {k: v for k, v in pip_side.items() if conda_side[k] != v} == {}, "versions differ"
    assert "conda-forge" in conda["channels"]
