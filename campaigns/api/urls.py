from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)

from . import views

urlpatterns = [
    path("posts/", views.PostListView.as_view(), name="api_posts"),
    path("posts/<dbid:pk>/", views.PostDetailView.as_view(), name="api_post"),
    path("channels/", views.ChannelListView.as_view(), name="api_channels"),
    # JSON for clients that send ``Accept: application/json`` (and the OpenAPI media type).
    path("openapi.json", SpectacularAPIView.as_view(
        authentication_classes=[], permission_classes=[],
        renderer_classes=[OpenApiJsonRenderer2, OpenApiJsonRenderer]),
        name="api_schema"),
    # Browsable documentation (Redoc, served from our own static files).
    path("docs/", SpectacularRedocView.as_view(
        url_name="api_schema", authentication_classes=[], permission_classes=[]),
        name="api_docs"),
]
