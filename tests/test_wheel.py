"""The built wheel works outside the checkout: `pip install`, `ilcs init`, notebooks, an app.

Slow (a minute or two): it builds the wheel without network (setuptools from the test extra),
installs it into a fresh virtual environment whose other packages come from this one, lays
out a course folder in a temporary directory, runs the start and outcome-4 notebooks there
under nbval and opens the app gallery served by `ilcs present`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(dist), str(ROOT)], check=True, cwd=dist)
    (found,) = dist.glob("ilcs-*.whl")
    return found


def test_wheel_carries_the_course_but_not_the_assessor_keys(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("ilcs/_course/notebooks/00_start_here.ipynb",
                   "ilcs/_course/notebooks/apps/gallery.ipynb",
                   "ilcs/_course/datasets/sample/requests.csv",
                   "ilcs/_course/datasets/questions/bank.yaml",
                   "ilcs/_course/datasets/units/A-601-2550.yaml",
                   "ilcs/_course/voila.json",
                   "ilcs/voila/data/voila/templates/ilcs/index.html.j2"):
        assert needed in names, needed
    assert not [n for n in names if "/assessor/" in n]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the wheel installed (other packages shared)."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The packages ilcs needs come from this environment; ilcs itself only from the wheel
    # (a .pth line adds a folder but does not run the editable install's own .pth).
    (site / "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--quiet", str(wheel)], check=True)
    return bin_dir


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "ILCS_DATASETS", "ILCS_COURSE", "VIRTUAL_ENV"}}
    env["ILCS_HOME"] = str(home)
    # The shared packages' data files (Voila's base templates, the kernel spec) live under
    # this environment's prefix, not the new one's: a plain `pip install` would put them there.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


def test_init_then_notebooks_and_an_app_work_outside_the_checkout(installed: Path,
                                                                  tmp_path: Path) -> None:
    env = _clean_env(tmp_path / "home")
    where = subprocess.run([str(installed / "python"), "-c",
                            "import ilcs, ilcs.paths as p; print(ilcs.__file__); print(p.course_dir())"],
                           capture_output=True, text=True, check=True, cwd=tmp_path, env=env).stdout
    assert str(ROOT) not in where.splitlines()[0]  # the wheel's ilcs, not the checkout's

    subprocess.run([str(installed / "ilcs"), "init", "course"], check=True, cwd=tmp_path, env=env)
    course = tmp_path / "course"
    assert (course / "notebooks" / "04_quality_standards.ipynb").is_file()
    assert not (course / "datasets" / "assessor").exists()

    run = subprocess.run(
        [str(installed / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "notebooks/00_start_here.ipynb", "notebooks/04_quality_standards.ipynb"],
        cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]

    from ilcs.present import free_port

    port = free_port()
    server = subprocess.Popen([str(installed / "ilcs"), "present", "--port", str(port),
                               "--no-browser"], cwd=course, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/gallery.ipynb",
                                            timeout=300) as response:
                    page = response.read().decode("utf-8", "replace")
                break
            except OSError:
                time.sleep(0.5)
        assert "application/vnd.jupyter.widget-view+json" in page  # the gallery was shown
        assert '<main id="ilcs-main"' in page and "Traceback" not in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
