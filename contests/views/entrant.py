"""The entrant's side: profile, the submission wizard, files, receipt, withdrawal."""

from __future__ import annotations

import functools
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from contests.accounts import local_path
from contests.domain import entries as domain
from contests.domain import notices
from contests.domain.errors import ContestError
from contests.forms import CoAuthorForm, EntryDetailsForm, ProfileForm, StartEntryForm
from contests.kinds import missing_parts, rules_for
from contests.models import CoAuthor, ContestCallPage, EntrantProfile, Entry
from contests.uploads import HashingTemporaryFileUploadHandler

LOGIN = "account_login"

# The wizard as the entrant sees it: "Paso 3 de 4: Obra".
WIZARD_STEPS = (("profile", gettext_lazy("Perfil")), ("category", gettext_lazy("Categoría")),
                ("work", gettext_lazy("Obra")), ("receipt", gettext_lazy("Acuse")))


def wizard(current: str) -> dict:
    """The step indicator's context (``contests/_steps.html``) with ``current`` as the step."""
    names = [name for name, _label in WIZARD_STEPS]
    index = names.index(current)
    return {"number": index + 1, "total": len(names), "label": WIZARD_STEPS[index][1],
            "steps": [{"label": label, "current": i == index, "done": i < index}
                      for i, (_name, label) in enumerate(WIZARD_STEPS)]}


