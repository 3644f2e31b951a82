"""The standards topic's views (the one widget pattern, docs/widgets.md): the SLA dashboard,
the export mapper, the own-data dashboard and the standards writer. Each lays out widgets
over `ilcs.standards`' core and computes nothing. The `build_*` functions are what the
notebooks call."""

from ilcs.standards.views.dashboard import (
    ExportMapper,
    OwnDataDashboard,
    SlaDashboard,
    build_export_mapper,
    build_own_data_dashboard,
    build_sla_dashboard,
)
from ilcs.standards.views.writer import StandardsWriter, build_standards_writer

__all__ = ["ExportMapper", "OwnDataDashboard", "SlaDashboard", "StandardsWriter",
           "build_export_mapper", "build_own_data_dashboard", "build_sla_dashboard",
           "build_standards_writer"]
