"""The review app built in Python: filters, paging, drill-down, marking, decisions, IQA."""


import pytest

from ilcs.assessment import review
from ilcs.assessment.views.review import PAGE_SIZE, ReviewView, build_review_app, build_review_view

V = "a2test.1"


@pytest.fixture()
def filled(sqlite_store, bank, keys):
    s = sqlite_store
    s.save_candidate("c1", name="Ada Jones", centre="North", assessor="A. Khan")
    s.save_candidate("c2", name="Ben Ola", centre="South", assessor="B. Roe")
    s.save_answer("c1", "a1.1-single", "b", "assessed", V)
    s.save_answer("c1", "a1.1-multi", ["a", "c"], "assessed", V)
    s.save_answer("c1", "a4.1-written", "Replies to IT requests in <2> days.", "assessed", V)
    s.save_answer("c2", "a1.1-single", "a", "assessed", V)
    review.mark_imported(s, bank=bank, keys=keys)
    return s


def view_of(store, bank, keys, **kw):
    return build_review_view(store, kw.pop("assessor", "A. Khan"), bank=bank, keys=keys, **kw)


def test_matrix_filters_and_drill_down(filled, bank, keys):
    v = view_of(filled, bank, keys)
    assert v.matrix.value.count('<th scope="row"') == 2
    assert ">… To mark</td>" in v.matrix.value and ">✔ Met</td>" not in v.matrix.value
    v.f_centre.value = "South"
    assert v.visible == ["c2"] and "Ada Jones" not in v.matrix.value
    v.f_centre.value = "(all)"
    v.f_assessor.value = "A. Khan"
    assert v.visible == ["c1"]
    v.candidate.value = "c1"
    assert "Ada Jones" in v.candidate_view.value
    v.criterion.value = "4.1"
    assert v.written.value == "a4.1-written"
    assert "Replies to IT requests in &lt;2&gt; days." in v.answer.value
    # every marking point whole, grouped under the part of the criterion it evidences
    assert [text for _box, text in v.point_boxes] == [
        "names the standard", "says who it serves", "says how it is measured"]
    assert [box.description for box, _text in v.point_boxes] == [
        text for _box, text in v.point_boxes]
    shown = [w.value for w in v.points.children if hasattr(w, "value") and
             isinstance(w.value, str)]
    assert any("identifies a quality standard" in t and "(required)" in t for t in shown)
    assert any("of own organisation and work" in t and "own organisation" in t
               for t in shown)
    # the standardisation guide sits beside the answer
    assert "Identify asks for the standard itself" in v.guide.value
    assert "Payroll at my council answers queries" in v.guide.value
    assert "We try to be helpful." in v.guide.value


def test_mark_decide_with_comment_bank_and_signoff(filled, bank, keys):
    v = view_of(filled, bank, keys)
    v.candidate.value = "c1"
    v.criterion.value = "4.1"
    v.point_boxes[0][0].value = True
    v.point_boxes[1][0].value = True
    v.mark_button.click()
    assert ("Mark saved: a4.1-written partly correct (2 points; not yet covered: of own "
            "organisation and work)") in v.mark_message.value
    v.point_boxes[2][0].value = True
    v.mark_button.click()
    assert ("Mark saved: a4.1-written correct (3 points; every required part covered)"
            in v.mark_message.value)
    v.criterion.value = "1.1"
    v.outcome.value = "not_yet_met"
    v.decide_button.click()
    assert "Problem" in v.decide_message.value and "write feedback" in v.decide_message.value
    v.comment.value = "nym-1.1-who"
    v.add_comment.click()
    assert v.feedback.value.startswith("Say who your internal customers are")
    v.action.value = "List three internal customers"
    v.due.value = "31/12/2099"
    v.decide_button.click()
    assert "Decision saved: Ada Jones (North) 1.1 ✘ Not yet met" in v.decide_message.value
    assert v.matrix_frame.loc["c1", "1.1"] == "not_yet_met"
    assert ">✘ Not yet</td>" in v.matrix.value
    rec = v.data.record("c1").criterion("1.1")
    assert rec.action_points[0].action == "List three internal customers"
    v.sign_role.value = "learner"
    v.sign_name.value = "Ada Jones"
    v.sign_button.click()
    assert "Sign-off recorded: learner Ada Jones" in v.sign_message.value
    assert filled.audit_trail(action="learner_signed_off")[0].actor == "A. Khan"
    assert filled.audit_trail(action="decision_made")[0].actor == "A. Khan"


