"""Ending every process a test starts, also when the test fails or times out.

A server a test starts (Voila, `ilcs present`, JupyterLab) runs in a session of its own
(`start_new_session=True`), so its process group holds it and whatever it started in that
group; Jupyter kernels run in sessions of their own, so they are found as descendants.
`end_process_tree` asks politely first (the server shuts its kernels down), then kills the
group and every descendant that is left. Fixtures call it in `finally`, which pytest-timeout
(its default signal method on Linux and macOS) still runs when a test times out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator, Sequence

import psutil


def start_process(command: Sequence[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """`subprocess.Popen` in a new session, so `end_process_tree` can end its whole group."""
    return subprocess.Popen(list(command), start_new_session=True, **kwargs)  # type: ignore[call-overload]


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def end_process_tree(proc: subprocess.Popen[bytes], *, polite: int = signal.SIGTERM,
                     grace: float = 30.0) -> None:
    """Stop `proc` with `polite` (waiting up to `grace` s), then SIGKILL its process group
    (when it leads one) and every descendant still running, and reap them."""
    own_group = False
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            own_group = os.getpgid(proc.pid) == proc.pid
    family = {p.pid: p for p in _descendants(proc.pid)}
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(polite)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    family.update({p.pid: p for p in _descendants(proc.pid)})
    if own_group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    for member in family.values():
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            member.kill()
    psutil.wait_procs(list(family.values()), timeout=10)
    if proc.poll() is None:
        proc.kill()
    proc.wait()


@contextlib.contextmanager
def ended_on_exit(proc: subprocess.Popen[bytes], *, polite: int = signal.SIGTERM,
                  grace: float = 30.0) -> Iterator[subprocess.Popen[bytes]]:
    """`with ended_on_exit(start_process(...)) as proc:` ends the tree however the block ends."""
    try:
        yield proc
    finally:
        end_process_tree(proc, polite=polite, grace=grace)
