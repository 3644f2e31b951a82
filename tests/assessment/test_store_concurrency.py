"""Many writers at once, and a writer killed mid-save: nothing lost, nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ilcs.assessment import schema
from ilcs.assessment.migrations import MIGRATIONS
from ilcs.assessment.store import AnswerStore

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 20
ANSWERS_EACH = 200

# Each writer waits for a common start time, then saves its answers one at a time.
WRITER = """
import sys, time
from ilcs.assessment.store import AnswerStore
url, worker, n, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
store = AnswerStore.open(url)
while time.time() < start:
    time.sleep(0.005)
for i in range(n):
    store.save_answer(f"cand-{worker}", f"q{i % 37}", {"w": worker, "i": i}, "assessed", "v1",
                      answer_uid=f"w{worker}-a{i}")
store.close()
"""

# Saves forever, printing each uid only once its transaction has committed.
ENDLESS = """
import sys
from ilcs.assessment.store import AnswerStore
store = AnswerStore.open(sys.argv[1])
i = 0
while True:
    store.save_answer("crash-cand", f"q{i % 11}", "x" * 200, "practice", "v1",
                      answer_uid=f"crash-{i}")
    print(f"crash-{i}", flush=True)
    i += 1
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow
def test_twenty_writers_lose_and_duplicate_nothing(store_url):
    AnswerStore.open(store_url).close()  # not required (writers migrate), keeps startup short
    start = time.time() + 4.0
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(w), str(ANSWERS_EACH),
                          str(start)], env=_env(), stderr=subprocess.PIPE, text=True)
        for w in range(PROCESSES)
    ]
    errors = []
    for p in procs:
        _, err = p.communicate(timeout=600)
        if p.returncode != 0:
            errors.append(err[-2000:])
    assert not errors, errors[0]
    with AnswerStore.open(store_url) as s, s.transaction(write=False) as conn:
        a = schema.answers
        total = conn.execute(sa.select(sa.func.count()).select_from(a)).scalar()
        distinct = conn.execute(sa.select(sa.func.count(sa.distinct(a.c.answer_uid)))).scalar()
        per_worker = dict(conn.execute(
            sa.select(a.c.candidate_id, sa.func.count()).group_by(a.c.candidate_id)).all())
        audited = conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log).where(
            schema.audit_log.c.action == "answer_saved")).scalar()
        chain = conn.execute(sa.select(schema.audit_log.c.prev_hash,
                                       schema.audit_log.c.entry_hash)
                             .order_by(schema.audit_log.c.id)).all()
    assert total == PROCESSES * ANSWERS_EACH
    assert distinct == total
    assert per_worker == {f"cand-{w}": ANSWERS_EACH for w in range(PROCESSES)}
    assert audited == total
    # The hash chain stayed one line through 20 writers at once: no fork, no gap.
    assert [link.prev_hash for link in chain[1:]] == [link.entry_hash for link in chain[:-1]]
    assert len({link.prev_hash for link in chain}) == len(chain)
    with AnswerStore.open(store_url) as s:
        assert s.verify().problems == []


@pytest.mark.slow
def test_writer_killed_mid_save_leaves_a_consistent_store(store_url):
    AnswerStore.open(store_url).close()
    proc = subprocess.Popen([sys.executable, "-c", ENDLESS, store_url], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acknowledged: list[str] = []
    assert proc.stdout is not None
    deadline = time.time() + 120
    while len(acknowledged) < 150 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next save
    proc.wait(timeout=30)
    # Read through the same buffered stream: readline() may already hold lines read ahead.
    rest = proc.stdout.read()
    err = proc.stderr.read() if proc.stderr else ""
    acknowledged += [x for x in rest.split() if x]
    assert len(acknowledged) >= 150, err[-2000:]
    with AnswerStore.open(store_url) as s:
        with s.transaction(write=False) as conn:
            uids = set(conn.execute(sa.select(schema.answers.c.answer_uid)).scalars())
            audited = conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log)
                                   ).scalar()
            if s.dialect == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert set(acknowledged) <= uids  # every acknowledged answer is there
        assert len(uids - set(acknowledged)) <= 1  # at most the one in flight, whole
        assert audited == len(uids)  # answer and audit entry committed together
        s.save_answer("crash-cand", "q1", "after", "practice", "v1")  # still writable


@pytest.mark.slow
def test_many_processes_creating_a_new_store_at_once_migrate_it_once(store_url):
    start = time.time() + 3.0
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(w), "1", str(start)],
                         env=_env(), stderr=subprocess.PIPE, text=True)
        for w in range(8)
    ]
    errors = [err[-2000:] for p in procs for _, err in [p.communicate(timeout=300)]
              if p.returncode != 0]
    assert not errors, errors[0]
    with AnswerStore.open(store_url) as s, s.transaction(write=False) as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
        assert sorted(versions) == [m.version for m in MIGRATIONS]
        assert s.count_answers() == 8


# Holds a write transaction open with an answer inserted but not committed, then waits.
INSIDE = """
import sys, time
import sqlalchemy as sa
from ilcs.assessment import schema
from ilcs.assessment.migrations import MIGRATIONS
from ilcs.assessment.store import AnswerStore
store = AnswerStore.open(sys.argv[1])
with store.transaction() as conn:
    conn.execute(sa.insert(schema.answers).values(
        answer_uid="half-done", candidate_id="c", question_id="q", response='"x"',
        mode="practice", bank_version="v1", saved_at="2026-01-01T00:00:00.000000Z",
        recorded_at="2026-01-01T00:00:00.000000Z", origin="notebook"))
    print("inside", flush=True)
    time.sleep(600)
"""


@pytest.mark.slow
def test_writer_killed_inside_its_transaction_leaves_nothing_half_done(store_url):
    AnswerStore.open(store_url).close()
    proc = subprocess.Popen([sys.executable, "-c", INSIDE, store_url], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "inside", proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)  # PostgreSQL notices the closed connection and rolls back
    with AnswerStore.open(store_url) as s:
        assert s.count_answers() == 0
        saved = s.save_answer("c", "q", "after the crash", "practice", "v1",
                              answer_uid="half-done")  # the lock and the uid are free
        assert saved.response == "after the crash"
        assert s.count_answers() == 1
