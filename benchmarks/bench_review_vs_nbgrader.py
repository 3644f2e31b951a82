"""Benchmark: the review app against nbgrader's formgrader, in Chromium, in one run.

    pip install -e '.[test,bench]'      # the bench extra brings nbgrader 0.9
    python benchmarks/bench_review_vs_nbgrader.py --candidates 500 --questions 100 [--repeats 3]

Two timings for each side, best of --repeats, in headless Chromium (Debian's /usr/bin/chromium,
or ILCS_CHROMIUM) driven by Playwright, as benchmarks/bench_apps.py does:

- overview: navigation to the page until its table of all candidates is drawn.
  ilcs: the review app (`ilcs present`'s Voila, as the registry configures it: a kernel is
  started for each opening, the notebook runs, the store is read) until `table.ilcs-matrix`
  is visible. nbgrader: the formgrader's "Manage Students" page until its student table
  (one row per student with the overall score, worked out by the gradebook) is drawn
  (`models.loaded`, set once DataTables has drawn the rows).
- candidate: opening one candidate. ilcs: inside the open app, choosing the candidate in
  "Candidate and marking" until their page (criteria, evidence, the written answer and its
  marking points) is drawn. nbgrader: its grading page of one submission (navigation until
  the notebook with its 100 score and comment boxes is drawn and the grades and comments
  have arrived: `formgrader.grades.loaded && formgrader.comments.loaded`).
  Each repeat opens a different candidate (no answer is served from a cache).
  After each condition the page gets two animation frames, so both are timed to a paint.
- Both servers run side by side and the openings alternate (nbgrader, ilcs, then the bare
  notebook of bench_apps.py on the same Voila: the cost of a cold kernel alone), so a change
  in the machine's load touches both sides alike. A details line says where the review app's
  start-up goes (imports, store read, widget state) in a fresh Python.

The same size on both sides, built afresh in a temporary folder:
- ilcs: the store builder of benchmarks/bench_store.py and bench_review.py (every candidate
  answers every question, 30% twice; objective answers auto-marked; a decision on about half
  of the candidate x criterion cells), in a temporary SQLite file (or --database).
- nbgrader: one assignment with one notebook of `--questions` graded cells (each a
  "manually graded answer": nbgrader's grade cell and solution cell in one, so one score and
  one comment each), `--candidates` students each with a submission, so the gradebook holds
  candidates x questions grades and as many comments: the same count of answers the ilcs
  store holds as latest answers. About half the grades carry a manual score (the other half
  still need grading), as about half the ilcs cells carry a decision. It is written straight
  through nbgrader's own `Gradebook` API (not by autograding 500 notebooks); the autograded
  notebook file the grading page renders is written only for the students it opens.
  The formgrader runs as nbgrader runs it: `jupyter server` with nbgrader's server
  extensions, on loopback, behind a token.

Both pages run offline: any request to another computer is refused (the formgrader's grading
page asks a CDN for MathJax; without it the page skips its keyboard and scrolling set-up, which
only makes nbgrader's time shorter).

nbgrader 0.9 installs beside the project's pins (jupyterlab 4, jupyter_server 2, SQLAlchemy 2),
so everything runs from one environment: install the `bench` extra into a scratch one, not the
project's (e.g. `uv venv /tmp/bench-venv && uv pip install -p /tmp/bench-venv -e '.[test,bench]'`).

Last line (ilcs time / nbgrader time; below 1.0 means ilcs is faster):

    overview_ratio=<x> candidate_ratio=<y>

Target: both <= 1.0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
ASSIGNMENT = "unit_a601"
NOTEBOOK = "answers"
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
TIMEOUT_MS = 180_000
SETTLE_S = 10.0
START_TIMEOUT_S = 180.0  # a busy 2-core machine needs over a minute for jupyter server
WORDS = ("service standard colleague team request response time agreed quality feedback "
         "survey improve internal customer needs expectations trust communication problem "
         "complaint resolve monitor review target measure deliver").split()


def ratio_line(ilcs_overview: float, nb_overview: float, ilcs_candidate: float,
               nb_candidate: float) -> str:
    """The figures line: each ilcs time over nbgrader's, to two decimals."""
    if min(nb_overview, nb_candidate) <= 0:
        raise ValueError("nbgrader times must be above zero")
    return (f"overview_ratio={ilcs_overview / nb_overview:.2f} "
            f"candidate_ratio={ilcs_candidate / nb_candidate:.2f}")


