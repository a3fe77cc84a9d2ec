"""Signals: booklets."""
