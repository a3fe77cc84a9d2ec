"""Token-authenticated JSON API for officers' own tools."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.images import get_image_model

from network import rules

from .. import rendering
from ..channels import connect
from ..connectors import ConnectorError
from ..models import Channel, Delivery, Post, PostImage
from ..posts import create_and_submit
from ..preferences import system_hashtag
from ..validation import MAX_ID, validate_post
from .serializers import (
    ChannelCreateSerializer,
    ChannelSerializer,
    PostCreateSerializer,
    PostSerializer,
    represent_post,
)

# The refusals every operation may answer, in the OpenAPI description: a client generated
# from it knows them (each body is JSON with a Spanish ``detail`` or a message per field).
_UNAUTHENTICATED = OpenApiResponse(OpenApiTypes.OBJECT, description="Falta el token o no es válido.")
_THROTTLED = OpenApiResponse(OpenApiTypes.OBJECT, description="Demasiadas solicitudes; reintente después.")
_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Datos no válidos: un mensaje por campo.")
_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No existe o no tiene acceso.")
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Su función no lo permite.")


def exception_handler(exc, context):
    """Every error is JSON, with a Spanish 'detail' or a message per field."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No existe o no tiene acceso."))
    return drf_exception_handler(exc, context)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request):
    """An address under /api/ that names no operation."""
    raise Http404


_PREFETCH = ("channels", "tags", "images",
             Prefetch("deliveries", queryset=Delivery.objects.select_related("channel")))


def _posts(user):
    return Post.objects.in_scope_of(user).prefetch_related(*_PREFETCH)


class PostListView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses={200: PostSerializer(many=True), 401: _UNAUTHENTICATED, 429: _THROTTLED},
                   summary="Publicaciones visibles para el usuario")
    def get(self, request):
        posts = _posts(request.user)[:100]
        return Response(PostSerializer(posts, many=True).data)

    @extend_schema(
        request={"application/json": PostCreateSerializer, "multipart/form-data": PostCreateSerializer},
        responses={201: PostSerializer,
                   200: OpenApiResponse(PostSerializer, description="La publicación ya creada con esa "
                                                                    "Idempotency-Key."),
                   400: _INVALID, 401: _UNAUTHENTICATED, 429: _THROTTLED,
                   422: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                       "La Idempotency-Key ya se usó con otro contenido; no se creó nada."))},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="Reintentar con la misma clave y el mismo contenido "
                                                 "no crea otra publicación; otro contenido con una "
                                                 "clave ya usada se rechaza (422).")],
        summary="Crear y programar una publicación")
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100 or not (key.isascii() and key.isprintable()):
            # Never shortened or cleaned: two different keys must never meet as one.
            raise exceptions.ValidationError({"Idempotency-Key": [_(
                "La clave Idempotency-Key debe tener como máximo 100 caracteres ASCII visibles.")]})
        data = request.data
        if hasattr(data, "getlist"):  # multipart: lists come as repeated fields
            data = {**{k: data.get(k) for k in data}, "channels": data.getlist("channels"),
                    "tags": data.getlist("tags"), "images": request.FILES.getlist("images")}
            data = {k: v for k, v in data.items() if v not in (None, [])}
        fingerprint = _fingerprint(data) if key else ""
        if key:
            # The author's post with this key, if still theirs (``campaigns.rules``): a post
            # of an institution they left is not shown again by replaying its key.
            existing = Post.objects.in_scope_of(request.user).filter(
                author=request.user, client_key=key).first()
            if existing:
                return _replayed(existing, fingerprint)
        serializer = PostCreateSerializer(data=data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        # Another institution's channel reads exactly like one that does not exist.
        channels = list(Channel.objects.for_user(request.user).filter(
            pk__in=values["channels"]).select_related("institution"))
        missing = set(values["channels"]) - {c.pk for c in channels}
        if missing:
            raise exceptions.ValidationError({"channels": [
                _("No existe el canal %(id)s o no puede publicar en él.") % {"id": pk}
                for pk in sorted(missing)]})
        images = values.get("images", [])
        errors = validate_post(
            user=request.user, text=values["text"], link=values.get("link", ""),
            tags=values.get("tags", []), channels=channels, variants={}, image_count=len(images),
            publish_at=values.get("publish_at"), hashtag=system_hashtag(),
            allowed={c.pk for c in channels},
            utm=rendering.utm_by_kind(enabled=True, institution_id=rules.officer_institution_id(
                request.user), campaign=values.get("campaign"), channels=channels))
        if errors:
            raise exceptions.ValidationError(errors)
        try:
            post = self._create(request.user, values, channels, images, key, fingerprint)
        except IntegrityError:  # the same Idempotency-Key raced in twice
            return _replayed(get_object_or_404(Post.objects.in_scope_of(request.user),
                                               author=request.user, client_key=key), fingerprint)
        # The post the actor has just created: a published one still holds in memory what the
        # answer shows (channels, tags, images, deliveries); no scoped re-read.
        if not post.live:
            prefetch_related_objects([post], *_PREFETCH)
        return Response(represent_post(post), status=status.HTTP_201_CREATED)

    @staticmethod
    def _create(user, values, channels, images, key, fingerprint) -> Post:
        Image = get_image_model()
        with transaction.atomic():
            title = values.get("title") or values["text"].strip().splitlines()[0][:80] or _("Publicación")
            post = Post(title=title, text=values["text"], link=values.get("link", ""),
                        publish_at=values.get("publish_at"), campaign=values.get("campaign"),
                        author=user, institution_id=rules.officer_institution_id(user),
                        client_key=key, client_fingerprint=fingerprint, live=False)
            if values.get("tags"):
                post.tags.set(values["tags"])
            for upload in images:
                image = Image(title=upload.name[:255], file=upload, uploaded_by_user=user)
                image.save()
                post.images.add(PostImage(image=image))
            return create_and_submit(user, post, channels)


def _fingerprint(data) -> str:
    """What a request asked for, as SHA-256: its fields in any order, and each image by name,
    size and content. A retry of the same request gives the same."""
    def default(value):
        if hasattr(value, "chunks"):  # an uploaded image
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            return [value.name, value.size, digest.hexdigest()]
        return str(value)

    try:
        text = json.dumps(data, sort_keys=True, default=default, ensure_ascii=False)
    except (TypeError, ValueError):  # keys of mixed types: not a post the serializer accepts
        text = repr(data)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _replayed(post: Post, fingerprint: str) -> Response:
    """The answer to a request whose Idempotency-Key already made ``post``: that post again
    for a retry; a 422 for other content under the same key (it would be silently dropped)."""
    if post.client_fingerprint and fingerprint != post.client_fingerprint:
        return Response({"Idempotency-Key": [_(
            "Esta clave Idempotency-Key ya se usó para una publicación con otro contenido; "
            "no se creó nada. Para una publicación nueva, use una clave nueva.")]},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(represent_post(post), status=status.HTTP_200_OK)


class PostDetailView(APIView):
    @extend_schema(responses={200: PostSerializer, 401: _UNAUTHENTICATED, 404: _NOT_FOUND,
                              429: _THROTTLED}, summary="Una publicación con sus envíos")
    def get(self, request, pk: int):
        if not 0 < pk <= MAX_ID:
            raise Http404
        return Response(PostSerializer(get_object_or_404(_posts(request.user), pk=pk)).data)


class ChannelListView(APIView):
    @extend_schema(responses={200: ChannelSerializer(many=True), 401: _UNAUTHENTICATED, 429: _THROTTLED},
                   summary="Canales donde puede publicar")
    def get(self, request):
        channels = Channel.objects.for_user(request.user).select_related("institution")
        return Response(ChannelSerializer(channels, many=True).data)

    @extend_schema(request=ChannelCreateSerializer,
                   responses={201: ChannelSerializer, 400: _INVALID, 401: _UNAUTHENTICATED,
                              403: _FORBIDDEN, 429: _THROTTLED},
                   summary="Registrar un canal (solo Coordinación); se prueba la conexión")
    def post(self, request):
        if not rules.is_coordinator(request.user):
            raise exceptions.PermissionDenied(_("Solo Coordinación puede registrar canales por la API."))
        serializer = ChannelCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        channel = Channel(name=values["name"], kind=values["kind"],
                          institution=values.get("institution"), chat_id=values.get("chat_id", ""))
        if channel.kind == "telegram" and not channel.chat_id:
            raise exceptions.ValidationError({"chat_id": [_("Indique el chat id del canal de Telegram.")]})
        try:
            connect(channel, values["credentials"])
        except ConnectorError as exc:
            raise exceptions.ValidationError({"credentials": [exc.message]}) from exc
        channel.save()
        return Response(ChannelSerializer(channel).data, status=status.HTTP_201_CREATED)
