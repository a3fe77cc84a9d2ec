"""Admin: booklets."""
