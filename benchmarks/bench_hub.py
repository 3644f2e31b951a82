"""Load on one hub server: N trainees saving answers through their own servers' kernels.

    python benchmarks/bench_hub.py --users 25 --answers 100

Starts a real JupyterHub on loopback (tests/support/hub.py: configurable-http-proxy from npm,
DummyAuthenticator, SimpleLocalProcessSpawner, each trainee's own PostgreSQL login) over a
fresh PostgreSQL database made for this run and dropped after it. The review service is not
started (the hub gives a managed service only 10 s to answer, too short on a loaded machine);
the assessor below reads the store as the review app's kernel does.

- spawn: each trainee's server is started through the hub's REST API, one every
  `--stagger` seconds (a class arriving); each start is timed to "ready" -> spawn_p50_s;
- save: each trainee opens a kernel through the proxy (kernels API + WebSocket, as JupyterLab
  does), loads what a lesson notebook loads (the question widgets, the sample requests) and
  saves `--answers` answers with ilcs's own `AnswerStore.save_answer`, each save
  timed inside the kernel and reported back -> save_p99_ms. The pace is a trainee's: groups
  of `--burst` answers with a think time drawn from `--pace` (seconds) before each, then a
  burst of `--burst` rapid saves. All trainees start saving together, after every server is
  up, so the saves meet the most concurrency;
- meanwhile an assessor refreshes the review matrix (`load_review_data(...).matrix()`, as
  the review app does) every `--refresh` seconds;
- lost: answers expected minus distinct answers in PostgreSQL (duplicates counted apart);
- memory, after the saves with every server and kernel still running, from /proc through
  psutil: the hub and its proxy (hub_rss_mib), and each trainee's server with its kernel
  (per_user_rss_mib = sum of their RSS / servers). RSS counts shared library pages once per
  process, so it over-counts a little: PSS is printed beside it.

Peer measured in the same run: the same saves made directly from this process with a
trainee's login (no hub, no kernel), before the hub starts. Everything (servers, kernels,
hub, proxy, database, trainee logins) is removed at the end, also on Ctrl-C or an error.
The LAST line is
`users=<n> lost=<k> save_p99_ms=<x> spawn_p50_s=<y> hub_rss_mib=<z> per_user_rss_mib=<w>`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MIB = 1024 * 1024

# What a trainee's lesson notebook has loaded (the question widgets, a sample table), then
# the saving function the question widgets call, timed.
KERNEL_SETUP = """
import time as _bench_time, uuid as _bench_uuid
from ilcs.assessment.views import show_questions
from ilcs.io import load_sample
_bench_requests = load_sample("requests")
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.questions import load_bank
from ilcs.assessment.profile import current_profile
_bench_bank = load_bank()
_bench_me = current_profile().candidate_id
_bench_store = AnswerStore.open()
def _bench_save(n):
    q = _bench_bank.questions[n % len(_bench_bank.questions)]
    t0 = _bench_time.perf_counter()
    _bench_store.save_answer(_bench_me, q.id, f"bench answer {n} from {_bench_me}", q.mode,
                             _bench_bank.version, answer_uid=_bench_uuid.uuid4().hex)
    print(f"saved {n} {(_bench_time.perf_counter() - t0) * 1000:.3f}")
