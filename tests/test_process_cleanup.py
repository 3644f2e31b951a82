"""Tests end every process they start: the helper the server fixtures use kills a process
that ignores the polite signal, its group and a child in a session of its own (as Jupyter
starts kernels), and it does so when a test times out too."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

from tests.support.processes import end_process_tree, start_process

ROOT = Path(__file__).resolve().parents[1]

# A "server" that ignores SIGTERM and starts a "kernel" in a session of its own; it writes
# both process ids to the file named in argv[1], then waits forever.
SERVER = textwrap.dedent("""
    import signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                              start_new_session=True)
    with open(sys.argv[1], "w") as fh:
        fh.write(f"{kernel.pid}\\n")
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_for_pid(path: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


def test_end_process_tree_kills_the_server_and_its_kernel(tmp_path: Path) -> None:
    pids = tmp_path / "pids.txt"
    proc = start_process([sys.executable, "-c", SERVER, str(pids)])
    kernel = _wait_for_pid(pids)
    assert _alive(proc.pid) and _alive(kernel)
    end_process_tree(proc, grace=1)
    assert proc.returncode is not None
    deadline = time.monotonic() + 10
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(kernel), "the kernel in its own session was left running"


def test_a_timed_out_test_still_ends_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids.txt"
    test_file = tmp_path / "test_hangs.py"
    test_file.write_text(textwrap.dedent(f"""
        import sys
        import pytest
        from tests.support.processes import ended_on_exit, start_process

        @pytest.mark.timeout(3)
        def test_hangs():
            with ended_on_exit(start_process([sys.executable, "-c", {SERVER!r},
                                              {str(pids)!r}]), grace=1) as proc:
                with open({str(pids)!r} + ".server", "w") as fh:
                    fh.write(f"{{proc.pid}}\\n")
                import time
                time.sleep(60)
    """))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--rootdir", str(tmp_path), str(test_file)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "Timeout" in run.stdout + run.stderr and run.returncode == 1, run.stdout[-2000:]
    server = int(Path(str(pids) + ".server").read_text())
    kernel = int(pids.read_text())
    time.sleep(0.5)
    assert not _alive(server), "the server outlived its timed-out test"
    assert not _alive(kernel), "the kernel outlived its timed-out test"
