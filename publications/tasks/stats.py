"""Tasks: stats."""

__all__: list[str] = []
