"""pyproject.toml and environment.yml must declare the same packages and versions."""

import re
import tomllib

import yaml

from analysis.core import paths

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
    # A package conda-forge lacks sits in the `pip:` list, installed into the same environment.
    from_pip = [r for d in conda["dependencies"] if isinstance(d, dict) for r in d.get("pip", [])]
    listed = [r for r in conda["dependencies"] if isinstance(r, str)] + from_pip
    conda_side = dict(_split(r) for r in listed)
    conda_side = {k: v for k, v in conda_side.items() if k not in NOT_PACKAGES}
    assert sorted(set(pip_side) ^ set(conda_side)) == [], "packages differ"
    assert {k: v for k, v in pip_side.items() if conda_side[k] != v} == {}, "versions differ"
    assert "conda-forge" in conda["channels"]


def test_the_lockfile_was_made_from_this_pyproject():
    """uv.lock pins what `make setup` installs; `make lock` must be run after a change
    to the dependencies in pyproject.toml, or the lock installs something else."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((paths.REPO_DIR / "pyproject.toml").read_text())["project"]
    lock = tomllib.loads((paths.REPO_DIR / "uv.lock").read_text())
    ours = next(p for p in lock["package"] if p["name"] == project["name"])
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(f"{r}; extra == 'dev'") for r in project["optional-dependencies"]["dev"]]
    recorded = {(d["name"], d.get("specifier", "")) for d in ours["metadata"]["requires-dist"]}
    assert {(r.name.lower(), str(r.specifier)) for r in wanted} == recorded, "run `make lock`"
    pinned = {p["name"]: Version(p["version"]) for p in lock["package"] if "version" in p}
    for requirement in wanted:
        assert pinned[requirement.name.lower()] in requirement.specifier, requirement
