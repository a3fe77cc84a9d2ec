"""URLs of publications, one list per concern (the pages themselves are Wagtail's)."""

from .views import booklets, discovery, files, magazine, stats

app_name = "publications"
urlpatterns = [
    *magazine.urlpatterns,
    *booklets.urlpatterns,
    *files.urlpatterns,
    *discovery.urlpatterns,
    *stats.urlpatterns,
]
