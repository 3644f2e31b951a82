import pytest

from ilcs.assessment.unit import load_unit
from ilcs.errors import DataError


def test_committed_unit_file_loads_with_known_criteria_only():
    unit = load_unit()
    assert unit.code == "A/601/2550"
    ids = unit.criterion_ids()
    assert ids[0] == "1.1" and ids[-1] == "7.3"
    assert len(ids) == 18
    assert unit.criterion("4.2").text.startswith("Explain the value of agreeing")
    assert {c.kind for c in unit.criteria if c.outcome_id == "7"} == {"performance"}


def test_centre_can_add_criteria_in_its_own_unit_file(tmp_path):
    text = (load_unit().source and open(load_unit().source, encoding="utf-8").read())
    text = text.replace(
        "      # 7.4 onward: add from the awarding body's handbook (see the note at the top).",
        '      - id: "7.4"\n        text: Agree procedures with internal customers',
    )
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_unit(path).criterion("7.4").text == "Agree procedures with internal customers"


@pytest.mark.parametrize(
    "mutation, expected",
    [
        (lambda t: t.replace('id: "4.2"', 'id: "5.9"'), "does not belong to outcome 4"),
        (lambda t: t.replace('id: "4.2"', 'id: "4.1"'), "criterion 4.1 appears twice"),
        (lambda t: t.replace("kind: performance", "kind: practical"), "kind must be one of"),
        (lambda t: t.replace("schema_version: 1", "schema_version: 9"), "schema_version must be 1"),
    ],
)
def test_bad_unit_files_are_rejected_with_a_precise_reason(tmp_path, mutation, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(mutation(open(load_unit().source, encoding="utf-8").read()), encoding="utf-8")
    with pytest.raises(DataError, match=expected):
        load_unit(path)


def test_criteria_frame_lists_every_criterion_once_in_order():
    from ilcs.assessment.unit import criteria_frame

    frame = criteria_frame()
    assert list(frame["criterion"]) == list(load_unit().criterion_ids())
    assert set(frame.loc[frame["outcome"] == "7", "assessed by"]) == {"evidence of practice"}
    assert set(frame.loc[frame["outcome"] == "4", "assessed by"]) == {"questions"}
