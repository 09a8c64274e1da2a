"""Frozen data passed between the stages: no I/O, no ReportLab."""
