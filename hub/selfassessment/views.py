"""The public self-assessment: a form (GET), its result (POST) and the result as a PDF
(POST). Nothing is stored or logged: no row, no session, no cache entry, no log line with the
answers; the answers live only in the request and in the page sent back."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hub import sitecache
from hub.cache import allow, client_address
from hub.pagecache import no_page_cache
from publications.domain.files import FileJobError, render_pdf

from .forms import AssessmentForm
from .scoring import questionnaire, score

FORM = "hub/selfassessment/form.html"
RESULT = "hub/selfassessment/result.html"
PDF = "hub/selfassessment/result_pdf.html"
PDF_NAME = "autodiagnostico-gobierno-abierto.pdf"


def _answered(request):
    """The bound form and, when every answer is valid, the result."""
    components = questionnaire()
    form = AssessmentForm(components, request.POST)
    if components and form.is_valid():
        return form, score(components, form.cleaned_data)
    return form, None


def _context(form, result, message=""):
    return {"form": form, "result": result, "message": message,
            "answers": list(form.cleaned_data.items()) if result else []}


@never_cache
@no_page_cache
@require_http_methods(["GET", "HEAD", "POST"])
def self_assessment(request):
    if request.method != "POST":
        sitecache.pin()  # the questions are kept ({% kept %}): the version first, then the rows
        return render(request, FORM, _context(AssessmentForm(questionnaire()), None))
    form, result = _answered(request)
    if result is None:
        return render(request, FORM, _context(form, None), status=400)
    return render(request, RESULT, _context(form, result))


PDFS_PER_ADDRESS = 10  # every ten minutes: each one is a full WeasyPrint render


@never_cache
@no_page_cache
@require_POST
def self_assessment_pdf(request):
    """The same result as a PDF, made from the answers POSTed again by the result page."""
    form, result = _answered(request)
    if result is None:
        return render(request, FORM, _context(form, None), status=400)
    if not allow(f"assessment-pdf:{client_address(request)}", limit=PDFS_PER_ADDRESS,
                 per_seconds=600):
        message = _("Se pidieron demasiados PDF desde su conexión. Espere unos minutos o guarde "
                    "esta página como PDF con la opción Imprimir de su navegador.")
        return render(request, RESULT, _context(form, result, message), status=429)
    html = render_to_string(PDF, _context(form, result), request=request)
    try:
        data = render_pdf(html).data
    except FileJobError:
        message = _("No pudimos preparar el PDF en este momento. Puede guardar esta página "
                    "como PDF con la opción Imprimir de su navegador.")
        return render(request, RESULT, _context(form, result, message), status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{PDF_NAME}"'
    return response
