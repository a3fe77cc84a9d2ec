from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("posts/", views.PostListView.as_view(), name="api_posts"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="api_post"),
    path("channels/", views.ChannelListView.as_view(), name="api_channels"),
    path("openapi.json", SpectacularAPIView.as_view(
        authentication_classes=[], permission_classes=[],
        renderer_classes=[OpenApiJsonRenderer]),
        name="api_schema"),
]
