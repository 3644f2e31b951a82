"""The improvement board and the record editor, driven as a user would, without a browser."""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd
import pytest

from ilcs.improvement.measures import BoardData, load_board_data
from ilcs.improvement.record import load_record
from ilcs.improvement.views import ImprovementBoard, RecordEditor, download_link


@pytest.fixture(scope="module")
def data() -> BoardData:
    return load_board_data()


def _share_change(data: BoardData) -> str:
    """The before/after words, from counts worked out here with plain Python."""
    rows = [r for r in data.measured.to_dict("records")
            if r["provider_team"] == "Finance Operations" and r["measure"] == "first_response"
            and r["status"] in ("met", "breached")]
    before = [r["status"] == "met" for r in rows if r["received_at"] < pd.Timestamp("2025-07-01")]
    after = [r["status"] == "met" for r in rows if r["received_at"] >= pd.Timestamp("2025-07-01")]
    return (f"rose from {100 * sum(before) / len(before):.1f} % to "
            f"{100 * sum(after) / len(after):.1f} %")


def test_board_shows_the_finance_change_and_follows_the_pickers(data: BoardData) -> None:
    board = ImprovementBoard(data)
    assert board.team == "Finance Operations" and board.measure == "first_response_within"
    assert "Phase 2 (from 30/06)" in board.chart_view.value
    assert "Run-chart rules (Anhøj)" in board.chart_view.value
    assert "a signal that the process changed." in board.chart_view.value
    assert _share_change(data) in board.before_after_view.value
    assert "Complaints about Finance Operations by category" in board.pareto_view.value
    board.team_picker.value = "HR Advisory"
    board.measure_picker.value = "first_response_hours"
    board.change_box.value = ""
    assert "10/11: a point above the upper limit" in board.chart_view.value
    assert "Type the date a change was made" in board.before_after_view.value
    board.team_picker.value = "Purchasing"  # no first response standard: the measure follows
    assert board.measure == "resolution_hours"
    assert [v for _, v in board.measure_picker.options] == ["resolution_hours",
                                                           "resolution_within"]


def test_board_makes_png_copies_of_the_charts_it_shows(data: BoardData) -> None:
    import re

    from tests.support import png_reader

    board = ImprovementBoard(data)
    assert board.png_view.value == ""  # drawn on request only
    board.png_button.click()
    links = re.findall(r'download="([^"]+)" href="data:image/png;base64,([^"]+)"',
                       board.png_view.value)
    svg_names = re.findall(r'download="([^"]+)\.svg"',
                           board.chart_view.value + board.pareto_view.value)
    assert len(svg_names) == 2 and svg_names[1] == "pareto-complaints-about-finance-operations-by-category"
    assert [name for name, _ in links] == [f"{n}.png" for n in svg_names]  # same names, as PNG
    sizes = [png_reader.size(base64.b64decode(data)) for _, data in links]
    assert sizes == [(1760, 720), (1760, 800)]  # the control chart and the Pareto, twice
    board.team_picker.value = "HR Advisory"  # other charts: the old copies are taken away
    assert board.png_view.value == ""


def test_board_says_what_is_wrong_with_a_date(data: BoardData) -> None:
    board = ImprovementBoard(data)
    board.change_box.value = "31/02/2025"
    assert "&#x27;31/02/2025&#x27; is not a date: write it as DD/MM/YYYY" in board.message.value
    board.change_box.value = "1st July"  # never guessed
    assert "&#x27;1st July&#x27; is not a date" in board.message.value
    board.change_box.value = "2025-07-01"
    assert board.message.value == ""
    assert _share_change(data) in board.before_after_view.value


def test_large_type_redraws_the_charts_larger(data: BoardData) -> None:
    board = ImprovementBoard(data)
    assert 'viewBox="0 0 880 360"' in board.chart_view.value
    board.large_type = True
    assert 'viewBox="0 0 1100 480"' in board.chart_view.value


def test_download_link_holds_the_svg_file() -> None:
    link = download_link("<svg></svg>", "chart.svg")
    data = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(data).decode("utf-8").endswith("<svg></svg>\n")
    assert 'download="chart.svg"' in link


def test_record_editor_fills_a_step_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    editor = RecordEditor(path=path)
    editor.title_box.value = "Faster pay replies"
    editor.status_picker.value = "done"
    editor.owner_box.value = "Sam"
    editor.date_box.value = "02/06/2025"
    editor.note_box.value = "70 % answered within a day"
    editor.update_button.click()
    assert "updated (not saved yet)" in editor.message.value
    assert "02/06/2025" in editor.timeline_view.value
    assert "1. Identify the problem [Plan]: done on 02/06/2025 by Sam" in editor.summary_box.value
    editor.step_picker.value = "Review the result"
    editor.status_picker.value = "skipped"
    editor.note_box.value = ""
    editor.update_button.click()
    assert "cannot be skipped: every change is reviewed" in editor.problems_view.value
    editor.save_button.click()
    saved = load_record(path)
    assert saved.title == "Faster pay replies" and saved.steps[0].owner == "Sam"
    assert RecordEditor(path=path).record == saved  # opened again from the file
    editor.date_box.value = "2025-13-01"
    editor.step_picker.value = "Identify the problem"
    editor.status_picker.value = "done"
    editor.update_button.click()
    assert "is not a date" in editor.message.value


def test_the_app_frames_the_board_and_links_large_type(data: BoardData) -> None:
    board = ImprovementBoard(data)
    page = board.app("improvement_board")
    assert "ilcs-app-improvement_board" in page._dom_classes
    page.large_type_toggle.value = True
    assert board.large_type and 'viewBox="0 0 1100 480"' in board.chart_view.value


def test_complaint_rate_is_a_u_chart_with_its_reading_in_words(data: BoardData) -> None:
    from ilcs.improvement.views import show_complaint_rate

    text = show_complaint_rate(data).value
    assert "Complaints per 100 requests, all teams (u-chart)" in text
    assert "(they widen in months with fewer cases)" in text
    # 150 complaints over 5,000 requests: the centre line is 3.0 per 100 requests
    assert "centre line 3.0;" in text


def test_a_notebook_chart_cell_makes_a_png_copy_on_request(data: BoardData) -> None:
    import re

    from ilcs.improvement import story
    from ilcs.improvement.views import ChartCell, show_fishbone, show_pareto
    from tests.support import png_reader

    cell = show_pareto(data)
    assert isinstance(cell, ChartCell) and cell.png_view.value == ""
    cell.png_button.click()
    [(name, png)] = re.findall(r'download="([^"]+)" href="data:image/png;base64,([^"]+)"',
                               cell.png_view.value)
    assert name == "pareto-complaints-by-category.png"
    assert png_reader.size(base64.b64decode(png)) == (1760, 800)
    fishbone = show_fishbone(story.fishbone())
    fishbone.png_button.click()
    assert 'download="fishbone-' in fishbone.png_view.value
