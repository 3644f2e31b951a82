"""The fictional organisation behind the sample data: Northgate Borough Services.

A mid-sized public-sector style organisation of about 800 staff in eight departments. Six
teams provide services to colleagues (the internal customers): IT, HR, Facilities, Payroll,
Purchasing and Finance. Everything here is invented; any likeness to a real body is chance.
"""

from __future__ import annotations

from dataclasses import dataclass

ORGANISATION = "Northgate Borough Services"
YEAR = 2025
DEFAULT_SEED = 2550  # after the unit, A/601/2550

# Department -> headcount (staff who can ask for help and are invited to the survey).
DEPARTMENTS: dict[str, int] = {
    "Operations": 420,
    "Facilities": 90,
    "IT": 85,
    "Finance": 70,
    "HR": 45,
    "Communications": 35,
    "Procurement": 30,
    "Payroll": 25,
}


@dataclass(frozen=True)
class Team:
    """A provider team: who it belongs to, what it deals with and how busy it is."""

    name: str
    department: str
    share: float  # share of all service requests
    categories: tuple[str, ...]
    category_weights: tuple[float, ...]
    # relative monthly demand, January..December
    season: tuple[float, ...]
    # channel mix: portal, email, phone, walk-in, chat
    channels: tuple[float, float, float, float, float]
    # median working minutes to first response and to resolve, by priority P1..P4
    first_response_minutes: tuple[float, float, float, float]
    resolve_minutes: tuple[float, float, float, float]
    # how much faster the team got in the second half of the year (1.0 = no change)
    improvement: float = 1.0


TEAMS: tuple[Team, ...] = (
    Team("IT Service Desk", "IT", 0.35,
         ("Password or account access", "Laptop or hardware fault", "Software installation",
          "System access request", "Network or Wi-Fi", "How to use a system"),
         (0.26, 0.2, 0.14, 0.16, 0.1, 0.14),
         (1.3, 1.0, 1.05, 0.95, 0.95, 0.9, 0.85, 0.75, 1.35, 1.1, 1.0, 0.7),
         (0.55, 0.25, 0.12, 0.0, 0.08),
         (20, 50, 75, 110), (110, 480, 1100, 1900), improvement=0.7),
    Team("Facilities Helpdesk", "Facilities", 0.2,
         ("Heating or lighting", "Repairs and maintenance", "Health and safety",
          "Room set-up", "Cleaning", "Desk or equipment move"),
         (0.24, 0.28, 0.08, 0.16, 0.12, 0.12),
         (1.35, 1.2, 1.0, 0.9, 0.85, 0.95, 1.05, 0.9, 1.1, 1.0, 1.15, 0.85),
         (0.45, 0.2, 0.2, 0.15, 0.0),
         (25, 60, 100, 140), (100, 600, 1100, 2600), improvement=0.75),
    Team("HR Advisory", "HR", 0.15,
         ("Contract or job description", "Policy advice", "Training and development",
          "Recruitment", "Absence and leave", "Grievance or unfair treatment"),
         (0.16, 0.22, 0.18, 0.2, 0.16, 0.08),
         (1.25, 1.0, 0.95, 1.1, 0.95, 0.9, 0.8, 0.8, 1.3, 1.05, 1.0, 0.75),
         (0.3, 0.45, 0.15, 0.05, 0.05),
         (90, 180, 300, 380), (900, 1800, 2400, 3000)),
    Team("Payroll Services", "Payroll", 0.12,
         ("Pay query", "Overtime or expenses", "Tax code or deductions",
          "Bank details change", "Pension query"),
         (0.34, 0.26, 0.16, 0.12, 0.12),
         (1.35, 0.95, 1.1, 1.45, 1.0, 0.9, 0.85, 0.8, 1.0, 0.95, 0.95, 0.95),
         (0.35, 0.4, 0.2, 0.05, 0.0),
         (60, 120, 200, 260), (300, 600, 800, 1100)),
    Team("Finance Operations", "Finance", 0.1,
         ("Invoice payment", "Budget report", "Cost code query", "Purchase card",
          "Journal correction"),
         (0.32, 0.22, 0.2, 0.12, 0.14),
         (1.1, 1.0, 1.6, 1.3, 0.95, 0.9, 0.85, 0.8, 1.0, 1.0, 0.95, 0.75),
         (0.4, 0.45, 0.12, 0.0, 0.03),
         (120, 260, 420, 520), (900, 1500, 2200, 2800)),
    Team("Purchasing", "Procurement", 0.08,
         ("Purchase order", "New supplier set-up", "Quote or tender advice", "Contract query"),
         (0.45, 0.2, 0.2, 0.15),
         (1.05, 1.0, 1.55, 1.2, 0.95, 0.95, 0.85, 0.75, 1.05, 1.0, 0.95, 0.8),
         (0.5, 0.4, 0.08, 0.0, 0.02),
         (110, 220, 320, 420), (500, 900, 1200, 1500)),
)

TEAM_BY_NAME: dict[str, Team] = {t.name: t for t in TEAMS}
PRIORITY_WEIGHTS = (0.03, 0.17, 0.55, 0.25)

