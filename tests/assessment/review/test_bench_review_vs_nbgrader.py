"""The pieces of benchmarks/bench_review_vs_nbgrader.py, without a browser (no timings)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
BENCH = BENCHMARKS / "bench_review_vs_nbgrader.py"


def _load():
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # it imports bench_store and bench_review
    spec = importlib.util.spec_from_file_location("bench_review_vs_nbgrader", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_review_vs_nbgrader"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_figures_line_is_ilcs_over_nbgrader_as_key_value_pairs():
    bench = _load()
    line = bench.ratio_line(2.9, 0.73, 0.08, 0.95)
    assert line == "overview_ratio=3.97 candidate_ratio=0.08"
    figures = dict(part.split("=") for part in line.split())
    assert list(figures) == ["overview_ratio", "candidate_ratio"]
    with pytest.raises(ValueError):
        bench.ratio_line(1.0, 0.0, 1.0, 1.0)


def test_each_repeat_opens_a_different_candidate_of_the_cohort():
    bench = _load()
    who = bench.opened(3, 500)
    assert len(who) == 3 and len(set(who)) == 3
    assert all(0 <= n < 500 for n in who)
    assert set(bench.opened(5, 2)) <= {0, 1}
    assert bench.candidate_number(42) == "C0042"


def test_ilcs_store_is_built_to_the_size_asked(tmp_path):
    bench = _load()
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    ctx = bench.build_ilcs_store(url, tmp_path, candidates=4, questions=6, seed=1)
    try:
        people = ctx.store.candidates()
        assert sorted(c.candidate_number for c in people) == ["C0000", "C0001", "C0002",
                                                              "C0003"]
        for person in people:
            assert len(ctx.store.latest_answers(person.candidate_id)) == 6
        assert ctx.store.table_rows()["decisions"] > 0  # bench_review's decisions are in
        assert ctx.details[0].startswith("ilcs store: 4 candidates x 6 questions")
    finally:
        ctx.store.close()


def test_help_works_without_nbgrader_or_a_browser():
    done = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--candidates" in done.stdout and "--repeats" in done.stdout


def test_gradebook_holds_every_grade_and_the_opened_notebooks(tmp_path, monkeypatch):
    pytest.importorskip("nbgrader", reason="nbgrader is in the bench extra only")
    import nbformat
    from nbgrader.api import Gradebook

    bench = _load()
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # nbgrader runs `alembic`
    course = bench.build_gradebook(tmp_path / "course", candidates=3, questions=4, seed=1,
                                   open_students=[1])
    assert (course.grades, course.comments) == (12, 12)
    assert list(course.submissions) == [1]
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course_id="bench") as gb:
        assert len(gb.students) == 3
        cells = {c.name for c in gb.find_notebook(bench.NOTEBOOK, bench.ASSIGNMENT).grade_cells}
        assert gb.find_submission_notebook_by_id(course.submissions[1]).student.id == \
            "bench-0001"
    nb = nbformat.read(course.root / "autograded" / "bench-0001" / bench.ASSIGNMENT
                       / f"{bench.NOTEBOOK}.ipynb", as_version=4)
    graded = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
              if c.metadata["nbgrader"]["grade"]}
    assert graded == cells and len(cells) == 4
    assert not (course.root / "autograded" / "bench-0000").exists()  # only the opened ones
