"""Admin: files."""
