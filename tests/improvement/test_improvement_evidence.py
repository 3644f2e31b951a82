"""The trainee's improvement record attached to their evidence for 6.3: carried in the pack,
verified with it, and shown to the assessor beside 6.3's evidence."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from ilcs.assessment import review
from ilcs.assessment.limits import IMPROVEMENT_RECORD_QUESTION
from ilcs.assessment.packs import HASH_FIELD, content_hash, import_packs, write_pack
from ilcs.assessment.profile import save_profile
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.views.review import attachments_html
from ilcs.cli import main
from ilcs.errors import DataError, PackError
from ilcs.improvement.evidence import attach_record, attached_record
from ilcs.improvement.record import ImprovementRecord
from ilcs.ui.charts import control_chart_svg

CHART_TITLE = "Weekly first replies <within> 2 days"


def _record() -> ImprovementRecord:
    record = ImprovementRecord("Faster replies to invoice queries", team="Finance <Ops>")
    record.complete("Identify the problem", owner="Asha", done_on="03/03/2025",
                    note="38 % of email queries waited more than 2 days")
    record.complete("Define and analyse it", owner="Asha", done_on="10/03/2025")
    svg = control_chart_svg(["w1", "w2", "w3"], [0.4, 0.5, 0.9], [0.6] * 3, [1.0] * 3,
                            [0.2] * 3, title=CHART_TITLE, y_label="% within", scale=100)
    record.attach("Define and analyse it", "chart", "Control chart", svg)
    return record


@pytest.fixture()
def trainee(ilcs_home: Path):
    store = AnswerStore.open()  # the trainee's own store, in ILCS_HOME
    profile = save_profile("Asha Patel", "A-1234", "North College", "Pat Lee", store=store)
    yield store, profile
    store.close()


def _attach_with_the_command(tmp_path: Path, record: ImprovementRecord,
                             capsys: pytest.CaptureFixture[str]) -> Path:
    file = record.save(tmp_path / "my-record.json")
    assert main(["improve", "record", str(file), "--attach"]) == 0
    assert "Attached to your evidence for 6.3" in capsys.readouterr().out
    return file


def test_attached_record_travels_in_the_pack_and_is_shown_for_6_3(
        trainee, tmp_path: Path, sqlite_store: AnswerStore,
        capsys: pytest.CaptureFixture[str]) -> None:
    store, profile = trainee
    _attach_with_the_command(tmp_path, _record(), capsys)
    pack_path, data = write_pack(tmp_path / "p.ilcs-pack.json", store=store)
    [carried] = [a for a in data["answers"] if a["question_id"] == IMPROVEMENT_RECORD_QUESTION]
    assert carried["response"]["record"]["title"] == "Faster replies to invoice queries"

    [result] = import_packs([pack_path], sqlite_store, actor="A. Khan")
    assert result.status == "imported"
    found = attached_record(sqlite_store, profile.candidate_id)
    assert found is not None and found[0].to_dict() == _record().to_dict()
    shown = attachments_html(sqlite_store, profile.candidate_id, "6.3")
    assert "Faster replies to invoice queries</strong> (Finance &lt;Ops&gt;)" in shown
    assert "It follows the improvement cycle." in shown
    assert re.search(r"attached by the candidate on \d\d/\d\d/\d{4}\)", shown)  # day first
    assert "The improvement, step by step" in shown and "03/03/2025" in shown
    assert "38 % of email queries waited more than 2 days" in shown
    # the chart is a picture whose SVG is the trainee's chart, unchanged
    [picture] = re.findall(r'<img alt="([^"]+)"[^>]*src="data:image/svg\+xml;base64,([^"]+)"',
                           shown)
    assert picture[0] == "Step 2, Define and analyse it: Control chart"
    assert CHART_TITLE.replace("<", "&lt;").replace(">", "&gt;") in \
        base64.b64decode(picture[1]).decode("utf-8")
    assert attachments_html(sqlite_store, profile.candidate_id, "6.2") == ""

    # the review app's candidate page shows it beside 6.3's evidence
    from ilcs.assessment.views.review import build_review_view

    view = build_review_view(sqlite_store, "A. Khan")
    view.candidate.value = profile.candidate_id
    view.criterion.value = "6.3"
    assert "Improvement record (attached by the candidate" in view.evidence.value
    assert "No evidence yet" not in view.evidence.value  # the record is evidence
    view.criterion.value = "6.2"
    assert "Improvement record" not in view.evidence.value


def test_a_changed_attachment_fails_the_pack_check(trainee, tmp_path: Path,
                                                   sqlite_store: AnswerStore) -> None:
    store, profile = trainee
    attach_record(store, profile.candidate_id, _record())
    path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=store)
    data = json.loads(path.read_text(encoding="utf-8"))
    [carried] = [a for a in data["answers"] if a["question_id"] == IMPROVEMENT_RECORD_QUESTION]
    carried["response"]["record"]["steps"][0]["owner"] = "Someone else"
    tampered = tmp_path / "tampered.ilcs-pack.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PackError, match="content hash does not match"):
        import_packs([tampered], sqlite_store)
    assert attached_record(sqlite_store, profile.candidate_id) is None

    # re-hashed (a pack made by hand) but not a record: shown as such, never as HTML
    carried["response"]["record"]["record_version"] = 99
    carried["response"]["record"]["title"] = "<script>alert(1)</script>"
    data[HASH_FIELD] = content_hash(data)
    tampered.write_text(json.dumps(data), encoding="utf-8")
    import_packs([tampered], sqlite_store)
    shown = attachments_html(sqlite_store, profile.candidate_id, "6.3")
    assert "The attached improvement record cannot be shown" in shown
    assert "record version 99 is not 1" in shown and "<script>" not in shown


def test_an_invalid_record_is_refused_with_every_problem_named(
        trainee, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, profile = trainee
    record = _record()
    record.complete("Implement it", owner="Asha", done_on="01/04/2025")  # steps 3, 4 skipped over
    file = record.save(tmp_path / "my-record.json")
    assert main(["improve", "record", str(file), "--attach"]) == 2
    err = capsys.readouterr().err
    assert "step 3 'Explore ways to solve it' is not done but a later step is" in err
    assert store.latest_answers(profile.candidate_id).get(IMPROVEMENT_RECORD_QUESTION) is None

    with pytest.raises(DataError, match="no step is done yet"):
        attach_record(store, profile.candidate_id, ImprovementRecord("Just started"))
    big = _record()
    for n in range(45):  # each chart is about 10,000 characters
        big.attach("Define and analyse it", "chart", f"Chart {n}",
                   control_chart_svg([f"w{i}" for i in range(40)], [0.5] * 40, [0.5] * 40,
                                     [0.9] * 40, [0.1] * 40, title=f"Chart {n}", y_label="%"))
    with pytest.raises(DataError, match=r"more than the 400,000 an evidence pack allows"):
        attach_record(store, profile.candidate_id, big)
    assert store.latest_answers(profile.candidate_id).get(IMPROVEMENT_RECORD_QUESTION) is None


def test_the_record_editor_saves_and_attaches(trainee, tmp_path: Path) -> None:
    from ilcs.improvement.views import RecordEditor

    store, profile = trainee
    editor = RecordEditor(ImprovementRecord(""), path=tmp_path / "mine.json", store=store,
                          candidate=profile.candidate_id)
    editor.attach_button.click()  # no title, nothing done: refused, in words
    assert "give the improvement a title" in editor.message.value
    assert attached_record(store, profile.candidate_id) is None
    editor.record = _record()
    editor.title_box.value = "Faster replies to invoice queries"
    editor.attach_button.click()
    assert "attached to your evidence for 6.3" in editor.message.value
    found = attached_record(store, profile.candidate_id)
    assert found is not None and found[0].title == "Faster replies to invoice queries"
    assert (tmp_path / "mine.json").exists()  # saved as well


def test_a_record_attached_after_the_decision_flags_6_3_as_new_evidence(
        trainee, sqlite_store: AnswerStore, tmp_path: Path) -> None:
    store, profile = trainee
    attach_record(store, profile.candidate_id, _record())
    pack_path, _ = write_pack(tmp_path / "p1.ilcs-pack.json", store=store)
    import_packs([pack_path], sqlite_store, actor="A. Khan")
    review.decide(sqlite_store, profile.candidate_id, "6.3", "not_yet_met",
                  assessor="A. Khan", feedback="Add the review step.")
    assert (profile.candidate_id, "6.3") not in review.load_review_data(sqlite_store).flagged()

    better = _record()
    better.complete("Explore ways to solve it", owner="Asha", done_on="17/03/2025")
    attach_record(store, profile.candidate_id, better)
    pack_path, _ = write_pack(tmp_path / "p2.ilcs-pack.json", store=store)
    import_packs([pack_path], sqlite_store, actor="A. Khan")
    flagged = review.load_review_data(sqlite_store).flagged()
    assert (profile.candidate_id, "6.3") in flagged
    assert (profile.candidate_id, "6.2") not in flagged
