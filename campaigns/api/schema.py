"""OpenAPI description: only Enlace's own API (not Wagtail's internal admin API)."""


def only_enlace_api(endpoints):
    return [(path, regex, method, view) for path, regex, method, view in endpoints
            if path.startswith("/api/")]
