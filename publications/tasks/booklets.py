"""Tasks: booklets."""

__all__: list[str] = []
