"""The standards topic's views (ipywidgets): the SLA dashboard, the export mapper and the
standards writer. Each lays out widgets over `ilcs.standards`' core and computes nothing."""

from ilcs.standards.views.dashboard import (
    build_export_mapper,
    build_own_data_dashboard,
    build_sla_dashboard,
)
from ilcs.standards.views.writer import build_standards_writer

__all__ = ["build_export_mapper", "build_own_data_dashboard", "build_sla_dashboard",
           "build_standards_writer"]
