"""Admin: magazine."""
