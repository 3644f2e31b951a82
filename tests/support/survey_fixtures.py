"""Builds tests/surveys/fixtures/ms_forms.xlsx, a Microsoft Forms "Open results in Excel"
download: ID, Start time, Completion time (Excel date-times), Email ("anonymous" when the
form does not record names), Name, Last modified time, then one column per question headed
by its wording (a Likert question gives one column per statement).

    python -m tests.support.survey_fixtures   # rewrites the committed fixture
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "surveys" / "fixtures"

HEADERS = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
           "The team dealt with my request in good time", "Staff were helpful and courteous",
           "I was kept informed of progress", "The outcome met my needs",
           "Overall, I am satisfied with the service",
           "How likely are you to recommend the team to a colleague?",
           "How easy was it to get the help you needed?",
           "Is there anything else you would like to tell us?"]

ROWS = [
    [1, dt.datetime(2025, 10, 7, 9, 1, 5), dt.datetime(2025, 10, 7, 9, 4, 30), "anonymous",
     None, None, "Agree", "Strongly agree", "Agree", "Agree", "Agree", 9, "Easy",
     "Wendy Patel was brilliant."],
    [2, dt.datetime(2025, 10, 7, 11, 0, 0), dt.datetime(2025, 10, 7, 11, 2, 45), "anonymous",
     None, None, "Disagree", "Neither agree nor disagree", "Strongly disagree", "Disagree",
     "Disagree", 3, "Difficult", None],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    [3, dt.datetime(2025, 10, 8, 15, 30, 0), dt.datetime(2025, 10, 8, 15, 33, 0), "anonymous",
     None, None, "Strongly agree", "Strongly agree", "Agree", "Strongly agree",
     "Strongly agree", 10, "Very easy", "Phone +44 20 7946 0958 any time."],
]


def write_ms_forms(path: Path = FIXTURES / "ms_forms.xlsx") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet["B"][1:] + sheet["C"][1:]:
        cell.number_format = "m/d/yy h:mm:ss"
    book.save(path)
    return path


if __name__ == "__main__":
    print(write_ms_forms())