print("ready", _bench_me)
"""


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values to take a percentile of")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def last_line(users: int, lost: int, save_p99_ms: float, spawn_p50_s: float,
              hub_rss_mib: float, per_user_rss_mib: float) -> str:
    return (f"users={users} lost={lost} save_p99_ms={save_p99_ms:.1f} "
            f"spawn_p50_s={spawn_p50_s:.1f} hub_rss_mib={hub_rss_mib:.0f} "
            f"per_user_rss_mib={per_user_rss_mib:.0f}")


def save_plan(rng: random.Random, answers: int, pace: tuple[float, float],
              burst: int) -> list[float]:
    """The wait in seconds before each save: `burst` answers each after a think time in
    `pace`, then `burst` more in a burst (a think time, then 0.02-0.1 s apart), and again."""
    waits = []
    for n in range(answers):
        place = n % (2 * burst)
        rapid = place > burst  # the burst's first save follows a think time
        waits.append(rng.uniform(0.02, 0.1) if rapid else rng.uniform(*pace))
    return waits


def _pace(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    try:
        values = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--pace takes MIN,MAX seconds, found {text!r}"
                                         ) from None
    if not 0 <= values[0] <= values[1]:
        raise argparse.ArgumentTypeError(f"--pace needs 0 <= MIN <= MAX, found {text!r}")
    return values


# ------------------------------------------------------------------ database of the run


@contextlib.contextmanager
def fresh_database(server_url: str, name: str, role_prefix: str) -> Iterator[str]:
    """Create database `name` on the server of `server_url`; its URL. On leaving, drop it
    and the login roles whose names start with `role_prefix` (roles belong to the server)."""
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield sa.make_url(server_url).set(database=name).render_as_string(
                hide_password=False)
        finally:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                roles = conn.execute(sa.text(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
                    {"p": role_prefix}).scalars().all()
                for role in roles:
                    conn.exec_driver_sql(f'DROP ROLE "{role}"')
    finally:
        engine.dispose()


# ------------------------------------------------------------------ the trainees


@dataclass
class Trainee:
    user: str
    waits: list[float]
    token: str = ""
    spawn_s: float | None = None
    kernel_id: str = ""
    ready: bool = False
    save_ms: list[float] = field(default_factory=list)
    round_trip_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _spawn(hub: Any, trainee: Trainee, delay: float, stop: threading.Event) -> None:
    """Start the trainee's server after `delay` s; time it to ready (polled every 0.5 s)."""
    if stop.wait(delay):
        return
    t0 = time.perf_counter()
    try:
        hub.request_server(trainee.user)
    except AssertionError as exc:
        trainee.errors.append(str(exc))
        return
    end = time.monotonic() + 300
    while not stop.is_set() and time.monotonic() < end:
        if hub.server_ready(trainee.user):
            trainee.spawn_s = time.perf_counter() - t0
            return
        stop.wait(0.5)
    trainee.errors.append(f"{trainee.user}'s server was not ready within 300 s")


async def _work(hub: Any, trainee: Trainee) -> None:
    """Open the kernel, then save at the trainee's pace."""
    from tests.support.hub import KernelClient

    kernel = KernelClient(hub, trainee.user, trainee.token, trainee.kernel_id)
    try:
        await kernel.connect()
        for n, wait in enumerate(trainee.waits):
            await asyncio.sleep(wait)
            t0 = time.perf_counter()
            printed = await kernel.execute(f"_bench_save({n})", timeout=300)
            trainee.round_trip_ms.append((time.perf_counter() - t0) * 1000)
            words = printed.split()
            if len(words) == 3 and words[:2] == ["saved", str(n)]:
                trainee.save_ms.append(float(words[2]))
            else:
                trainee.errors.append(f"save {n}: {printed.strip()[:200]}")
    except Exception as exc:  # noqa: BLE001 - the rest of this trainee's saves are lost
        trainee.errors.append(f"{trainee.user} stopped saving: {type(exc).__name__}: {exc}")
    finally:
        kernel.close()


async def _setup_kernels(hub: Any, trainees: list[Trainee]) -> None:
    from tests.support.hub import KernelClient

    async def one(trainee: Trainee) -> None:
        kernel = KernelClient(hub, trainee.user, trainee.token, trainee.kernel_id)
        try:
            await kernel.connect()
            printed = await kernel.execute(KERNEL_SETUP, timeout=600)
        except Exception as exc:  # noqa: BLE001 - this trainee saves nothing: counted as lost
            printed = f"{type(exc).__name__}: {exc}"
        finally:
            kernel.close()
        if printed.strip() == f"ready {trainee.user}":
            trainee.ready = True
        else:
            trainee.errors.append(f"{trainee.user}'s kernel could not get ready: "
                                  f"{printed[-300:]}")

    await asyncio.gather(*(one(t) for t in trainees))


