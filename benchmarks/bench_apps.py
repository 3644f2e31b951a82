"""Benchmark: how fast each class app opens in the browser, against a bare Voila notebook.

    python benchmarks/bench_apps.py [--repeats 5] [--only gallery,class_quiz]

Serves every registered app and `benchmarks/bare_voila.ipynb` (pandas and one slider) from
one folder with the same settings as `ilcs present`, twice: cold (no kernel pool) and
preheated (one warm kernel per notebook). For each notebook it times, in headless Chromium,
navigation -> the key widget visible (median of the repeats), and prints each app's time
against the bare notebook's in the same mode. Last line:

    apps_worst_cold_ratio=<x> apps_worst_preheated_ratio=<y>

Targets: cold <= 1.5, preheated <= 1.25.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ilcs.apps import APPS, get_app
from ilcs.present import app_url, free_port, start_server, stop_server, wait_until_listening

HERE = Path(__file__).resolve().parent
BARE = "bare_voila"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
POOL_REFILL_WAIT_S = 8.0  # a used warm kernel is replaced after fill_delay + start-up + run


def key_selector(name: str) -> str:
    return ".bench-bare" if name == BARE else get_app(name).key_selector


def serve_folder() -> Path:
    """A temporary folder holding copies of every app notebook and the bare one."""
    folder = Path(tempfile.mkdtemp(prefix="ilcs-bench-apps-"))
    for app in APPS:
        shutil.copy(app.path, folder / app.notebook)
    shutil.copy(HERE / f"{BARE}.ipynb", folder / f"{BARE}.ipynb")
    return folder


def time_opening(browser, port: int, name: str) -> float:
    """Seconds from navigation to the notebook's key widget being visible (new tab)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(app_url(port, f"{name}.ipynb"))
        page.locator(key_selector(name)).first.wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - start
    finally:
        context.close()


def measure(browser, names: list[str], preheat: bool, repeats: int) -> dict[str, float]:
    """Median opening time of each notebook, served cold or preheated."""
    folder = serve_folder()
    pools = {"default": {"pool_size": 0}, **{f"{n}.ipynb": {"pool_size": 1} for n in names}}
    port = free_port()
    proc = start_server(port, preheat=preheat, apps_dir=folder, pools=pools,
                        log_file=folder / "voila.log")
    times: dict[str, list[float]] = {n: [] for n in names}
    try:
        wait_until_listening(port, proc)
        # Warm-up (not timed): the browser fetches Voila's scripts once, pools fill up.
        time_opening(browser, port, BARE)
        time.sleep(POOL_REFILL_WAIT_S if preheat else 1.0)
        for repeat in range(repeats):
            shift = repeat % len(names)  # rotate the order, so no app always follows another
            for name in names[shift:] + names[:shift]:
                times[name].append(time_opening(browser, port, name))
                time.sleep(POOL_REFILL_WAIT_S if preheat else 1.0)
    finally:
        stop_server(proc)
        shutil.rmtree(folder, ignore_errors=True)
    return {n: statistics.median(t) for n, t in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated app names (default: all)")
    args = parser.parse_args(argv)
    chromium = os.environ.get("ILCS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    chosen = [n for n in args.only.split(",") if n]
    names = [BARE, *(a.name for a in APPS if not chosen or a.name in chosen)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            cold = measure(browser, names, preheat=False, repeats=args.repeats)
            warm = measure(browser, names, preheat=True, repeats=args.repeats)
        finally:
            browser.close()
    print(f"{'notebook':<16} {'cold s':>8} {'ratio':>6} {'preheated s':>12} {'ratio':>6}")
    worst_cold = worst_warm = 0.0
    for name in names:
        cold_ratio = cold[name] / cold[BARE]
        warm_ratio = warm[name] / warm[BARE]
        if name != BARE:
            worst_cold = max(worst_cold, cold_ratio)
            worst_warm = max(worst_warm, warm_ratio)
        print(f"{name:<16} {cold[name]:>8.2f} {cold_ratio:>6.2f} {warm[name]:>12.2f} "
              f"{warm_ratio:>6.2f}")
    print(f"apps_worst_cold_ratio={worst_cold:.2f} apps_worst_preheated_ratio={worst_warm:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
