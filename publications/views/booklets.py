"""Views: booklets."""

urlpatterns: list = []