# Which departments ask which team for help, relative to their headcount.
HEAVY_USERS: dict[str, dict[str, float]] = {
    "Payroll Services": {"Operations": 1.4},
    "Purchasing": {"Facilities": 2.5, "IT": 2.0, "Communications": 1.5},
    "Finance Operations": {"Procurement": 2.5, "Operations": 0.8},
    "IT Service Desk": {"Communications": 1.6, "Finance": 1.3},
}


@dataclass(frozen=True)
class StandardSpec:
    standard_id: str
    provider_team: str
    description: str
    measure: str
    priority: str
    target: float
    unit: str
    lunch: str = ""
    # the request categories it applies to, separated by ';' (blank = all the team's requests)
    categories: str = ""


STANDARDS: tuple[StandardSpec, ...] = (
    StandardSpec("STD-IT-01", "IT Service Desk",
                 "We will acknowledge every request and tell you who is dealing with it "
                 "within 2 working hours.", "first_response", "", 2, "working_hours"),
    StandardSpec("STD-IT-02", "IT Service Desk",
                 "If you cannot work at all (priority 1), we will get you working again "
                 "within 4 working hours.", "resolution", "P1", 4, "working_hours"),
    StandardSpec("STD-IT-03", "IT Service Desk",
                 "Priority 2 faults affecting your work will be fixed within 2 working days.",
                 "resolution", "P2", 2, "working_days"),
    StandardSpec("STD-IT-04", "IT Service Desk",
                 "Routine requests (priority 3) will be completed within 5 working days.",
                 "resolution", "P3", 5, "working_days"),
    StandardSpec("STD-FAC-01", "Facilities Helpdesk",
                 "We will respond to every request within 4 working hours.",
                 "first_response", "", 4, "working_hours"),
    StandardSpec("STD-FAC-02", "Facilities Helpdesk",
                 "Urgent health and safety or building faults (priority 1) will be made safe "
                 "within 4 working hours.", "resolution", "P1", 4, "working_hours"),
    StandardSpec("STD-FAC-03", "Facilities Helpdesk",
                 "Routine repairs and room set-ups (priority 3) will be completed within "
                 "5 working days.", "resolution", "P3", 5, "working_days"),
    StandardSpec("STD-HR-01", "HR Advisory",
                 "An HR adviser will contact you within 1 working day of your enquiry.",
                 "first_response", "", 1, "working_days", lunch="13:00-14:00"),
    StandardSpec("STD-HR-02", "HR Advisory",
                 "We will give you a full answer to a policy, contract or recruitment question "
                 "within 10 working days.", "resolution", "", 10, "working_days",
                 lunch="13:00-14:00",
                 categories="Policy advice;Contract or job description;Recruitment"),
    StandardSpec("STD-PAY-01", "Payroll Services",
                 "We will reply to pay and pension queries within 1 working day.",
                 "first_response", "", 1, "working_days"),
    StandardSpec("STD-PAY-02", "Payroll Services",
                 "Pay errors will be put right within 3 working days, in time for the next "
                 "pay run where possible.", "resolution", "", 3, "working_days",
                 categories="Pay query;Overtime or expenses;Tax code or deductions"),
    StandardSpec("STD-PAY-03", "Payroll Services",
                 "Changes to your bank details will be completed within 5 working days of "
                 "your request.", "resolution", "", 5, "working_days",
                 categories="Bank details change"),
    StandardSpec("STD-FIN-01", "Finance Operations",
                 "We will acknowledge finance requests within 2 working days.",
                 "first_response", "", 2, "working_days"),
    StandardSpec("STD-FIN-02", "Finance Operations",
                 "Budget reports and cost code changes will be completed within "
                 "10 working days.", "resolution", "", 10, "working_days",
                 categories="Budget report;Cost code query"),
    StandardSpec("STD-PUR-01", "Purchasing",
                 "Purchase orders will be raised within 5 working days of a complete "
                 "request.", "resolution", "", 5, "working_days",
                 categories="Purchase order"),
)


@dataclass(frozen=True)
class Role:
    role_id: str
    role_title: str
    department: str
    team: str
    reports_to: str
    handles: str


