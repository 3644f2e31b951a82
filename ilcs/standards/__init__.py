"""Service standards and timescales (outcome 4): measuring requests against agreed standards.

- `measures`: the SLA engine (pure functions over the request log and the standards table);
- `smart`: the SMART check of a written standard;
- `tasks`: data-task answers for the question bank, computed by `measures`;
- `views`, `writer`: the dashboard, the export mapper and the standards writer (ipywidgets).

The core is re-exported here; the views are imported from their modules, so importing this
package never imports ipywidgets.
"""

from ilcs.standards.measures import (
    AGE_BANDS,
    FEW_REQUESTS,
    MEASURE_COLUMN,
    STATUSES,
    SlaReport,
    backlog,
    breach_list,
    breaches_by_standard,
    calendar_for,
    compliance,
    compliance_grid,
    default_as_of,
    expectation_vs_delivery,
    history_hours,
    measure,
    pct_label,
    share_within,
    simple_standards,
    sla_report,
    target_hours,
)
from ilcs.standards.smart import SmartReport, check_smart

__all__ = [
    "AGE_BANDS", "FEW_REQUESTS", "MEASURE_COLUMN", "STATUSES", "SlaReport", "SmartReport",
    "backlog", "breach_list", "breaches_by_standard", "calendar_for", "check_smart",
    "compliance", "compliance_grid", "default_as_of", "expectation_vs_delivery",
    "history_hours", "measure", "pct_label", "share_within", "simple_standards", "sla_report",
    "target_hours",
]
