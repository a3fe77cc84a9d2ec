"""Views: stats."""

urlpatterns: list = []
