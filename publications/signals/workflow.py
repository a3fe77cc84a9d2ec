"""Signals: workflow."""