def _roles() -> tuple[Role, ...]:
    """About 60 roles: a chief executive, a head of each department, and the teams."""
    r: list[Role] = []

    def add(title: str, dept: str, team: str, boss: str, handles: str = "") -> str:
        role_id = f"R{len(r) + 1:03d}"
        r.append(Role(role_id, title, dept, team, boss, handles))
        return role_id

    ceo = add("Chief Executive", "Executive Office", "Executive Office", "",
              "Escalated complaints")
    add("Executive Assistant", "Executive Office", "Executive Office", ceo)
    heads = {d: add(f"Head of {d}", d, f"{d} Management", ceo,
                    "Workload and delegation;Unfair treatment") for d in DEPARTMENTS}
    # IT
    itm = add("IT Service Desk Manager", "IT", "IT Service Desk", heads["IT"],
              "Complaints about IT")
    lead1 = add("Service Desk Team Leader", "IT", "IT Service Desk", itm,
                "Password or account access;System access request")
    lead2 = add("Service Desk Team Leader", "IT", "IT Service Desk", itm,
                "Laptop or hardware fault;Network or Wi-Fi")
    for boss, handles in ((lead1, "Password or account access"),
                          (lead1, "System access request"),
                          (lead1, "How to use a system"),
                          (lead2, "Laptop or hardware fault"),
                          (lead2, "Software installation"),
                          (lead2, "Network or Wi-Fi")):
        add("Service Desk Analyst", "IT", "IT Service Desk", boss, handles)
    for _ in range(2):
        add("Infrastructure Engineer", "IT", "IT Infrastructure", heads["IT"],
            "Network or Wi-Fi;Outdated technology")
    # Facilities
    fm = add("Facilities Manager", "Facilities", "Facilities Helpdesk", heads["Facilities"],
             "Complaints about facilities")
    sup = add("Facilities Supervisor", "Facilities", "Facilities Helpdesk", fm,
              "Room set-up;Desk or equipment move")
    add("Health and Safety Adviser", "Facilities", "Facilities Helpdesk", fm,
        "Health and safety")
    for handles in ("Heating or lighting", "Repairs and maintenance", "Cleaning",
                    "Desk or equipment move"):
        add("Facilities Officer", "Facilities", "Facilities Helpdesk", sup, handles)
    # HR
    hrm = add("HR Advisory Manager", "HR", "HR Advisory", heads["HR"],
              "Grievance or unfair treatment;Discrimination")
    for handles in ("Contract or job description;Unclear job role", "Policy advice",
                    "Recruitment", "Absence and leave;Wellbeing"):
        add("HR Adviser", "HR", "HR Advisory", hrm, handles)
    add("Learning and Development Adviser", "HR", "HR Advisory", hrm,
        "Training and development;Missing training")
    # Payroll
    pm = add("Payroll Manager", "Payroll", "Payroll Services", heads["Payroll"],
             "Complaints about pay")
    for handles in ("Pay query", "Overtime or expenses", "Tax code or deductions",
                    "Bank details change;Pension query"):
        add("Payroll Officer", "Payroll", "Payroll Services", pm, handles)
    # Finance
    fom = add("Finance Operations Manager", "Finance", "Finance Operations", heads["Finance"],
              "Complaints about finance")
    for handles in ("Invoice payment", "Invoice payment;Purchase card", "Cost code query",
                    "Journal correction"):
        add("Finance Officer", "Finance", "Finance Operations", fom, handles)
    for _ in range(2):
        add("Management Accountant", "Finance", "Finance Business Partnering", heads["Finance"],
            "Budget report")
    # Procurement
    pum = add("Purchasing Manager", "Procurement", "Purchasing", heads["Procurement"],
              "Contract query")
    for handles in ("Purchase order", "Purchase order;New supplier set-up",
                    "Quote or tender advice"):
        add("Buyer", "Procurement", "Purchasing", pum, handles)
    # Operations and Communications (internal customers more than providers)
    for area in ("North", "Central", "South"):
        om = add(f"Operations Manager ({area})", "Operations", f"Operations {area}",
                 heads["Operations"], "Workload and delegation")
        add(f"Operations Team Leader ({area})", "Operations", f"Operations {area}", om,
            "Briefing new starters")
    add("Customer Experience Lead", "Operations", "Quality and Improvement",
        heads["Operations"], "Complaints handling;Service standards")
    add("Continuous Improvement Officer", "Operations", "Quality and Improvement",
        heads["Operations"], "Process improvement;Feedback and surveys")
    for title, handles in (("Internal Communications Officer", "Poor communication"),
                           ("Digital Content Officer", "Intranet and information sharing")):
        add(title, "Communications", "Internal Communications", heads["Communications"],
            handles)
    return tuple(r)


ROLES: tuple[Role, ...] = _roles()

COMPLAINT_CATEGORIES = ("Delay", "Not kept informed", "Wrong information", "Staff attitude",
                        "Quality of work", "Policy or process")
COMPLAINT_CATEGORY_WEIGHTS = (0.3, 0.2, 0.15, 0.1, 0.15, 0.1)
REMEDIES = (
    "An apology and an explanation of what went wrong",
    "Put the problem right as soon as possible",
    "A named contact who keeps me updated",
    "Change the process so it does not happen again",
    "Correct the error and confirm in writing",
    "Refund the cost charged to our budget",
    "A meeting with the team manager",
    "Training for the staff involved",
)

FIRST_NAMES = ("Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hannah", "Imran",
               "Jess", "Kieran", "Laura", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sophie",
               "Tom", "Uma", "Viktor", "Wendy", "Yusuf", "Zara", "Callum", "Grace", "Harvey",
               "Isla", "Jack", "Megan", "Nathan", "Olivia", "Ruby", "Sam", "Tariq", "Amelia")
LAST_NAMES = ("Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes",
              "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quinn",
              "Roberts", "Singh", "Taylor", "Walsh", "Williams", "Wright", "Young", "Cooper",
              "Edwards", "Hall", "Kaur", "Murphy", "Price", "Shaw", "Thomas")
