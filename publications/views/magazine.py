"""Views: magazine."""

urlpatterns: list = []
