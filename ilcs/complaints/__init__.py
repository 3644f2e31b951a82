"""Problems and the complaints procedure (outcome 5: criteria 5.1, 5.2, 5.3).

- `problems`: problem types and scenarios as data, and classifying a scenario (5.1);
- `routing`: who handles a problem and the escalation path, over the org chart (5.1, 5.3);
- `replies`: handling an upset colleague: the steps and the written-reply checker (5.2);
- `lifecycle`: the complaints procedure as data and the log checks (5.3);
- `measures`: timeliness, rates, outcomes and the Pareto of categories (5.2, 5.3);
- `tasks`: data-task answers for the question bank; `views`: the widgets (ipywidgets).

Importing this package never imports ipywidgets.
"""

from ilcs.complaints.lifecycle import (
    Finding,
    Procedure,
    check_log,
    default_procedure,
    load_procedure,
    procedure_from_dict,
)
from ilcs.complaints.measures import (
    FEWER_THAN_5,
    ComplaintsReport,
    complaints_report,
    lateness,
    lateness_summary,
)
from ilcs.complaints.problems import classify, load_problem_types, load_scenarios
from ilcs.complaints.replies import STEPS, check_order, check_reply, reply_feedback
from ilcs.complaints.routing import Route, route, routing_table

__all__ = [
    "FEWER_THAN_5", "STEPS", "ComplaintsReport", "Finding", "Procedure", "Route",
    "check_log", "check_order", "check_reply", "classify", "complaints_report",
    "default_procedure", "lateness", "lateness_summary", "load_problem_types",
    "load_procedure", "load_scenarios", "procedure_from_dict", "reply_feedback", "route",
    "routing_table",
]
