"""A file uploaded in a notebook is read as the same file on disk would be, under its name."""

from __future__ import annotations

import pytest

from ilcs.errors import DataError
from ilcs.io.table import read_table, read_uploaded_table

CSV = b"request_id,priority\nR1,P1\nR2,P2\n"


def test_an_upload_reads_as_the_file_would(tmp_path) -> None:
    on_disk = tmp_path / "march.csv"
    on_disk.write_bytes(CSV)
    assert read_uploaded_table("march.csv", CSV).equals(read_table(on_disk))


def test_a_problem_names_the_file_the_trainee_chose() -> None:
    with pytest.raises(DataError, match="march export.csv"):
        read_uploaded_table("march export.csv", b"")


@pytest.mark.parametrize("name", ["..", "../../evil.csv", "noext", ""])
def test_odd_names_stay_inside_the_private_folder(name: str) -> None:
    assert read_uploaded_table(name, CSV)["request_id"].tolist() == ["R1", "R2"]