def entrant_required(view):
    """Signed in with a confirmed e-mail (``contests.act_as_entrant``): an account whose
    address was never confirmed can neither see nor change entries, whatever way it signed in."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("contests.act_as_entrant"):
            return unverified(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url=LOGIN)


TYPED_FIELDS = ("title", "summary", "theme")


def _typed_key(public_id) -> str:
    return f"contests:typed:{public_id}"


def keeps_what_was_typed(view):
    """A session that ended while the entrant was typing on the work's page: what the form
    carried (title, synopsis, theme) is kept in the new session and the entrant signs in to
    come back to the work's page (never to an address that only takes a POST), where it is
    offered again, once, unsaved (``_take_typed``)."""

    @functools.wraps(view)
    def wrapped(request, public_id, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            typed = {name: request.POST[name][:5000] for name in TYPED_FIELDS if name in request.POST}
            if typed:
                request.session[_typed_key(public_id)] = typed
            page = reverse("contests:entry", kwargs={"public_id": public_id})
            return redirect_to_login(page, reverse(LOGIN))
        return view(request, public_id, *args, **kwargs)

    return wrapped


def _take_typed(request, entry: Entry):
    """What the entrant typed before their session ended, for this entry (once), or None."""
    typed = request.session.pop(_typed_key(entry.public_id), None)
    if not typed or not isinstance(typed, dict) or not entry.editable_by_entrant():
        return None
    messages.warning(request, _("Su sesión había terminado y lo que escribió no se guardó. Aquí "
                                "está de nuevo: revíselo y pulse «Guardar borrador»."))
    return EntryDetailsForm(instance=entry, rules=rules_for(entry.category),
                            themes=entry.call.theme_list,
                            initial={k: v for k, v in typed.items() if k in TYPED_FIELDS})


def newcomers_sign_up(view):
    """Like ``entrant_required``, but someone not signed in is sent to *create* an account
    (the page links to signing in), and comes back here afterwards."""
    checked = entrant_required(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_signup"))
        return checked(request, *args, **kwargs)

    return wrapped


def unverified(request):
    """The page (or JSON answer) for an account whose e-mail is not confirmed yet."""
    message = _("Antes de participar, confirme su correo con el enlace que le enviamos al crear su "
                "cuenta. Si no lo encuentra, puede pedir otro desde «Correos».")
    if _wants_json(request):
        return JsonResponse({"error": message}, status=403)
    return render(request, "contests/verify_email.html", {"message": message}, status=403)


def _profile(user):
    return EntrantProfile.objects.filter(user=user).first()


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _own_entry(request, public_id) -> Entry:
    entry = (Entry.objects.visible_to(request.user).select_related("call", "category", "owner")
             .filter(public_id=public_id).first())
    if entry is None:
        raise Http404
    return entry


def _owner_only(request, entry: Entry) -> None:
    if entry.owner_id != request.user.pk:
        raise Http404


@entrant_required
def profile(request):
    instance = _profile(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(request.user)
        if form.consent_recorded:
            notices.tell_guardian(saved)
        messages.success(request, _("Perfil guardado."))
        if _safe_next(request):
            return HttpResponseRedirect(request.GET["next"])
        return redirect("contests:my_entries")
    return render(request, "contests/profile.html", {
        "form": form, "is_new": instance is None,
        "wizard": wizard("profile") if instance is None or _safe_next(request) else None})


def _safe_next(request) -> bool:
    return local_path(request.GET.get("next")) is not None


@entrant_required
def my_entries(request):
    entries = (Entry.objects.visible_to(request.user).select_related("call", "category")
               .order_by("-created_at"))
    return render(request, "contests/my_entries.html", {
        "entries": entries, "profile": _profile(request.user)})


@newcomers_sign_up
def start(request, call_id: int):
    call = get_object_or_404(ContestCallPage.objects.live(), pk=call_id)
    profile = _profile(request.user)
    if profile is None:
        messages.info(request, _("Antes de inscribir una obra, complete su perfil de participante."))
        return redirect(f"{reverse('contests:profile')}?next={request.path}")
    categories = list(call.categories.all())
    eligibility = {c.pk: domain.eligibility_problems(profile, c) for c in categories}
    form = StartEntryForm(request.POST or None, categories=categories,
                          initial={"client_token": uuid.uuid4().hex})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            category = next(c for c in categories if c.pk == form.cleaned_data["category"])
            try:
                entry, _created = domain.create_draft(
                    request.user, category, title=form.cleaned_data["title"],
                    client_token=form.cleaned_data["client_token"])
            except ContestError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                return redirect(entry.get_absolute_url())
        else:
            status = 400
    return render(request, "contests/start.html", {
        "call": call, "form": form, "options": [(c, eligibility[c.pk]) for c in categories],
        "open": call.is_open(user=request.user), "deadline": call.deadline_for(request.user),
        "wizard": wizard("category"),
    }, status=status)


def _entry_context(request, entry: Entry, form=None, coauthor_form=None) -> dict:
    rules = rules_for(entry.category)
    files = {f.slot: f for f in entry.files.all()}
    return {
        "entry": entry, "call": entry.call, "category": entry.category, "rules": rules,
        "slots": [(slot, files.get(slot.name)) for slot in rules.slots],
        "form": form or EntryDetailsForm(instance=entry, rules=rules, themes=entry.call.theme_list),
        "coauthor_form": coauthor_form or CoAuthorForm(),
        "coauthors": list(entry.coauthors.all()),
        "missing": missing_parts(entry, rules),
        "editable": entry.editable_by_entrant(),
        "is_owner": entry.owner_id == request.user.pk,
        "deadline": entry.call.deadline_for(entry.owner),
        "max_bytes": entry.category.max_file_mb * 1024 * 1024,
        "wizard": wizard("work"),
    }


@keeps_what_was_typed
@entrant_required
def entry(request, public_id):
    entry = _own_entry(request, public_id)
    if request.method == "POST":
        _owner_only(request, entry)
        form = EntryDetailsForm(request.POST, instance=entry, rules=rules_for(entry.category),
                                themes=entry.call.theme_list)
        try:
            domain.ensure_editable(entry)
        except ContestError as exc:
            messages.error(request, exc.message)
            return redirect(entry.get_absolute_url())
        if form.is_valid() and entry.is_submitted and missing_parts(form.instance):
            form.add_error(None, _("Su participación ya fue enviada: no puede quedar sin %(parts)s.")
                           % {"parts": "; ".join(missing_parts(form.instance))})
        if form.is_valid():
            form.save()
            domain.mark_changed(entry)
            messages.success(request, _("Cambios guardados como borrador.") if not entry.folio else
                             _("Cambios guardados. Confírmelos con «Enviar versión actualizada» para "
                               "recibir un acuse actualizado."))
            return redirect(entry.get_absolute_url())
        return render(request, "contests/entry.html", _entry_context(request, entry, form=form),
                      status=400)
    if entry.owner_id == request.user.pk:
        return render(request, "contests/entry.html",
                      _entry_context(request, entry, form=_take_typed(request, entry)))
    return render(request, "contests/entry.html", _entry_context(request, entry))


@csrf_exempt
def upload(request, public_id, slot: str):
    """Receive one file. The handler is swapped in before the body is read (hence the CSRF
    check inside), so the file streams to disk and is hashed on the way."""
    if request.method != "POST":
        return HttpResponseBadRequest()
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"error": _("Su sesión terminó: inicie sesión de nuevo.")}, status=403)
        return redirect_to_login(request.get_full_path(), reverse(LOGIN))
    if not request.user.has_perm("contests.act_as_entrant"):
        return unverified(request)
    started_at = timezone.now()
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    request.upload_handlers = [HashingTemporaryFileUploadHandler(
        request, max_bytes=entry.category.max_file_mb * 1024 * 1024)]
    try:
        return _upload(request, entry=entry, slot=slot, started_at=started_at)
    finally:
        # A body cut short can leave the handler's temporary file outside request.FILES,
        # where only the garbage collector would find it; remove it now.
        for handler in request.upload_handlers:
            handler.discard()


@csrf_protect
def _upload(request, *, entry, slot, started_at):
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise ContestError(_("No se recibió ningún archivo. Elija uno e intente de nuevo."))
        stored = domain.store_file(entry, slot, uploaded, started_at=started_at)
    except ContestError as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect(entry.get_absolute_url())
    finally:
        for f in request.FILES.values():
            f.close()
    if _wants_json(request):
        return JsonResponse({"name": stored.original_name, "size": stored.size,
                             "sha256": stored.sha256, "duration": stored.duration,
                             "pages": stored.pages})
    messages.success(request, _("Archivo recibido: %(name)s") % {"name": stored.original_name})
    return redirect(entry.get_absolute_url())


@entrant_required
@require_POST
def remove_file(request, public_id, slot: str):
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    try:
        domain.remove_file(entry, slot)
    except ContestError as exc:
        messages.error(request, exc.message)
    return redirect(entry.get_absolute_url())


@entrant_required
@require_http_methods(["GET", "POST"])
def invite(request, public_id):
    from contests.domain.teams import invite as invite_coauthor

    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    if request.method == "GET":
        # Its errors are answered at this address, which the language switch or a reload
        # from the address bar opens again: the form is on the entry's page.
        return redirect(entry.get_absolute_url())
    form = CoAuthorForm(request.POST)
    if form.is_valid():
        try:
            invite_coauthor(entry, form.cleaned_data["name"], form.cleaned_data["email"])
        except ContestError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitación enviada a %(email)s.") % form.cleaned_data)
        return redirect(entry.get_absolute_url())
    return render(request, "contests/entry.html",
                  _entry_context(request, entry, coauthor_form=form), status=400)


@entrant_required
@require_POST
def remove_coauthor(request, public_id, pk: int):
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    try:
        domain.ensure_editable(entry)
    except ContestError as exc:
        messages.error(request, exc.message)
    else:
        CoAuthor.objects.filter(entry=entry, pk=pk).delete()
        domain.mark_changed(entry)
    return redirect(entry.get_absolute_url())


@entrant_required
def accept_invitation(request, token):
    from contests.domain.teams import accept

    coauthor = get_object_or_404(CoAuthor.objects.select_related("entry__call", "entry__owner"), token=token)
    if request.method == "POST":
        try:
            accept(coauthor, request.user)
        except ContestError as exc:
            messages.error(request, exc.message)
            return render(request, "contests/accept_invitation.html", {"coauthor": coauthor}, status=400)
        messages.success(request, _("Ahora es coautor(a) de «%(title)s».") % {"title": coauthor.entry.title})
        return redirect(coauthor.entry.get_absolute_url())
    return render(request, "contests/accept_invitation.html", {"coauthor": coauthor})


@keeps_what_was_typed
@entrant_required
@require_POST
def submit(request, public_id):
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    if "title" in request.POST and not _wants_json(request):
        # «Enviar participación» sends the work's details as typed: they are saved first (or,
        # when they are wrong, shown again with their errors, and nothing is sent).
        form = EntryDetailsForm(request.POST, instance=entry, rules=rules_for(entry.category),
                                themes=entry.call.theme_list)
        if form.is_valid() and entry.is_submitted and missing_parts(form.instance):
            form.add_error(None, _("Su participación ya fue enviada: no puede quedar sin %(parts)s.")
                           % {"parts": "; ".join(missing_parts(form.instance))})
        if not form.is_valid():
            return render(request, "contests/entry.html", _entry_context(request, entry, form=form),
                          status=400)
        if form.has_changed():
            try:
                domain.ensure_editable(entry)
            except ContestError as exc:
                messages.error(request, exc.message)
                return redirect(entry.get_absolute_url())
            form.save()
            domain.mark_changed(entry)
    try:
        entry, issued = domain.submit(entry, actor=request.user)
    except ContestError as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect(entry.get_absolute_url())
    if _wants_json(request):
        return JsonResponse(receipt_data(entry), status=201 if issued else 200)
    if issued:
        messages.success(request, _("¡Listo! Su participación fue recibida. En unos momentos le "
                                    "enviaremos este acuse por correo."))
    return redirect("contests:receipt", public_id=entry.public_id)


def receipt_data(entry: Entry) -> dict:
    return {"folio": entry.folio, "submitted_at": timezone.localtime(entry.submitted_at).isoformat(),
            "files": [{"slot": f.slot, "name": f.original_name, "size": f.size, "sha256": f.sha256}
                      for f in entry.files.all()]}


@entrant_required
def receipt(request, public_id):
    entry = _own_entry(request, public_id)
    if not entry.folio:
        raise Http404
    return render(request, "contests/receipt.html", {"entry": entry, "files": list(entry.files.all()),
                                                     "coauthors": list(entry.coauthors.all()),
                                                     "wizard": wizard("receipt")})


@entrant_required
@require_POST
def resend_receipt(request, public_id):
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    if not entry.folio:
        raise Http404
    try:
        domain.resend_receipt(entry, actor=request.user)
    except ContestError as exc:
        messages.error(request, exc.message)
        return redirect("contests:receipt", public_id=entry.public_id)
    messages.success(request, _("En unos momentos le enviaremos de nuevo el acuse a %(email)s.")
                     % {"email": entry.owner.email})
    return redirect("contests:receipt", public_id=entry.public_id)


@entrant_required
@require_POST
def withdraw(request, public_id):
    entry = _own_entry(request, public_id)
    _owner_only(request, entry)
    try:
        domain.withdraw(entry, actor=request.user)
    except ContestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("La participación fue retirada."))
    return redirect("contests:my_entries")

