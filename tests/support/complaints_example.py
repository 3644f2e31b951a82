"""The 10-complaint worked example of the complaints tests, as CSV text.

Calendar: Monday to Friday 09:00-17:00, England and Wales; March 2025 has no bank holiday.
Procedure: acknowledge within 4 working hours, respond within 2 working days (16 hours).
The end of the period (as_of) is Friday 14 March 2025 17:00. Every figure expected from it
is worked out by hand in tests/complaints/test_complaints_measures.py.
"""

from __future__ import annotations

from pathlib import Path

COMPLAINTS = """complaint_id,received_at,department,about_team,category,severity,outcome,satisfied_with_handling
C01,2025-03-03 09:00,Operations,IT Service Desk,Delay,low,upheld,yes
C02,2025-03-03 16:00,Finance,IT Service Desk,Delay,low,not-upheld,no
C03,2025-03-07 15:00,Operations,IT Service Desk,Delay,high,partly-upheld,yes
C04,2025-03-04 13:00,HR,IT Service Desk,Wrong information,medium,upheld,
C05,2025-03-12 10:00,Finance,IT Service Desk,Staff attitude,medium,,
C06,2025-03-13 09:00,Operations,HR Advisory,Delay,low,,
C07,2025-03-03 09:30,IT,HR Advisory,Wrong information,low,not-upheld,yes
C08,2025-03-07 16:30,Finance,HR Advisory,Delay,high,upheld,no
C09,2025-03-11 09:00,Operations,Payroll Services,Delay,low,withdrawn,yes
C10,2025-03-10 12:00,IT,Payroll Services,Not kept informed,medium,,
"""

EVENTS = """complaint_id,stage,at,actor,note
C01,received,2025-03-03 09:00,Ruby Shaw,
C01,acknowledged,2025-03-03 10:00,Ruby Shaw,
C01,responded,2025-03-04 09:00,Tariq Singh,
C01,closed,2025-03-04 12:00,Chloe Davies,
C02,received,2025-03-03 16:00,Ruby Shaw,
C02,acknowledged,2025-03-04 11:00,Ruby Shaw,
C02,responded,2025-03-06 10:00,Isla Wright,
C02,closed,2025-03-06 15:00,Chloe Davies,
C03,received,2025-03-07 15:00,Ruby Shaw,
C03,acknowledged,2025-03-10 12:00,Ruby Shaw,
C03,assessed,2025-03-10 14:00,Chloe Davies,
C03,investigating,2025-03-10 15:00,Tariq Singh,
C03,escalated,2025-03-11 09:30,Chloe Davies,
C03,responded,2025-03-11 12:00,Chloe Davies,
C03,closed,2025-03-12 10:00,Chloe Davies,
C04,received,2025-03-04 13:00,Ruby Shaw,
C04,acknowledged,2025-03-04 14:30,Ruby Shaw,
C04,responded,2025-03-05 16:00,Jess Thomas,
C04,reopened,2025-03-06 10:00,Chloe Davies,
C04,responded,2025-03-07 10:00,Jess Thomas,
C04,closed,2025-03-07 12:00,Chloe Davies,
C05,received,2025-03-12 10:00,Ruby Shaw,
C05,acknowledged,2025-03-12 11:00,Ruby Shaw,
C06,received,2025-03-13 09:00,Ruby Shaw,
C06,acknowledged,2025-03-13 10:00,Ruby Shaw,
C07,received,2025-03-03 09:30,Ruby Shaw,
C07,acknowledged,2025-03-03 13:30,Ruby Shaw,
C07,responded,2025-03-05 09:30,Farah Nowak,
C07,closed,2025-03-05 15:00,Sophie Morgan,
C08,received,2025-03-07 16:30,Ruby Shaw,
C08,acknowledged,2025-03-10 13:00,Ruby Shaw,
C08,responded,2025-03-12 09:00,Uma Patel,
C08,closed,2025-03-12 11:00,Sophie Morgan,
C09,received,2025-03-11 09:00,Ruby Shaw,
C09,acknowledged,2025-03-11 09:30,Ruby Shaw,
C09,responded,2025-03-11 16:00,Callum Khan,
C09,closed,2025-03-12 09:00,Megan Hall,
C10,received,2025-03-10 12:00,Ruby Shaw,
"""

PROCEDURE = """name: Worked example procedure
stages: [received, acknowledged, assessed, investigating, escalated, responded, closed, reopened]
transitions:
  received: [acknowledged]
  acknowledged: [assessed, responded]
  assessed: [investigating]
  investigating: [escalated, responded]
  escalated: [responded]
  responded: [closed, reopened]
  closed: [reopened]
  reopened: [responded]
reopen_after: [responded, closed]
timescales:
  acknowledge: {within: 4, unit: working_hours}
  respond: {within: 2, unit: working_days}
calendar: {nation: england-and-wales, opens: "09:00", closes: "17:00"}
"""

AS_OF = "2025-03-14 17:00"
#: requests each team received in the period (for complaints per 100 requests)
REQUESTS = {"IT Service Desk": 200, "HR Advisory": 50, "Payroll Services": 100}
HANDLER_NAMES = ("Ruby Shaw", "Tariq Singh", "Chloe Davies", "Isla Wright", "Jess Thomas",
                 "Farah Nowak", "Sophie Morgan", "Uma Patel", "Callum Khan", "Megan Hall")


def write_example(folder: Path) -> dict[str, Path]:
    """Write the example's files (and a request log) into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"complaints": folder / "complaints.csv", "events": folder / "complaint_events.csv",
             "procedure": folder / "procedure.yaml", "requests": folder / "requests.csv"}
    paths["complaints"].write_text(COMPLAINTS, encoding="utf-8")
    paths["events"].write_text(EVENTS, encoding="utf-8")
    paths["procedure"].write_text(PROCEDURE, encoding="utf-8")
    lines = ["request_id,requester_department,provider_team,channel,category,priority,"
             "received_at,first_response_at,resolved_at,reopened,contacts,on_hold_from,"
             "on_hold_until"]
    n = 0
    for team, count in REQUESTS.items():
        for _ in range(count):
            n += 1
            lines.append(f"R{n:04d},Operations,{team},email,General,P3,2025-03-03 09:00,"
                         "2025-03-03 10:00,2025-03-03 12:00,0,1,,")
    paths["requests"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths
