"""Bulk scheduling from CSV/XLSX: preview with per-row errors, all or nothing, once, scoped."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from campaigns.models import Post, PostImport
from campaigns.post_import import PostsAlreadyCreated, apply_posts, preview_posts
from campaigns.sendtime import MEXICO_CITY
from network.enums import ImportStatus

from .factories import make_channel, make_image

UPLOAD = reverse("campaigns_import")
HEADER = "texto,enlace,canales,fecha,hora,imagen\n"


def _future(days=3):
    return timezone.now().astimezone(MEXICO_CITY) + timedelta(days=days)


def _csv(*rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("publicaciones.csv", (HEADER + "".join(r + "\n" for r in rows)).encode())


def _row(text, channels, when=None, hour="10:00", link="", image=""):
    when = when or _future()
    return f'"{text}",{link},"{channels}",{when:%d/%m/%Y},{hour},{image}'


def _errors(batch):
    return [(e["row"], e["field"], e["message"]) for e in batch.errors]


def test_a_clean_file_is_previewed_then_created_once(officer, tg_channel, x_channel):
    batch = preview_posts(uploaded=_csv(
        _row("Primera publicación", f"{tg_channel.name}; {x_channel.pk}"),
        _row("Segunda publicación", tg_channel.name, hour="17:30", link="https://inai.org.mx")),
        actor=officer)
    assert batch.status == ImportStatus.PREVIEW and not batch.errors
    assert not Post.objects.exists()  # the preview creates nothing
    apply_posts(batch_id=batch.pk, actor=officer)
    posts = {p.text: p for p in Post.objects.all()}
    assert set(posts) == {"Primera publicación", "Segunda publicación"}
    first = posts["Primera publicación"]
    assert first.live and set(first.channels.all()) == {tg_channel, x_channel}
    assert first.deliveries.count() == 2
    assert first.institution == officer.staff_profile.institution and first.author == officer
    local = posts["Segunda publicación"].publish_at.astimezone(MEXICO_CITY)
    assert (local.hour, local.minute) == (17, 30)
    with pytest.raises(PostsAlreadyCreated):
        apply_posts(batch_id=batch.pk, actor=officer)
    assert Post.objects.count() == 2


def test_every_bad_row_is_reported_in_spanish_and_nothing_is_created(officer, infoem, itei, tg_channel,
                                                                   x_channel):
    other = make_channel("telegram", itei, name="Canal del ITEI")
    past = timezone.now().astimezone(MEXICO_CITY) - timedelta(days=2)
    batch = preview_posts(uploaded=_csv(
        _row("Bien", tg_channel.name),
        _row("Canal inexistente", "Canal fantasma"),
        _row("Ajeno", other.name),
        _row("Pasado", tg_channel.name, when=past),
        _row("x" * 300, x_channel.name),
        _row("Enlace malo", tg_channel.name, link="no es un enlace"),
        ",https://inai.org.mx,,,,",
        _row("Imagen remota", tg_channel.name, image="https://ejemplo.org/foto.png"),
        _row("Hora mala", tg_channel.name, hour="25:99"),
    ), actor=officer)
    assert batch.status == ImportStatus.REJECTED and batch.rows == []
    messages = _errors(batch)
    text = " ".join(m for _r, _f, m in messages)
    assert (3, "canales", "No existe el canal «Canal fantasma».") in messages
    assert "pertenece a otra institución" in text
    assert any(r == 5 and f == "fecha" and "ya pasó" in m for r, f, m in messages)
    assert any(r == 6 and f == "texto" and "límite de X" in m for r, f, m in messages)
    assert any(r == 7 and f == "enlace" for r, f, _m in messages)
    assert {f for r, f, _m in messages if r == 8} >= {"texto", "canales", "fecha", "hora"}
    assert any(r == 9 and "no descarga imágenes" in m for r, _f, m in messages)
    assert any(r == 10 and "No se reconoce" in m for r, _f, m in messages)
    assert not any(r == 2 for r, _f, _m in messages)
    assert not Post.objects.exists()


def test_an_image_of_the_library_is_attached_by_its_title(officer, tg_channel):
    image = make_image("Cartel día de la transparencia")
    batch = preview_posts(uploaded=_csv(_row("Con imagen", tg_channel.name,
                                             image="CARTEL día de la transparencia")), actor=officer)
    assert not batch.errors
    apply_posts(batch_id=batch.pk, actor=officer)
    assert Post.objects.get().ordered_images() == [image]


def test_a_row_for_an_snt_channel_goes_to_coordinacions_approval(officer, tg_channel):
    snt = make_channel("telegram", None, name="Canal del SNT")
    batch = preview_posts(uploaded=_csv(_row("Para todo el SNT", f"{snt.name};{tg_channel.name}")),
                          actor=officer)
    assert batch.rows[0]["aprobacion"] == "Sí"
    apply_posts(batch_id=batch.pk, actor=officer)
    post = Post.objects.get()
    assert not post.live and post.workflow_in_progress and not post.deliveries.exists()


def test_a_row_that_stopped_passing_before_confirming_creates_nothing(officer, tg_channel, x_channel):
    from django.core.exceptions import ValidationError

    batch = preview_posts(uploaded=_csv(_row("Uno", tg_channel.name), _row("Dos", x_channel.name)),
                          actor=officer)
    x_channel.active = False
    x_channel.save()
    with pytest.raises(ValidationError, match="Fila 3"):
        apply_posts(batch_id=batch.pk, actor=officer)
    assert not Post.objects.exists()
    assert PostImport.objects.get().status == ImportStatus.PREVIEW  # may be confirmed again later


def test_an_xlsx_file_with_date_and_time_cells_is_read(officer, tg_channel):
    when = _future(5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["texto", "enlace", "canales", "fecha", "hora", "imagen"])
    sheet.append(["Desde Excel", "", tg_channel.name, when.replace(tzinfo=None, hour=0, minute=0,
                                                                   second=0, microsecond=0),
                  when.replace(hour=9, minute=45).time().replace(second=0, microsecond=0), ""])
    out = io.BytesIO()
    workbook.save(out)
    batch = preview_posts(uploaded=SimpleUploadedFile("p.xlsx", out.getvalue()), actor=officer)
    assert not batch.errors, batch.errors
    assert (batch.rows[0]["fecha"], batch.rows[0]["hora"]) == (f"{when:%d/%m/%Y}", "09:45")


# --- The screens ------------------------------------------------------------------------------------

def test_the_screens_upload_preview_and_confirm_twice_creates_once(officer_client, tg_channel):
    response = officer_client.post(UPLOAD, {"file": _csv(_row("Por archivo", tg_channel.name))})
    batch = PostImport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/importar/{batch.pk}/")
    preview = officer_client.get(response.url).content.decode()
    assert "Se creará 1 publicación." in preview and "Por archivo" in preview
    first = officer_client.post(response.url, follow=True).content.decode()
    second = officer_client.post(response.url, follow=True).content.decode()
    assert "Se creó 1 publicación." in first
    assert "no se puede aplicar" in second
    assert Post.objects.count() == 1


def test_an_unreadable_file_is_refused_with_a_message(officer_client):
    response = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert "Suba un archivo CSV o XLSX." in response.content.decode()
    missing = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", b"texto\nhola\n")})
    assert "Faltan columnas obligatorias: canales, fecha, hora" in missing.content.decode()
    assert not PostImport.objects.exists()


def test_another_officer_can_neither_see_nor_confirm_a_batch(client, officer, other_officer, tg_channel):
    batch = preview_posts(uploaded=_csv(_row("Reservada", tg_channel.name)), actor=officer)
    url = reverse("campaigns_import_preview", args=[batch.pk])
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert "Reservada" not in client.get(UPLOAD).content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize("path", ["/admin/campanas/importar/0/", "/admin/campanas/importar/%00/",
                                  "/admin/campanas/importar/99999999999999999999/",
                                  "/admin/campanas/importar/plantilla.pdf"])
def test_garbage_addresses_answer_404(officer_client, path):
    assert officer_client.get(path).status_code == 404


def test_the_import_screens_refuse_people_without_post_permissions(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="sin-permisos", is_staff=True))
    assert client.get(UPLOAD).status_code in (302, 403)


def test_the_templates_download_as_csv_and_xlsx_with_the_officers_channel(officer_client, tg_channel):
    csv_text = officer_client.get(reverse("campaigns_import_template", args=["csv"])).content.decode()
    assert csv_text.lstrip("\ufeff").startswith("texto,enlace,canales,fecha,hora,imagen")
    assert tg_channel.name in csv_text
    xlsx = officer_client.get(reverse("campaigns_import_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["texto", "enlace", "canales", "fecha", "hora", "imagen"]
    assert sheet.cell(2, 3).value == tg_channel.name


def test_the_preview_names_its_outcome_columns_in_words_in_each_language(officer_client, tg_channel):
    """The file's own columns keep their names (texto, canales...), but the outcome the preview
    adds is a heading in words: «aprobacion» read as a column of the file, unaccented, in English too."""
    response = officer_client.post(UPLOAD, {"file": _csv(_row("Por archivo", tg_channel.name))})
    preview = officer_client.get(response.url).content.decode()
    assert "<th>aprobacion</th>" not in preview
    assert "<th>¿Pasa por aprobación?</th>" in preview
    assert "<td>nueva</td>" in preview  # a publicación is «nueva», not «nuevo»
    officer_client.cookies["django_language"] = "en"
    english = officer_client.get(response.url).content.decode()
    assert "<th>Needs approval?</th>" in english and "<td>new</td>" in english
    assert "<th>texto</th>" in english  # the file's column names stay as the file has them
