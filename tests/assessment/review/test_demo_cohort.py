"""The demo cohort: real bank questions, real marking, decisions through the review API."""

import json

from ilcs.assessment.decisions import MET, NOT_YET_MET
from ilcs.assessment.demo import make_demo_cohort
from ilcs.assessment.review import load_review_data
from ilcs.assessment.store import AnswerStore
from ilcs.cli import main


def test_demo_cohort_is_marked_decided_and_deterministic(tmp_path):
    urls = [f"sqlite:///{tmp_path / name}" for name in ("one.sqlite", "two.sqlite")]
    summaries = []
    for url in urls:
        with AnswerStore.open(url) as store:
            written = make_demo_cohort(store, 12, seed=7)
            data = load_review_data(store)
            answers = sorted((a.candidate_id, a.question_id, json.dumps(a.response))
                             for a in store.all_latest_answers())
            summaries.append((written, answers))
            assert written == len(answers) > 0
            assert len(data.candidates) == 12
            statuses = set(data.answers["status"])  # auto-marked like a real import
            assert {"correct", "incorrect"} <= statuses
            decided = set(data.decisions["outcome"])
            assert decided <= {MET, NOT_YET_MET} and decided
            actors = {e.actor for e in store.audit_trail()}
            assert "demo" in actors and "auto-marker" in actors
            assert make_demo_cohort(store, 12, seed=7) == 0  # a second run adds nothing
    assert summaries[0] == summaries[1]


def test_demo_command_needs_an_explicit_store(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert main(["demo", "--candidates", "3", "--database", url]) == 0
    assert "Demo cohort: 3 candidates" in capsys.readouterr().out
    assert main(["demo", "--candidates", "0", "--database", url]) == 2
