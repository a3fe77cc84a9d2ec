"""Admin: stats."""
