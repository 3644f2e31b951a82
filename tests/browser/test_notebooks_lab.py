"""The trainee's notebooks in JupyterLab, started as `python3 bootstrap.py start` starts it,
in a 1280x800 window with the file browser open: every notebook runs top to bottom; no
ilcs button or tab label is cut off (its text wider than its box); axe-core finds no serious
or critical accessibility problem inside the notebooks' outputs; the "get notified about
official Jupyter news?" question never appears; nothing is fetched from outside."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import bootstrap
from ilcs.paths import PROJECT_DIR
from ilcs.present import free_port
from tests.browser.test_apps_browser import SERIOUS, TRUNCATED_JS
from tests.support.processes import end_process_tree, start_process

NOTEBOOKS = ("00_start_here.ipynb", "04_quality_standards.ipynb")
RUN_TIMEOUT_MS = int(os.environ.get("ILCS_TEST_RUN_TIMEOUT_MS", "300000"))
NEWS_QUESTION = "Would you like to get notified about official Jupyter news?"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.is_file() and json.loads(overrides.read_text())[
        "@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false", (
        f"{overrides} does not switch the news question off: bootstrap.py writes it when it "
        "installs ilcs (python3 bootstrap.py test)")
    work = tmp_path_factory.mktemp("lab")
    folder = work / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS:  # a copy: running the notebooks must not change the committed ones
        shutil.copy(PROJECT_DIR / "notebooks" / name, folder / name)
    settings = work / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)  # every cell in the page, so every output can be checked
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    token = secrets.token_hex(16)
    port = free_port()
    config = bootstrap.token_config(token)
    command = bootstrap.lab_command(
        port, "127.0.0.1",
        [f"--LabApp.user_settings_dir={work / 'user-settings'}",
         f"--LabApp.workspaces_dir={work / 'workspaces'}", "--LabApp.expose_app_in_browser=True"],
        open_browser=False, config=config, bin_dir=Path(sys.executable).parent,
        notebooks=folder)
    log = work / "lab.log"
    with open(log, "wb") as out:
        proc = start_process(command, cwd=work, stdout=out, stderr=out)
    try:
        api = f"http://127.0.0.1:{port}/api/contents/{NOTEBOOKS[0]}?content=0&token={token}"
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(api, timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < deadline, "JupyterLab did not answer in 120 s"
                time.sleep(0.3)
        yield {"port": port, "token": token, "log": log}
    finally:
        end_process_tree(proc)
        shutil.rmtree(config.parent, ignore_errors=True)


def run_notebook(page, lab: dict, name: str) -> None:
    # ?reset: a fresh workspace, so no notebook opened by an earlier test comes back
    page.goto(f"http://127.0.0.1:{lab['port']}/lab/tree/{name}?reset&token={lab['token']}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=120_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started")
    started = page.evaluate("""async (name) => {
      const app = window.jupyterapp;
      for (const widget of app.shell.widgets('main')) {
        if (widget.context && widget.context.path === name) {
          app.shell.activateById(widget.id);
          await widget.sessionContext.ready;
          await app.commands.execute('notebook:run-all-cells');
          return true;
        }
      }
      return false;
    }""", name)
    assert started, f"{name} is not open in JupyterLab"
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(  # every code cell has run: [n] in each prompt, none still [*]
            """() => {
              const prompts = Array.from(
                document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
              return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""", timeout=RUN_TIMEOUT_MS)
    except PlaywrightTimeout:
        prompts = page.evaluate("() => Array.from(document.querySelectorAll("
                                "'.jp-CodeCell .jp-InputPrompt')).map(p => p.textContent)")
        errors = page.locator(".jp-OutputArea-output[data-mime-type*='error'], "
                              ".jp-OutputArea-output[data-mime-type*='stderr']").all_inner_texts()
        pytest.fail(f"{name} did not run to the end: prompts {prompts}; errors {errors}; "
                    f"server log: {lab['log'].read_text()[-1500:]}")
    page.locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(state="visible")
    page.wait_for_timeout(2000)  # widgets finish drawing
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert page.locator(".jp-OutputArea-output.jp-mod-error, .jp-RenderedText "
                        "[data-mime-type='application/vnd.jupyter.error']").count() == 0
    assert "Traceback" not in page.locator(".jp-Notebook").inner_text(), errors.count()


@pytest.fixture()
def lab_page(browser, lab: dict) -> Iterator[object]:
    from tests.browser.conftest import PageWatch

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)
    watch = PageWatch()
    page.route("**/*", watch.route)
    try:
        yield page
        assert watch.outside == [], f"requests left this computer: {watch.outside}"
    finally:
        context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_jupyterlab_at_1280(lab_page, lab: dict, axe_js: Path, name: str) -> None:
    page = lab_page
    run_notebook(page, lab, name)
    assert page.locator(".jp-FileBrowser").first.is_visible(), "the file browser is open"
    truncated = page.evaluate(TRUNCATED_JS, ".jp-OutputArea-output")
    assert truncated == [], f"labels cut off at 1280 px: {truncated}"
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        "async () => (await axe.run({include: [['.jp-OutputArea-output']]})).violations")
    serious = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
               for v in result if v["impact"] in SERIOUS]
    assert serious == [], json.dumps(serious, indent=1)
    assert page.get_by_text(NEWS_QUESTION).count() == 0, "the Jupyter news question appeared"


def test_the_truncation_check_sees_a_cut_off_label(lab_page) -> None:
    page = lab_page
    page.set_content(
        '<div id="r"><button style="width:70px;overflow:hidden;white-space:nowrap;'
        'text-overflow:ellipsis">Write my evidence pack</button><button>OK</button></div>')
    found = page.evaluate(TRUNCATED_JS, "#r")
    assert len(found) == 1 and found[0].startswith("Write my evidence pack ("), found
