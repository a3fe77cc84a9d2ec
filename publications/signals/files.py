"""Signals: files."""
