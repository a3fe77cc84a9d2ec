from django.urls import path

from . import converters  # noqa: F401  (registers <dbid:> and <folio:>)
from .views import entrant, files, jury, public

app_name = "contests"

urlpatterns = [
    path("concursos/", public.index, name="index"),
    path("concursos/perfil/", entrant.profile, name="profile"),
    path("concursos/mis-participaciones/", entrant.my_entries, name="my_entries"),
    path("concursos/convocatoria/<dbid:call_id>/participar/", entrant.start, name="start"),
    path("concursos/participacion/<uuid:public_id>/", entrant.entry, name="entry"),
    path("concursos/participacion/<uuid:public_id>/archivo/<slug:slot>/", entrant.upload, name="upload"),
    path("concursos/participacion/<uuid:public_id>/archivo/<slug:slot>/quitar/", entrant.remove_file,
         name="remove_file"),
    path("concursos/participacion/<uuid:public_id>/equipo/", entrant.invite, name="invite"),
    path("concursos/participacion/<uuid:public_id>/equipo/<dbid:pk>/quitar/", entrant.remove_coauthor,
         name="remove_coauthor"),
    path("concursos/participacion/<uuid:public_id>/enviar/", entrant.submit, name="submit"),
    path("concursos/participacion/<uuid:public_id>/retirar/", entrant.withdraw, name="withdraw"),
    path("concursos/participacion/<uuid:public_id>/acuse/", entrant.receipt, name="receipt"),
    path("concursos/participacion/<uuid:public_id>/acuse/reenviar/", entrant.resend_receipt,
         name="resend_receipt"),
    path("concursos/coautoria/<uuid:token>/", entrant.accept_invitation, name="accept_invitation"),
    path("concursos/archivo/<dbid:pk>/", files.own_file, name="file"),
    path("jurado/", jury.home, name="jury_home"),
    path("jurado/obra/<uuid:public_id>/", jury.review, name="jury_review"),
    path("jurado/obra/<uuid:public_id>/conflicto/", jury.conflict, name="jury_conflict"),
    path("jurado/archivo/<dbid:pk>/", files.juror_file, name="jury_file"),
    path("jurado/deliberacion/<dbid:call_id>/", jury.deliberation, name="deliberation"),
    path("acervo/", public.archive, name="archive"),
    path("acervo/<folio:folio>/", public.archive_item, name="archive_item"),
    path("acervo/<folio:folio>/compartir/", public.share_archived, name="archive_share"),
    path("acervo/<folio:folio>/<slug:slot>/", files.archive_file, name="archive_file"),
]