def candidate_number(n: int) -> str:
    """The candidate number the ilcs store builder gives candidate n (bench_store.fill)."""
    return f"C{n:04d}"


def opened(repeats: int, candidates: int) -> list[int]:
    """Which candidates the repeats open: spread over the cohort, all different."""
    if candidates < 1:
        raise ValueError("at least one candidate is needed")
    step = max(1, candidates // (repeats + 1))
    return sorted({min(candidates - 1, step * (i + 1)) for i in range(repeats)})


# ---------------------------------------------------------------------------- ilcs side


def build_ilcs_store(url: str, workdir: Path, candidates: int, questions: int,
                     seed: int) -> Any:
    """Fill the store at `url` as bench_store.py and bench_review.py do (the same builder):
    returns their BenchContext, whose `details` say what was built."""
    import bench_review
    import bench_store

    store = bench_store.AnswerStore.open(url)
    question_list, version = bench_store._question_list(questions)
    ctx = bench_store.BenchContext(
        store=store, url=url, workdir=workdir,
        candidates=[f"bench-{i:04d}" for i in range(candidates)], questions=question_list,
        bank_version=version, rng=random.Random(seed), args=argparse.Namespace())
    t0 = time.perf_counter()
    rows = bench_store.fill(ctx)
    bench_review._PREPARED.discard(id(store))  # a new store may reuse a closed one's id
    bench_review._prepare(ctx)
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.details.insert(0, f"ilcs store: {candidates} candidates x {len(question_list)} "
                          f"questions = {rows} answers (with history) in "
                          f"{time.perf_counter() - t0:.1f} s")
    return ctx


@contextmanager
def ilcs_server(url: str, token: str, log: Path) -> Iterator[int]:
    """`ilcs present`'s Voila serving the apps (and bench_apps.py's bare notebook, for the
    breakdown) over the store at `url`."""
    from bench_apps import serve_folder

    from ilcs.present import free_port, start_server, stop_server, wait_until_listening

    saved = {k: os.environ.get(k) for k in ("ILCS_DATABASE_URL", "ILCS_ASSESSOR")}
    os.environ["ILCS_DATABASE_URL"] = url
    os.environ["ILCS_ASSESSOR"] = "Bench Assessor"
    port = free_port()
    folder = serve_folder()
    try:
        proc = start_server(port, token=token, log_file=log, apps_dir=folder)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        wait_until_listening(port, proc, timeout=START_TIMEOUT_S)
        yield port
    finally:
        stop_server(proc)
        shutil.rmtree(folder, ignore_errors=True)


def time_bare_voila(browser: Any, port: int, token: str) -> float:
    """Seconds to open bench_apps.py's bare notebook (a cold kernel, pandas and one slider):
    what any Voila app pays before its own code runs."""
    from ilcs.present import app_url

    context, page = new_page(browser)
    try:
        start = time.perf_counter()
        page.goto(app_url(port, "bare_voila.ipynb", token=token), timeout=TIMEOUT_MS)
        page.locator(".bench-bare").first.wait_for(state="visible", timeout=TIMEOUT_MS)
        page.evaluate(PAINTED)
        return time.perf_counter() - start
    finally:
        context.close()


def time_ilcs(browser: Any, port: int, token: str, n: int) -> tuple[float, float]:
    """Seconds to open the review app's overview, then candidate n inside it."""
    from ilcs.present import app_url

    url = app_url(port, "review.ipynb", token=token)
    context, page = new_page(browser)
    try:
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.locator("table.ilcs-matrix").first.wait_for(state="visible",
                                                         timeout=TIMEOUT_MS)
        page.evaluate(PAINTED)
        seconds = time.perf_counter() - start
        page.get_by_role("tab", name="Candidate and marking").click()
        select = page.get_by_label("Candidate", exact=True)
        select.wait_for(state="visible", timeout=TIMEOUT_MS)
        # option texts are "C0042 Candidate 0042 (Centre 2)" (ipywidgets puts no-break
        # spaces in them, which \\s matches)
        value = select.evaluate(
            "(s, num) => Array.from(s.options).find(o => new RegExp('^' + num + '\\\\s')"
            ".test(o.text)).value", candidate_number(n))
        start = time.perf_counter()
        select.select_option(value=value)
        page.get_by_text(f"candidate number {candidate_number(n)}").first.wait_for(
            state="visible", timeout=TIMEOUT_MS)
        page.evaluate(PAINTED)
        return seconds, time.perf_counter() - start
    finally:
        context.close()


def review_breakdown_here() -> dict[str, Any]:
    """Where the review app's own start-up goes, measured in this (fresh) process as in a
    kernel: imports, reading the store, building the widgets, and what is sent to the page."""
    import json as json_

    t0 = time.perf_counter()
    import ipywidgets

    from ilcs.assessment import review
    from ilcs.assessment.store import default_store
    from ilcs.assessment.views.review import build_review_view

    t1 = time.perf_counter()
    store = default_store()
    view = build_review_view(store, assessor="Bench Assessor")
    t2 = time.perf_counter()
    review.load_review_data(store, bank=view.bank, unit=view.unit, with_responses=True,
                            keys=view.answer_keys)
    t3 = time.perf_counter()
    states = [w.get_state() for w in ipywidgets.widgets.widget._instances.values()]
    return {"import_s": round(t1 - t0, 3), "build_s": round(t2 - t1, 3),
            "store_read_s": round(t3 - t2, 3), "widgets": len(states),
            "widget_state_kib": round(len(json_.dumps(states, default=str)) / 1024, 1),
            "matrix_html_kib": round(len(view.matrix.value.encode()) / 1024, 1),
            "candidate_options": len(view.candidate.options)}


def review_breakdown(url: str) -> dict[str, Any]:
    """review_breakdown_here, run in a fresh Python over the store at `url`."""
    code = (f"import json, sys; sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]; "
            "import bench_review_vs_nbgrader as b; print(json.dumps(b.review_breakdown_here()))")
    env = dict(os.environ, ILCS_DATABASE_URL=url, ILCS_ASSESSOR="Bench Assessor")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=600, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------------------- nbgrader side


def answer_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(120, 250)))


