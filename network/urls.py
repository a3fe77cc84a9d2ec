from django.urls import path

from .views import agendas, participation, public, roadmaps

app_name = "network"

urlpatterns = [
    path("instituciones/", public.directory, name="directory"),
    path("instituciones/<slug:slug>/", public.institution_detail, name="institution"),
    path("instituciones/<slug:slug>/contactos/", public.institution_contacts,
         name="institution_contacts"),
    path("instituciones/<slug:slug>/convenios/", public.institution_agreements,
         name="institution_agreements"),
    path("calendario/", public.calendar_view, name="calendar"),
    path("calendario.ics", public.calendar_ics, name="calendar_ics"),
    path("calendario/<slug:slug>/", public.event_detail, name="event"),
    path("agendas/", agendas.agenda_index, name="agendas"),
    path("agendas/<slug:slug>/", agendas.agenda_region, name="agenda_region"),
    path("calendario/<slug:slug>/registro/", participation.register, name="event_register"),
    path("calendario/<slug:slug>/registro/enviado/", participation.registration_sent,
         name="registration_sent"),
    path("participacion/mi-registro/<str:token>/", participation.my_registration,
         name="my_registration"),
    path("participacion/encuesta/<str:token>/", participation.survey, name="survey"),
    path("capsulas/", public.capsule_list, name="capsules"),
    path("capsulas/<slug:slug>/", public.capsule_detail, name="capsule"),
    path("capsulas/<slug:slug>/embed/", public.capsule_embed, name="capsule_embed"),
    path("hojas-de-ruta/", roadmaps.overview, name="roadmaps"),
    path("hojas-de-ruta/garante/<slug:slug>/", roadmaps.by_guarantor, name="roadmaps_guarantor"),
    path("hojas-de-ruta/region/<slug:slug>/", roadmaps.by_region, name="roadmaps_region"),
    path("hojas-de-ruta/<slug:slug>/", roadmaps.detail, name="roadmap"),
]
