"""The project's set-up files agree with each other."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


# Extras left out of environment.yml on purpose: `bench` is nbgrader, the peer that
# benchmarks/bench_review_vs_nbgrader.py measures; it adds its own extensions to every Jupyter
# server of the environment it is in, so it goes in a scratch environment, never the conda one.
NOT_IN_CONDA = {"bench"}


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pyproject = {_name(r) for r in project["dependencies"]}
    for name, extra in project["optional-dependencies"].items():
        if name not in NOT_IN_CONDA:
            pyproject |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: set[str] = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda |= {_name(r) for r in dep.get("pip", [])}
        else:
            conda.add(_name(dep))
    conda -= {"python", "pip"}
    assert pyproject == conda, (
        f"only in pyproject: {sorted(pyproject - conda)}; only in environment.yml: "
        f"{sorted(conda - pyproject)}"
    )


def test_required_core_dependencies_are_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert {"jupyterlab", "ipywidgets", "pandas", "nbval", "voila"} <= names
    voila = next(r for r in project["dependencies"] if _name(r) == "voila")
    assert ">=0.5.6" in voila.replace(" ", "")


def test_readme_quick_start_has_exactly_two_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1]
    block = section.split("```", 2)[1]
    lines = [ln for ln in block.splitlines()[1:] if ln.strip()]
    assert len(lines) == 2, lines
    assert "start" in lines[0] and "test" in lines[1]


def test_cli_version():
    out = subprocess.run([sys.executable, "-m", "ilcs", "--version"], capture_output=True,
                         text=True, check=True)
    from ilcs import __version__

    assert out.stdout.strip() == f"ilcs {__version__}"