class Assessor(threading.Thread):
    """Refreshes the review matrix every `every` seconds until stopped."""

    def __init__(self, admin_url: str, every: float) -> None:
        super().__init__(name="assessor", daemon=True)
        self.admin_url, self.every = admin_url, every
        self.stop = threading.Event()
        self.seconds: list[float] = []
        self.shape: tuple[int, int] = (0, 0)
        self.error = ""

    def run(self) -> None:
        from ilcs.assessment.questions import load_bank
        from ilcs.assessment.review import load_review_data
        from ilcs.assessment.store import AnswerStore

        bank = load_bank()
        try:
            with AnswerStore.open(self.admin_url) as store:
                while not self.stop.is_set():
                    t0 = time.perf_counter()
                    matrix = load_review_data(store, bank=bank).matrix()
                    self.seconds.append(time.perf_counter() - t0)
                    self.shape = (int(matrix.shape[0]), int(matrix.shape[1]))
                    self.stop.wait(self.every)
        except Exception as exc:  # noqa: BLE001 - reported in the summary, not a traceback
            self.error = f"{type(exc).__name__}: {exc}"


# ------------------------------------------------------------------ memory


@dataclass
class Memory:
    hub_rss: float = 0.0
    hub_pss: float = 0.0
    service_rss: float = 0.0
    user_rss: dict[str, float] = field(default_factory=dict)
    server_rss: dict[str, float] = field(default_factory=dict)  # the server alone
    user_pss: dict[str, float] = field(default_factory=dict)
    user_processes: dict[str, int] = field(default_factory=dict)


def _rss_pss(processes: list[Any]) -> tuple[float, float]:
    import psutil

    rss = pss = 0.0
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            info = proc.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
    return rss / MIB, pss / MIB


def measure_memory(hub_pid: int, proxy_pid: int | None) -> Memory:
    """RSS and PSS of the hub + proxy, the services, and each user's server tree."""
    import psutil

    memory = Memory()
    hub = psutil.Process(hub_pid)
    core = [hub] + ([psutil.Process(proxy_pid)] if proxy_pid else [])
    memory.hub_rss, memory.hub_pss = _rss_pss(core)
    for child in hub.children(recursive=False):
        if proxy_pid and child.pid == proxy_pid:
            continue
        try:
            env = child.environ()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        tree = [child, *child.children(recursive=True)]
        user = env.get("JUPYTERHUB_USER", "")
        if user and not env.get("JUPYTERHUB_SERVICE_NAME"):
            memory.user_rss[user], memory.user_pss[user] = _rss_pss(tree)
            memory.server_rss[user] = _rss_pss([child])[0]
            memory.user_processes[user] = len(tree)
        else:
            memory.service_rss += _rss_pss(tree)[0]
    return memory


# ------------------------------------------------------------------ the run


def _direct_saves(url: str, user: str, answers: int) -> list[float]:
    """The peer: the same saves from this process with a trainee's login, no hub."""
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.store import AnswerStore

    bank = load_bank()
    times = []
    with AnswerStore.open(url) as store:
        for n in range(answers):
            q = bank.questions[n % len(bank.questions)]
            t0 = time.perf_counter()
            store.save_answer(user, q.id, f"bench answer {n} from {user}", q.mode,
                              bank.version, answer_uid=uuid.uuid4().hex)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def _enrol(admin_url: str, users: list[str]) -> None:
    """The trainees' profiles, so that the assessor's matrix has a row for each."""
    from ilcs.assessment.store import AnswerStore

    with AnswerStore.open(admin_url) as admin:
        for n, user in enumerate(users, start=1):
            admin.save_candidate(user, name=f"Trainee {n:03d}", candidate_number=f"NVQ-{n:03d}",
                                 centre="Bench")


def _stored(admin_url: str, users: list[str]) -> tuple[int, int, bool]:
    """(distinct answers, duplicate rows) of `users`, and whether the audit chain verifies."""
    import sqlalchemy as sa

    from ilcs.assessment.store import AnswerStore

    with AnswerStore.open(admin_url) as store:
        with store.transaction(write=False) as conn:
            total, distinct = conn.execute(sa.text(
                "SELECT count(*), count(DISTINCT (candidate_id, response)) FROM answers "
                "WHERE candidate_id = ANY(:users)"), {"users": users}).one()
        ok = store.verify().ok
    return int(distinct), int(total) - int(distinct), ok


