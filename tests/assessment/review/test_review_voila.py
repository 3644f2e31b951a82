"""The review app served by a real Voila server on a 500-candidate store renders with no
error and shows the cohort in Chromium (widget state reaches the page over the kernel)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ERROR_MARKERS = ("jp-OutputArea-error", "Traceback", "There was an error when executing cell",
                 "<strong>Problem:</strong>")


def fill_500(url: str) -> None:
    from ilcs.assessment import review_tables as rt
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.store import AnswerStore

    bank = load_bank()
    assessed = [q.id for q in bank.questions if q.mode == "assessed"]
    with AnswerStore.open(url) as store:
        with store.transaction() as conn:
            for i in range(500):
                store.upsert_candidate(conn, f"c{i:03d}", {
                    "name": f"Learner {i}", "centre": f"Centre {i % 5}",
                    "assessor": f"Assessor {i % 12}", "updated_at": "2026-11-01"},
                    actor="test")
            store.insert_answers(conn, [
                {"answer_uid": f"u{i}-{q}", "candidate_id": f"c{i:03d}", "question_id": q,
                 "response": '"a"', "mode": "assessed", "bank_version": bank.version,
                 "saved_at": "2026-11-01T09:00:00.000000Z", "origin": "pack",
                 "pack_sha256": None} for i in range(500) for q in assessed], actor="test")
            conn.execute(sa.insert(rt.decisions), [
                {"candidate_id": f"c{i:03d}", "criterion_id": "1.1", "outcome": "met",
                 "proposed": "met", "assessor": f"Assessor {i % 12}", "feedback": "",
                 "decided_at": "2026-11-02T09:00:00.000000Z"} for i in range(500)])


def test_review_app_renders_in_voila_with_500_candidates(tmp_path, monkeypatch,
                                                         chromium_path):
    """Voila serves the page; Chromium runs it: the matrix of a 500-candidate store appears."""
    from playwright.sync_api import sync_playwright

    from ilcs.present import app_url, free_port, start_server, wait_until_listening
    from tests.support.processes import end_process_tree

    url = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    fill_500(url)
    monkeypatch.setenv("ILCS_DATABASE_URL", url)
    monkeypatch.setenv("ILCS_ASSESSOR", "A. Khan")
    port = free_port()
    log = tmp_path / "voila.log"
    proc = start_server(port, preheat=False, log_file=log)
    try:
        wait_until_listening(port, proc, timeout=90)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                start = time.monotonic()
                page.goto(app_url(port, "review.ipynb"), timeout=180_000)
                page.get_by_text("Candidates 1–50 of 500").wait_for(timeout=180_000)
                seconds = time.monotonic() - start
                text = page.inner_text("body")
                html = page.content()
                page.get_by_role("button", name="Next page ▶").click()
                page.get_by_text("Candidates 51–100 of 500").wait_for(timeout=30_000)
            finally:
                browser.close()
    finally:
        end_process_tree(proc)
    for marker in ERROR_MARKERS:
        assert marker not in html, f"{marker!r} in the page; log: {log.read_text()[-2000:]}"
    assert "Learner 0" in text and "✔ Met" in text and "… Awaiting marking" in text
    assert "build_review_app" not in html  # no source code shown
    print(f"review app in Voila + Chromium, 500 candidates: matrix shown in {seconds:.1f} s")
