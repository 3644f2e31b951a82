"""Voila set-up of our own: the offline page template (data/), the kernel manager (kernels.py)
and the application `ilcs present` runs (server.py). The constants below are shared without
importing Voila."""

TOKEN_ENV = "ILCS_VOILA_TOKEN"  # how `ilcs present` hands the token to the server
DEFAULT_MAX_KERNELS_PER_APP = 35  # a class of 30, the trainer and a few spare

# Memory, measured with benchmarks/bench_kernels.py (docs/apps.md, "Memory a class needs").
KERNEL_MIB = 150  # one open app page: its kernel's resident memory, rounded up
SERVER_MIB = 150  # the Voila server itself


def class_memory_mib(open_pages: int) -> int:
    """Memory (MiB) the apps need with `open_pages` pages open at once (warm kernels too)."""
    from ilcs.apps import APPS

    warm = sum(1 for app in APPS if app.preheat)
    return SERVER_MIB + KERNEL_MIB * (open_pages + warm)
