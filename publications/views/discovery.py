"""Views: discovery."""

urlpatterns: list = []