def _raise_on_sigterm(_signum: int, _frame: Any) -> None:
    """Stop as on Ctrl-C, once: a second SIGTERM (e.g. to the process group) must not cut the
    clean-up short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt("SIGTERM")


def run(args: argparse.Namespace) -> int:
    from ilcs.hub import trainee_database_url
    from tests.support.hub import (
        SECRET,
        HubUnavailable,
        add_trainee_logins,
        proxy_command,
        running_hub,
    )

    run_id = uuid.uuid4().hex[:8]
    users = [f"b{run_id}.t{i:03d}" for i in range(1, args.users + 1)]
    peer = f"b{run_id}.peer"
    rng = random.Random(args.seed)
    trainees = [Trainee(u, save_plan(rng, args.answers, args.pace, args.burst)) for u in users]
    database = f"ilcs_bench_{run_id}"
    print(f"bench_hub: {args.users} trainees x {args.answers} answers, pace {args.pace[0]}-"
          f"{args.pace[1]} s with bursts of {args.burst}, spawns {args.stagger} s apart, "
          f"assessor refresh every {args.refresh} s; database {database}", flush=True)
    t_start = time.perf_counter()
    with fresh_database(args.postgres, database, f"ilcs_t_b{run_id}.") as admin_url, \
            tempfile.TemporaryDirectory(prefix="ilcs-bench-hub-") as tmp:
        add_trainee_logins(admin_url, [*users, peer])
        _enrol(admin_url, users)
        direct = _direct_saves(trainee_database_url(admin_url, peer, SECRET), peer,
                               args.answers)
        groups = {"trainees": users, "assessors": [f"b{run_id}.assessor"], "iqa": []}
        try:
            proxy_command()
        except HubUnavailable as exc:
            print(f"bench_hub: cannot start a hub here: {exc}")
            return 2
        stop = threading.Event()
        assessor = Assessor(admin_url, args.refresh)
        with running_hub(admin_url, groups, Path(tmp), review_service=False) as hub:
            try:
                for trainee in trainees:
                    trainee.token = hub.token(trainee.user)
                t0 = time.perf_counter()
                with ThreadPoolExecutor(max_workers=len(trainees)) as pool:
                    try:
                        for future in [pool.submit(_spawn, hub, trainee, i * args.stagger, stop)
                                       for i, trainee in enumerate(trainees)]:
                            future.result()
                    finally:
                        stop.set()  # on Ctrl-C, the threads still waiting give up at once
                spawned = [t for t in trainees if t.spawn_s is not None]
                print(f"spawn: {len(spawned)} of {len(trainees)} servers ready in "
                      f"{time.perf_counter() - t0:.1f} s", flush=True)
                t0 = time.perf_counter()
                for trainee in spawned:
                    try:
                        trainee.kernel_id = hub.start_kernel(trainee.user, trainee.token)
                    except AssertionError as exc:
                        trainee.errors.append(str(exc))
                asyncio.run(_setup_kernels(hub, [t for t in spawned if t.kernel_id]))
                ready = [t for t in spawned if t.ready]
                print(f"kernels: {len(ready)} of {len(spawned)} started with a lesson's imports "
                      f"and data in {time.perf_counter() - t0:.1f} s", flush=True)
                assessor.start()
                t0 = time.perf_counter()

                async def everyone() -> None:
                    await asyncio.gather(*(_work(hub, t) for t in ready))

                asyncio.run(everyone())
                save_wall = time.perf_counter() - t0
                load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
                assessor.stop.set()
                assessor.join(timeout=120)
                proxy_file = Path(tmp) / "proxy.pid"
                proxy_pid = int(proxy_file.read_text().strip()) if proxy_file.exists() else None
                memory = measure_memory(hub.pid, proxy_pid)
            finally:
                assessor.stop.set()  # also on an error or Ctrl-C
        distinct, duplicates, chain_ok = _stored(admin_url, users)

    expected = args.users * args.answers
    lost = max(expected - distinct, 0)
    saves = [ms for t in trainees for ms in t.save_ms]
    trips = [ms for t in trainees for ms in t.round_trip_ms]
    spawns = [t.spawn_s for t in trainees if t.spawn_s is not None]
    errors = [e for t in trainees for e in t.errors]
    servers = len(memory.user_rss) or 1
    per_user_rss = sum(memory.user_rss.values()) / servers
    per_user_pss = sum(memory.user_pss.values()) / servers
    per_server_rss = sum(memory.server_rss.values()) / servers
    save_p99 = percentile(saves, 99) if saves else float("nan")
    direct_p99 = percentile(direct, 99)
    print(f"spawn: p50 {percentile(spawns, 50):.1f} s, max {max(spawns):.1f} s "
          f"({len(spawns)} servers)" if spawns else "spawn: no server became ready")
    print(f"saves: {len(saves)} timed in the kernels over {save_wall:.0f} s; p50 "
          f"{percentile(saves, 50) if saves else float('nan'):.1f} ms, p99 {save_p99:.1f} ms, "
          f"max {max(saves) if saves else float('nan'):.1f} ms")
    if trips:
        print(f"saves as the browser sees them (execute request to reply, through the proxy): "
              f"p50 {percentile(trips, 50):.1f} ms, p99 {percentile(trips, 99):.1f} ms")
    print(f"peer, the same saves direct from one process with a trainee's login, no hub: "
          f"p99 {direct_p99:.1f} ms; ratio hub/direct p99 {save_p99 / direct_p99:.2f}")
    if assessor.seconds:
        print(f"assessor: {len(assessor.seconds)} matrix refreshes "
              f"({assessor.shape[0]} candidates x {assessor.shape[1]} criteria), p50 "
              f"{percentile(assessor.seconds, 50):.2f} s, max {max(assessor.seconds):.2f} s")
    if assessor.error:
        print(f"assessor: stopped by {assessor.error}")
    print(f"answers: {expected} expected, {distinct} stored, {lost} lost, {duplicates} "
          f"duplicated; audit chain {'verifies' if chain_ok else 'DOES NOT verify'}")
    services = (f"other services RSS {memory.service_rss:.0f} MiB; " if memory.service_rss
                else "")
    print(f"memory: hub + proxy RSS {memory.hub_rss:.0f} MiB (PSS {memory.hub_pss:.0f}); "
          f"{services}per trainee (server + kernel, "
          f"{statistics.mean(memory.user_processes.values()) if memory.user_processes else 0:.0f}"
          f" processes) RSS {per_user_rss:.0f} MiB, PSS {per_user_pss:.0f} MiB, "
          f"over {len(memory.user_rss)} servers; of which the server {per_server_rss:.0f} MiB "
          f"and its kernel {per_user_rss - per_server_rss:.0f} MiB RSS")
    if errors:
        print(f"errors: {len(errors)} (a save with an error is also counted as lost above if "
              "it is not in the database)")
    for error in errors[:10]:
        print(f"error: {error}")
    if len(errors) > 10:
        print(f"error: ... and {len(errors) - 10} more")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (1 min) at the end of "
          "the saves")
    print(f"database {database} and the trainee logins dropped; whole run "
          f"{time.perf_counter() - t_start:.0f} s")
    print(last_line(args.users, lost, save_p99,
                    percentile(spawns, 50) if spawns else float("nan"),
                    memory.hub_rss, per_user_rss))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=25, help="trainees (default 25)")
    parser.add_argument("--answers", type=int, default=100, help="answers each (default 100)")
    parser.add_argument("--pace", type=_pace, default=(0.2, 2.0),
                        help="think time MIN,MAX seconds before a save (default 0.2,2)")
    parser.add_argument("--burst", type=int, default=5, help="saves in a burst (default 5)")
    parser.add_argument("--stagger", type=float, default=1.0,
                        help="seconds between two server starts (default 1)")
    parser.add_argument("--refresh", type=float, default=5.0,
                        help="seconds between the assessor's refreshes (default 5)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--postgres", default=os.environ.get("ILCS_BENCH_POSTGRES_URL",
                                                             DEFAULT_POSTGRES),
                        help="a PostgreSQL superuser URL; the run makes and drops its own "
                             "database there (default $ILCS_BENCH_POSTGRES_URL or "
                             f"{DEFAULT_POSTGRES})")
    args = parser.parse_args(argv)
    if args.users < 1 or args.answers < 1 or args.burst < 1:
        parser.error("--users, --answers and --burst must be at least 1")
    previous = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("bench_hub: interrupted; the servers, kernels, hub, proxy, database and trainee "
              "logins it made are removed", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