def nbgrader_notebook(questions: int, answers: list[str] | None = None) -> Any:
    """The assignment notebook: `questions` manually graded answer cells of 1 point each
    (with the answers written in, for a student's autograded copy)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "# Unit A/601/2550\n\nAnswer every question in the cell below it.",
        metadata={"nbgrader": {"grade": False, "solution": False, "locked": True,
                               "grade_id": "intro", "schema_version": 3}}))
    for i in range(questions):
        qid = f"q{i + 1:03d}"
        nb.cells.append(nbformat.v4.new_markdown_cell(
            f"**Question {i + 1}.** Explain how your team agrees a service standard with an "
            f"internal customer.",
            metadata={"nbgrader": {"grade": False, "solution": False, "locked": True,
                                   "grade_id": f"{qid}_text", "schema_version": 3}}))
        nb.cells.append(nbformat.v4.new_markdown_cell(
            answers[i] if answers else "YOUR ANSWER HERE",
            metadata={"nbgrader": {"grade": True, "solution": True, "locked": False,
                                   "points": 1, "grade_id": qid, "schema_version": 3}}))
    return nb


@dataclass(frozen=True)
class Course:
    root: Path
    submissions: dict[int, str]  # student number -> submission notebook id (the opened ones)
    grades: int
    comments: int


def build_gradebook(root: Path, candidates: int, questions: int, seed: int,
                    open_students: list[int]) -> Course:
    """An nbgrader course in `root` of the same size, through nbgrader's Gradebook API."""
    import nbformat
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    rng = random.Random(seed)
    # nbgrader 0.9's add_submission builds its rows before adding them to the session, which
    # SQLAlchemy 2 warns about once per row kind (harmless: nbgrader adds them just after).
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.root = {str(root)!r}\n")
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(nbgrader_notebook(questions), source / f"{NOTEBOOK}.ipynb")
    stamp = "2026-09-01 09:00:00"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bench") as gb:
        # Building is not timed: no flush to disk after each of nbgrader's commits (one per
        # submission), or a busy disk makes 500 submissions take minutes.
        gb.db.connection().exec_driver_sql("PRAGMA synchronous=OFF")
        gb.add_assignment(ASSIGNMENT, duedate="2026-10-01 17:00:00")
        gb.add_notebook(NOTEBOOK, ASSIGNMENT)
        for i in range(questions):
            qid = f"q{i + 1:03d}"
            gb.add_grade_cell(qid, NOTEBOOK, ASSIGNMENT, max_score=1, cell_type="markdown")
            gb.add_solution_cell(qid, NOTEBOOK, ASSIGNMENT)
        for n in range(candidates):
            sid = f"bench-{n:04d}"
            gb.add_student(sid, first_name=f"Candidate {n:04d}",
                           last_name=candidate_number(n), email=None)
            submission = gb.add_submission(ASSIGNMENT, sid, timestamp=stamp)
            for grade in submission.notebooks[0].grades:
                if rng.random() < 0.5:
                    grade.manual_score = float(rng.random() < 0.7)
                    grade.needs_manual_grade = False
                else:
                    grade.needs_manual_grade = True
            for comment in submission.notebooks[0].comments:
                if rng.random() < 0.5:
                    comment.manual_comment = "Bench feedback."
        gb.db.commit()
        submissions: dict[int, str] = {}
        for n in open_students:
            sid = f"bench-{n:04d}"
            nb_row = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, sid)
            submissions[n] = nb_row.id
            folder = root / "autograded" / sid / ASSIGNMENT
            folder.mkdir(parents=True)
            nb = nbgrader_notebook(questions, [answer_text(rng) for _ in range(questions)])
            nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
        grades = gb.db.query(gb_grade_class()).count()
        comments = gb.db.query(gb_comment_class()).count()
    return Course(root=root, submissions=submissions, grades=grades, comments=comments)


