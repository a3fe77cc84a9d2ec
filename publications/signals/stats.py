"""Signals: stats."""
