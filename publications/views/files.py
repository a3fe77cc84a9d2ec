"""Views: files."""

urlpatterns: list = []
