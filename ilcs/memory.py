"""Giving memory back to the operating system after a large step.

Reading a million-row file a chunk at a time, or measuring every standard on it, frees
many short-lived arrays. The C library (glibc, on Linux) keeps freed space for later use,
but large arrays are then taken afresh, so the process grows by about a hundred megabytes
it no longer uses at each large step. `release_free_memory` hands that space back; it is
called after such steps (loading a large file, measuring the standards).
"""

from __future__ import annotations

import ctypes
import sys


def release_free_memory() -> None:
    """Return memory freed by the C library to the operating system (glibc's
    `malloc_trim`); elsewhere (macOS, Windows, other C libraries) nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to release this way
        pass
