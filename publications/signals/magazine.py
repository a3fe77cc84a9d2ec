"""Signals: magazine."""
