"""Build hook: the wheel carries the course files a centre needs (see ilcs/paths.py).

`python -m build` / `pip wheel .` copy the notebooks, the datasets (without the assessor's
keys and rubrics) and the Voila settings into `ilcs/_course/` inside the wheel, so that
`pip install ilcs` followed by `ilcs init DIR` gives a working course folder anywhere. All
other settings are in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What a course folder holds, relative to the project; assessor-only files are left out.
COURSE_FILES = ("notebooks", "datasets", "voila.json")
NEVER_SHIPPED = ("assessor", ".ipynb_checkpoints", "__pycache__")


class BuildPyWithCourse(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "ilcs" / "_course"
        if target.exists():
            shutil.rmtree(target)
        for name in COURSE_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name,
                                ignore=shutil.ignore_patterns(*NEVER_SHIPPED))
            elif source.is_file():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildPyWithCourse})
