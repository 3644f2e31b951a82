"""Shared view pieces for every topic: the stylesheet and page frame, accessible charts, status
and error messages, readable HTML tables, and the app gallery."""
