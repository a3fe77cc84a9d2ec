"""Authentication glue shared by the staff admin and entrants' accounts."""


def axes_username(request, credentials) -> str | None:
    """What django-axes locks on: the admin's username or the e-mail entrants sign in with."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = getattr(request, "POST", None) or {}
    return (data.get("login") or data.get("username") or "").strip().lower() or None