def test_name_is_required_and_status_filter(filled, bank, keys):
    v = view_of(filled, bank, keys, assessor="")
    v.candidate.value = "c2"
    v.criterion.value = "1.1"
    v.outcome.value = "met"
    v.decide_button.click()
    assert "Your name" in v.decide_message.value
    assert filled.audit_trail(action="decision_made") == []
    v.f_status.value = "no_evidence"
    v.f_criterion.value = "4.1"
    assert v.visible == ["c2"]


def test_iqa_role_queue_and_verdict(filled, bank, keys):
    review.decide(filled, "c2", "1.1", "not_yet_met", assessor="B. Roe", feedback="Retry",
                  bank=bank)
    v = view_of(filled, bank, keys, assessor="I. Qa", role="iqa")
    assert v.tabs.selected_index == 3 and len(v.tabs.children) == 4
    v.draw_button.click()
    assert "Sample drawn: 1 decision(s)" in v.draw_message.value
    assert len(v.queue.options) == 1
    v.queue.value = v.queue.options[0][1]
    v.verdict.value = "accepted"
    v.verdict_button.click()
    assert "Verdict saved" in v.verdict_message.value and v.queue.options == ()
    assert filled.audit_trail(action="iqa_accepted")[0].actor == "I. Qa"
    assert len(view_of(filled, bank, keys).tabs.children) == 3  # assessors: no IQA tab


def test_item_statistics_tab(filled, bank, keys):
    v = view_of(filled, bank, keys)
    v.items_button.click()
    assert "Item statistics for 2 question(s)" in v.items_message.value
    table = v.items.value
    # a1.1-single: c1 right (b), c2 wrong (a) -> 50%, wrong answer "a" once
    row = table.split("<th scope='row'>a1.1-single</th>")[1].split("</tr>")[0]
    assert "<td>2</td><td>50%</td><td>not enough data</td><td>a ×1</td>" in row


def test_paging_and_speed_with_many_candidates(sqlite_store, bank, keys):
    s = sqlite_store
    with s.transaction() as conn:
        s.insert_answers(conn, [
            {"answer_uid": f"u{i}-{q}", "candidate_id": f"c{i:03d}", "question_id": q,
             "response": '"b"', "mode": "assessed", "bank_version": V,
             "saved_at": "2026-11-01T09:00:00.000000Z", "origin": "pack", "pack_sha256": None}
            for i in range(120) for q in ("a1.1-single", "a4.1-single")], actor="test")
        for i in range(120):
            s.upsert_candidate(conn, f"c{i:03d}", {"name": f"Learner {i}", "centre": "North",
                                                   "assessor": "A. Khan",
                                                   "updated_at": "2026-11-01"}, actor="test")
    review.mark_imported(s, bank=bank, keys=keys)
    v = view_of(s, bank, keys)
    assert v.matrix.value.count('<th scope="row"') == PAGE_SIZE
    assert "Candidates 1–50 of 120" in v.page_label.value and v.prev.disabled
    v.next.click()
    v.next.click()
    assert "Candidates 101–120 of 120" in v.page_label.value and v.next.disabled


