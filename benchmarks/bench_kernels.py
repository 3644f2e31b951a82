"""Benchmark: does the Voila server give its memory back after pages are opened and closed?

    python benchmarks/bench_kernels.py [--repeat 20] [--only gallery,review] [--wait 60]

Starts the apps as `ilcs present` does (warm kernels, the token, voila.json's culling: a
kernel whose page has gone is shut down within a minute), with a demo cohort for the review
app. Once the warm kernels are ready and every app has been opened once (so one-off caches
are filled), it measures the resident memory of the server's whole process tree (the server
and every kernel; psutil if installed, else /proc). Then it opens each app `--repeat` times in
headless Chromium (Debian's, through Playwright), each in a new tab that is closed as soon as
the app is shown, without the page's goodbye (`beforeunload`), as when a browser is killed:
only the server's culling can free those kernels. It waits `--wait` seconds and measures
again. It also prints each app's kernel memory (the figure docs/apps.md uses). Last line:

    kernels_left=<n> rss_growth_mib=<x>

kernels_left counts kernels beyond those running at the first measure (the warm ones).
Target: kernels_left=0 and rss_growth_mib within 50.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ilcs.apps import APPS, get_app
from ilcs.present import (
    HOST,
    app_url,
    free_port,
    open_notebooks,
    process_tree,
    start_server,
    stop_server,
    wait_until_listening,
)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TOKEN = "bench-kernels-token"
MIB = 1024 * 1024


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 if it has gone)."""
    try:
        import psutil
    except ImportError:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0
        return pages * os.sysconf("SC_PAGE_SIZE")
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def is_kernel(pid: int) -> bool:
    try:
        return b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def kernels(server_pid: int) -> set[int]:
    return {pid for pid in process_tree(server_pid) if is_kernel(pid)}


def tree_rss_mib(server_pid: int) -> float:
    return sum(rss_bytes(pid) for pid in process_tree(server_pid)) / MIB


def wait_for_steady_kernels(server_pid: int, count: int, timeout: float = 180) -> None:
    """Wait until exactly `count` kernels run and have for 5 s (pools filled, culls done)."""
    deadline = time.monotonic() + timeout
    steady_since = None
    while time.monotonic() < deadline:
        if len(kernels(server_pid)) == count:
            steady_since = steady_since or time.monotonic()
            if time.monotonic() - steady_since >= 5:
                return
        else:
            steady_since = None
        time.sleep(0.5)
    print(f"warning: {len(kernels(server_pid))} kernels running, expected {count}",
          file=sys.stderr)


def kernel_pid(server_pid: int, kernel_id: str) -> int | None:
    """The process of one kernel (its command line names its connection file)."""
    marker = f"kernel-{kernel_id}.json".encode()
    for pid in kernels(server_pid):
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def open_and_close(browser, port: int, name: str, server_pid: int) -> float:
    """One viewer: a new tab, the app shown, the tab gone (no goodbye to the server).

    Returns the resident memory (MiB) of the page's kernel while the app was shown."""
    app = get_app(name)
    token = TOKEN if app.notebook not in open_notebooks(HOST) else ""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = context.new_page()
        page.goto(app_url(port, app.notebook, token=token))
        page.locator(app.key_selector).first.wait_for(state="visible", timeout=180_000)
        kernel_id = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        pid = kernel_pid(server_pid, str(kernel_id))
        return rss_bytes(pid) / MIB if pid is not None else 0.0
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated app names (default: all)")
    parser.add_argument("--wait", type=float, default=60.0,
                        help="seconds to wait after the last tab closed (default 60)")
    args = parser.parse_args(argv)
    chromium = os.environ.get("ILCS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from ilcs.assessment.demo import make_demo_cohort
    from ilcs.assessment.store import DATABASE_URL_ENV, AnswerStore

    chosen = [n for n in args.only.split(",") if n]
    names = [a.name for a in APPS if not chosen or a.name in chosen]
    warm = sum(1 for a in APPS if a.preheat)
    work = Path(tempfile.mkdtemp(prefix="ilcs-bench-kernels-"))
    url = f"sqlite:///{work / 'cohort.sqlite'}"
    with AnswerStore.open(url) as store:
        make_demo_cohort(store, 30)
    os.environ[DATABASE_URL_ENV] = url  # the server and its kernels use this store
    os.environ.setdefault("ILCS_ASSESSOR", "A. Khan")
    port = free_port()
    proc = start_server(port, log_file=work / "voila.log", token=TOKEN,
                        open_to_all=open_notebooks(HOST))
    app_kernel_mib: dict[str, float] = {}
    try:
        wait_until_listening(port, proc)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                wait_for_steady_kernels(proc.pid, warm)
                for name in names:  # warm-up: one opening each, its kernel measured
                    app_kernel_mib[name] = open_and_close(browser, port, name, proc.pid)
                print(f"warm-up done; waiting {args.wait:.0f} s for its kernels to go",
                      flush=True)
                time.sleep(args.wait)
                wait_for_steady_kernels(proc.pid, warm)
                base_kernels = len(kernels(proc.pid))
                base_rss = tree_rss_mib(proc.pid)
                print(f"before: {base_kernels} kernels, {base_rss:.0f} MiB", flush=True)
                started = time.monotonic()
                peak_kernels = base_kernels
                for repeat in range(args.repeat):
                    for name in names:
                        open_and_close(browser, port, name, proc.pid)
                        peak_kernels = max(peak_kernels, len(kernels(proc.pid)))
                    print(f"round {repeat + 1}/{args.repeat}: "
                          f"{len(kernels(proc.pid))} kernels, {tree_rss_mib(proc.pid):.0f} MiB",
                          flush=True)
                took = time.monotonic() - started
                time.sleep(args.wait)
            finally:
                browser.close()
        after_kernels = len(kernels(proc.pid))
        after_rss = tree_rss_mib(proc.pid)
    finally:
        stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'app':<22} {'kernel MiB':>10}")
    for name, mib in app_kernel_mib.items():
        print(f"{name:<22} {mib:>10.0f}")
    print(f"{len(names) * args.repeat} openings in {took:.0f} s; at most {peak_kernels} "
          f"kernels at once; {args.wait:.0f} s later: {after_kernels} kernels, "
          f"{after_rss:.0f} MiB (before: {base_kernels}, {base_rss:.0f} MiB)")
    print(f"kernels_left={after_kernels - base_kernels} "
          f"rss_growth_mib={after_rss - base_rss:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