def gb_grade_class() -> Any:
    from nbgrader.api import Grade

    return Grade


def gb_comment_class() -> Any:
    from nbgrader.api import Comment

    return Comment


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def formgrader_command(root: Path, port: int) -> list[str]:
    """nbgrader's formgrader as an instructor runs it: jupyter server with nbgrader's
    server extensions (from the bench extra's own jupyter_server_config.d), on loopback."""
    return [sys.executable, "-m", "jupyter_server", f"--ServerApp.root_dir={root}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True"]  # containers and CI often run as root


@contextmanager
def formgrader_server(root: Path, token: str, log: Path) -> Iterator[int]:
    from ilcs.present import stop_server, wait_until_listening

    port = free_port()
    env = dict(os.environ, JUPYTER_TOKEN=token, PYTHONUNBUFFERED="1")
    env.pop("JUPYTER_PATH", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(formgrader_command(root, port), cwd=root, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_listening(port, proc, timeout=START_TIMEOUT_S)
        yield port
    finally:
        stop_server(proc)


def time_nbgrader(browser: Any, port: int, token: str, submission: str,
                  log: Callable[[str], None]) -> tuple[float, float]:
    """Seconds to open "Manage Students", then the grading page of one submission."""
    base = f"http://127.0.0.1:{port}"
    students = f"{base}/formgrader/manage_students?token={quote(token)}"
    context, page = new_page(browser)
    try:
        start = time.perf_counter()
        page.goto(students, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.models !== undefined && models.loaded === true",
                               timeout=TIMEOUT_MS, polling="raf")
        page.evaluate(PAINTED)
        seconds = time.perf_counter() - start
        rows = page.locator("#main-table tr").count()
        start = time.perf_counter()
        page.goto(f"{base}/formgrader/submissions/{submission}/?token={quote(token)}",
                  timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => window.formgrader !== undefined && formgrader.grades !== undefined "
            "&& formgrader.grades.loaded === true && formgrader.comments.loaded === true",
            timeout=TIMEOUT_MS, polling="raf")
        page.evaluate(PAINTED)
        opening = time.perf_counter() - start
        boxes = page.locator("input.score").count()
        log(f"nbgrader: manage students {seconds:.3f} s ({rows} rows), grading page "
            f"{opening:.3f} s ({boxes} score boxes)")
        return seconds, opening
    finally:
        context.close()


# ---------------------------------------------------------------------------- browser


def new_page(browser: Any) -> tuple[Any, Any]:
    """A fresh context and page on which requests to other computers are refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    page = context.new_page()

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOOPBACK:
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    return context, page


def warm_up(browser: Any, url: str) -> None:
    """One untimed visit, so the browser's first start-up is not in either side's figures."""
    context, page = new_page(browser)
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    finally:
        context.close()


def use_own_scripts() -> None:
    """Put this environment's scripts first on PATH: nbgrader's Gradebook runs `alembic`."""
    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3, help="openings of each page (best of)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default=None,
                        help="ilcs store URL (default: a fresh temporary SQLite file)")
    args = parser.parse_args(argv)
    chromium = os.environ.get("ILCS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 2
    try:
        import nbgrader  # noqa: F401
    except ModuleNotFoundError:
        print("nbgrader is not installed here: pip install -e '.[test,bench]' (in a scratch "
              "environment).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    use_own_scripts()

    def say(line: str) -> None:  # progress lines as they come; the figures line is last
        print(line, flush=True)

    who = opened(args.repeats, args.candidates)
    with tempfile.TemporaryDirectory(prefix="ilcs-bench-nbgrader-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        course = build_gradebook(work / "course", args.candidates, args.questions, args.seed,
                                 who)
        say(f"nbgrader gradebook: {args.candidates} students x {args.questions} graded cells "
            f"= {course.grades} grades and {course.comments} comments in "
            f"{time.perf_counter() - t0:.1f} s")
        url = args.database or f"sqlite:///{work / 'answers.sqlite'}"
        ctx = build_ilcs_store(url, work, args.candidates, args.questions, args.seed)
        for line in ctx.details:
            say(line)
        ctx.store.close()
        token = secrets.token_urlsafe(24)
        best = {"nb_overview": float("inf"), "nb_candidate": float("inf"),
                "ilcs_overview": float("inf"), "ilcs_candidate": float("inf"),
                "bare": float("inf")}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                with formgrader_server(course.root, token, work / "formgrader.log") as nb_port, \
                        ilcs_server(url, token, work / "voila.log") as ilcs_port:
                    warm_up(browser, f"http://127.0.0.1:{nb_port}/formgrader/manage_assignments"
                                     f"?token={quote(token)}")
                    warm_up(browser, f"http://127.0.0.1:{ilcs_port}/voila/render/gallery.ipynb"
                                     f"?token={quote(token)}")
                    time.sleep(SETTLE_S)  # the preheated apps' warm kernels start up first
                    # Interleaved, so a change in the machine's load touches both sides alike.
                    for n in who:
                        pair = time_nbgrader(browser, nb_port, token, course.submissions[n], say)
                        best["nb_overview"] = min(best["nb_overview"], pair[0])
                        best["nb_candidate"] = min(best["nb_candidate"], pair[1])
                        pair = time_ilcs(browser, ilcs_port, token, n)
                        say(f"ilcs: overview {pair[0]:.3f} s, candidate {candidate_number(n)} "
                            f"{pair[1]:.3f} s")
                        best["ilcs_overview"] = min(best["ilcs_overview"], pair[0])
                        best["ilcs_candidate"] = min(best["ilcs_candidate"], pair[1])
                        time.sleep(1.0)  # Voila shuts the closed page's kernel down
                        bare = time_bare_voila(browser, ilcs_port, token)
                        say(f"ilcs: bare Voila notebook {bare:.3f} s")
                        best["bare"] = min(best["bare"], bare)
                        time.sleep(1.0)
            finally:
                browser.close()
        parts = review_breakdown(url)
    say(f"ilcs overview, where the time goes: a bare Voila notebook (cold kernel, pandas, one "
        f"slider) opens in {best['bare']:.3f} s; the review app in a fresh Python: imports "
        f"{parts['import_s']} s, building the app {parts['build_s']} s (a store read alone "
        f"{parts['store_read_s']} s), {parts['widgets']} widgets whose state is "
        f"{parts['widget_state_kib']} KiB (the matrix page {parts['matrix_html_kib']} KiB of "
        f"HTML, {parts['candidate_options']} candidates in the drop-down)")
    print(json.dumps({"best_of": len(who),
                      "ilcs_overview_s": round(best["ilcs_overview"], 3),
                      "nbgrader_manage_students_s": round(best["nb_overview"], 3),
                      "ilcs_candidate_s": round(best["ilcs_candidate"], 3),
                      "nbgrader_grading_page_s": round(best["nb_candidate"], 3),
                      "bare_voila_s": round(best["bare"], 3)}))
    print(ratio_line(best["ilcs_overview"], best["nb_overview"], best["ilcs_candidate"],
                     best["nb_candidate"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
