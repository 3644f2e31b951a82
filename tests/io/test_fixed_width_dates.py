"""Dates streamed as fixed-width bytes are read at once where they have the usual ISO shape;
what is read that way must be exactly what the text parser gives, and every usual date must
be read that way (else the quick path would quietly not be used)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ilcs.io.dates import FIXED_WIDTH, parse_fixed_width_datetimes, parse_text_datetimes


def both(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    cells = np.array([t.encode("ascii") for t in texts], dtype=f"S{FIXED_WIDTH}")
    quick, done = parse_fixed_width_datetimes(cells)
    text = np.array(texts, dtype=object)
    exact, bad = parse_text_datetimes(text, text == "")
    return quick, done, exact, bad


# near misses of the usual shape: any digit or separator in each place, any length
_CHARS = st.sampled_from(list("0123456789-: T/") + ["", "00", "9"])
near = st.lists(_CHARS, min_size=0, max_size=22).map("".join)
shaped = st.tuples(*[st.sampled_from("0123456789")] * 14,
                   st.sampled_from(["", ":"])).map(
    lambda t: f"{''.join(t[:4])}-{''.join(t[4:6])}-{''.join(t[6:8])} {''.join(t[8:10])}:"
              f"{''.join(t[10:12])}" + (f":{''.join(t[12:14])}" if t[14] else ""))


shaped_and_more = st.tuples(shaped, st.text(alphabet="0123456789: -T", max_size=4)).map(
    "".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(near, shaped, shaped_and_more), min_size=1, max_size=40))
def test_what_is_read_at_once_is_what_the_text_parser_reads(texts: list[str]):
    quick, done, exact, bad = both(texts)
    blank = np.array([t == "" for t in texts])
    read = done & ~blank
    assert not bad[read].any()
    assert np.array_equal(quick[read], exact[read])
    assert np.isnat(quick[blank]).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.datetimes(min_value=pd.Timestamp("1678-01-01").to_pydatetime(),
                             max_value=pd.Timestamp("2261-12-31 23:59:59").to_pydatetime()),
                min_size=1, max_size=40),
       st.booleans())
def test_every_usual_date_is_read_at_once(moments, with_seconds: bool):
    fmt = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    texts = [m.strftime(fmt) for m in moments]
    quick, done, exact, _ = both(texts)
    assert done.all()
    assert np.array_equal(quick, exact)


def test_edges_of_months_years_and_clocks():
    texts = ["2024-02-29 23:59", "2025-02-29 10:00", "1900-02-29 00:00", "2000-02-29 00:00",
             "2025-04-31 12:00", "2025-12-31 23:59:59", "2025-01-02 24:00", "2025-01-02 09:60",
             "2025-01-02 09:00:60", "1677-12-31 00:00", "2262-01-01 00:00", "2025-00-10 09:00",
             "2025-01-00 09:00", "", "2025-01-02 09:001", "2025-01-02 09:00:",
             "2025-01-02 09:00:5", "2025-01-02 09:00 ", "2025-01-02 09:00:000"]
    quick, done, exact, bad = both(texts)
    assert done.tolist() == [True, False, False, True, False, True, False, False, False,
                             False, False, False, False, True, False, False, False, False,
                             False]
    assert np.array_equal(quick[done], exact[done], equal_nan=True)  # (blank: NaT both)
