"""Text columns whose values repeat are read as categories, chunk by chunk; the table is the
same as the careful whole-file read gives, even where pandas would take a category for a
number or true/false ("007", "1.0", "false" stay as written)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io import load, read_table
from ilcs.io import table as table_module
from ilcs.io.kinds import SCHEMAS
from ilcs.io.validate import validate_table

HEADER = ("request_id,requester_department,provider_team,channel,category,priority,"
          "received_at,resolved_at")


def _write(path: Path, departments: list[str], categories: list[str]) -> Path:
    lines = [HEADER]
    for i, (department, category) in enumerate(zip(departments, categories)):
        lines.append(f"R{i:03d},{department},IT Service Desk,Email,{category},p3,"
                     f"0{1 + i % 9}/01/2025 09:00,2025-01-1{i % 10} 10:00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _whole_file(path: Path) -> pd.DataFrame:
    return validate_table(read_table(path), SCHEMAS["requests"], file=path.name)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_module, "STREAM_ROWS", 4)  # several chunks, each its own categories


@pytest.mark.parametrize("departments, categories", [
    (["HR", " Finance ", "HR", "IT", "", "Finance"] * 3, ["Access", "Printing"] * 9),
    (["007", "7", "1.0", "7", "007", "12"] * 3, ["true", "false", "TRUE"] * 6),
    (["HR", "HR", "HR", "HR", "1", "2", "3", "4", "HR"] * 2, ["1", "2", "3"] * 6),
])
def test_categories_give_the_table_the_whole_file_read_gives(tmp_path, departments, categories):
    path = _write(tmp_path / "requests.csv", departments, categories)
    if "" in departments:
        with pytest.raises(DataError) as streamed:
            load(path, "requests")
        with pytest.raises(DataError) as whole:
            _whole_file(path)
        assert [str(p) for p in streamed.value.problems] == [str(p) for p in whole.value.problems]
        assert any(p.row == 6 and p.column == "requester_department"
                   for p in streamed.value.problems)
        return
    table = load(path, "requests")
    pd.testing.assert_frame_equal(table, _whole_file(path), check_like=False)
    assert table["requester_department"].tolist() == [d.strip() for d in departments]
    assert table["category"].tolist() == categories
    assert set(table["channel"]) == {"email"} and set(table["priority"]) == {"P3"}