def test_the_review_app_is_one_view_with_typed_observable_state(filled, bank, keys):
    from ilcs.errors import UsageError
    from ilcs.ui.view import View

    app = build_review_app(filled, "A. Khan", bank=bank, keys=keys)
    assert isinstance(app, ReviewView) and isinstance(app, View)
    assert app.role == "assessor" and app.page == 0 and app.visible == ["c1", "c2"]
    seen = []
    app.observe(lambda change: seen.append(change["new"]), "visible")
    app.f_centre.value = "South"
    assert seen == [["c2"]]

    def inside(widget):
        for child in getattr(widget, "children", ()):
            yield child
            yield from inside(child)

    shown = list(inside(app))  # the named controls are the ones on the page
    for control in (app.who, app.search, app.f_centre, app.matrix, app.candidate,
                    app.mark_button, app.decide_button, app.sign_button, app.items_button):
        assert any(w is control for w in shown)
    with pytest.raises(UsageError, match="role must be 'assessor' or 'iqa'"):
        build_review_view(filled, "A. Khan", role="boss", bank=bank, keys=keys)
    refused = build_review_app(filled, "A. Khan", role="boss", bank=bank, keys=keys)
    assert "Problem" in refused.value and "role must be" in refused.value


def test_build_review_app_shows_domain_errors(sqlite_store, tmp_path, bank, keys):
    bad = tmp_path / "bank.yaml"
    bad.write_text("not: [valid", encoding="utf-8")
    app = build_review_app(sqlite_store, "A", bank=bank, keys=keys, comment_bank=bad)
    assert "Problem" in app.value and "not valid YAML" in app.value


def test_five_hundred_candidates_stay_fast(sqlite_store, bank, keys):
    import sqlalchemy as sa

    from ilcs.assessment import review_tables as rt

    s = sqlite_store
    qids = ("a1.1-single", "a1.1-multi", "a4.1-single", "a4.1-written")
    with s.transaction() as conn:
        s.insert_answers(conn, [
            {"answer_uid": f"u{i}-{q}", "candidate_id": f"c{i:03d}", "question_id": q,
             "response": '"b"' if q != "a1.1-multi" else '["a","c"]', "mode": "assessed",
             "bank_version": V, "saved_at": "2026-11-01T09:00:00.000000Z", "origin": "pack",
             "pack_sha256": None}
            for i in range(500) for q in qids], actor="test")
        for i in range(500):
            s.upsert_candidate(conn, f"c{i:03d}", {"name": f"Learner {i}",
                                                   "centre": f"Centre {i % 4}",
                                                   "assessor": f"Assessor {i % 7}",
                                                   "updated_at": "2026-11-01"}, actor="test")
    review.mark_imported(s, bank=bank, keys=keys)
    with s.transaction() as conn:
        conn.execute(sa.insert(rt.decisions), [
            {"candidate_id": f"c{i:03d}", "criterion_id": "1.1", "outcome": "met",
             "proposed": "met", "assessor": f"Assessor {i % 7}", "feedback": "",
             "decided_at": "2026-11-02T09:00:00.000000Z"} for i in range(0, 500, 2)])
    v = view_of(s, bank, keys)  # speed: benchmarks/bench_review.py, not a timed test
    assert "of 500</span>" in v.page_label.value
    v.f_status.value = "met"
    assert "of 250</span>" in v.page_label.value  # every other candidate has 1.1 met
    v.f_centre.value = "Centre 0"
    assert "of 125</span>" in v.page_label.value
    assert len(v.matrix.value) < 200_000  # one page of one HTML table


def test_opening_and_reloading_draw_the_matrix_once(filled, bank, keys, monkeypatch):
    drawn: list[int] = []
    original = ReviewView.render_matrix

    def counting(self: ReviewView) -> None:
        drawn.append(1)
        original(self)

    monkeypatch.setattr(ReviewView, "render_matrix", counting)
    v = build_review_view(filled, "A. Khan", bank=bank, keys=keys)
    assert len(drawn) == 1  # filling the filter pickers does not redraw it on the way
    assert "Ada Jones" in v.matrix.value and "Ben Ola" in v.matrix.value
    drawn.clear()
    v.reload()
    assert len(drawn) == 1
    v.f_status.index = len(v.f_status.options) - 1  # a filter the assessor picks redraws it
    assert len(drawn) == 2
