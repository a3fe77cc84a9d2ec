from django.urls import path

from .views import public

urlpatterns = [
    path("amplificar/<str:token>/", public.amplify, name="campaigns_amplify"),
]
