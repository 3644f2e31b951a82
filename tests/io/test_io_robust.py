"""Whatever a file holds, loading it gives a table or a DataError: never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ilcs.errors import DataError
from ilcs.io import KINDS, SCHEMAS, load

cells = st.one_of(st.sampled_from(["", " ", "P1", "email", "1", "0", "-1", "2.5", "yes",
                                   "03/04/2025 09:00", "2025-04-03 10:00", "31/02/2025",
                                   "R1", "R2", "received", "closed", "09:00", "17:00",
                                   "12:00-13:00", '"', ";", "\t", "é", "£"]),
                  st.text(max_size=6))


def _try(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_bytes(data)
        try:
            load(path, kind)
        except DataError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_tables_load_or_raise_data_error(kind, data):
    names = SCHEMAS[kind].names
    header = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names),
                                unique=True))
    if data.draw(st.booleans()):
        header = names
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)),
                              max_size=6))
    sep = data.draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    _try(kind, text.encode(data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])),
                           errors="replace"))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_load_or_raise_data_error(data):
    _try("requests", data)
