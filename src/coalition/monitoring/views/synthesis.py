"""The synthesis report: its public page with charts and tables, exports (CSV, JSON, PDF),
and the secretariat's editing (introduction, good-practice excerpts, publication)."""

import csv
import gzip
import io
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coalition.core.pdf import pdf_response
from coalition.recommendation.content import content_in

from ..forms import AnswerSearchForm, IntroductionForm
from ..models import (
    Answer,
    Excerpt,
    Question,
    QuestionKind,
    Report,
    ReportingCycle,
    SynthesisDocument,
)
from ..selectors.synthesis import excerpts_by_area, free_text_answers, synthesis_figures
from ..services import synthesis as services


def _synthesis(request, slug, perm="monitoring.view_synthesis"):
    cycle = get_object_or_404(ReportingCycle.objects.select_related("questionnaire"), slug=slug)
    synthesis = (
        services.synthesis_for(cycle)
        if request.user.has_perm("monitoring.manage")
        else (getattr(cycle, "synthesis", None))
    )
    if synthesis is None:
        raise Http404
    if not request.user.has_perm(perm, synthesis):
        if perm == "monitoring.view_synthesis":
            raise Http404
        raise PermissionDenied
    return cycle, synthesis


def synthesis_page(request, slug):
    from ..charts import synthesis_charts

    cycle, synthesis = _synthesis(request, slug)
    figures = synthesis_figures(cycle)
    charts = synthesis_charts(cycle.slug, figures)
    documents = {d.language: d for d in SynthesisDocument.objects.filter(synthesis=synthesis)}
    current = {
        language: services.current_document(synthesis, language, figures) is not None
        for language in documents
    }
    by_region = {}
    for country in figures.countries:
        by_region.setdefault(country.region, []).append(country)
    return render(
        request,
        "monitoring/synthesis.html",
        {
            "cycle": cycle,
            "synthesis": synthesis,
            "introduction": content_in(synthesis, "introduction"),
            "figures": figures,
            "charts": charts,
            "question_charts": [(q, charts[f"q{q.question.number}"]) for q in figures.questions],
            "countries_by_region": [
                (row, by_region.get(row.region, [])) for row in figures.by_region
            ],
            "excerpt_groups": excerpts_by_area(synthesis),
            "documents": documents,
            "current_documents": current,
            "pdf_languages": services.PDF_LANGUAGES,
            "manage": request.user.has_perm("monitoring.edit_synthesis", synthesis),
        },
    )


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@require_safe
def synthesis_chart(request, slug, chart):
    from ..charts import synthesis_charts

    cycle = _synthesis(request, slug)[0]
    image = synthesis_charts(cycle.slug, synthesis_figures(cycle)).get(chart)
    if image is None:
        raise Http404(chart)
    etag = f'W/"{image.digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        body = image.gzipped_svg()
        if _ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
            response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(
                gzip.decompress(body), content_type="image/svg+xml; charset=utf-8"
            )
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    max_age = 24 * 3600 if request.GET.get("v") == image.digest else 300
    patch_cache_control(response, max_age=max_age, private=True)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _exported_reports(request, cycle):
    """Accepted reports: all for the secretariat, the published ones for everyone else."""
    reports = Report.objects.filter(cycle=cycle, status=Report.Status.ACCEPTED)
    if not request.user.has_perm("monitoring.manage"):
        reports = reports.filter(is_public=True)
    return reports


CSV_COLUMNS = (
    "cycle",
    "country_code",
    "country",
    "region",
    "question_number",
    "question_key",
    "question",
    "answer",
    "text",
    "answer_language",
)


def export_rows(cycle, reports, language):
    """One row per country and question, in question order (one query for the answers)."""
    from django_countries import countries

    questions = list(
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        .exclude(kind__in=[QuestionKind.EVIDENCE])
        .order_by("number")
    )
    texts = {q.pk: str(content_in(q, "text", language)) for q in questions}
    answers = {}
    for report_id, question_id, choice, text, answer_language in Answer.objects.filter(
        report__in=reports
    ).values_list("report_id", "question_id", "choice", "text", "language"):
        answers[(report_id, question_id)] = (choice, text, answer_language)
    for report in reports.order_by("country"):
        name = countries.name(report.country.code)
        for question in questions:
            if question.kind == QuestionKind.COUNTRY:
                choice, text, answer_language = "", name, ""
            else:
                choice, text, answer_language = answers.get((report.pk, question.pk), ("", "", ""))
            yield (
                cycle.slug,
                report.country.code,
                name,
                report.region,
                question.number,
                question.key,
                texts[question.pk],
                choice,
                text,
                answer_language,
            )


def synthesis_csv(request, slug):
    cycle = _synthesis(request, slug)[0]
    buffer = io.StringIO()
    buffer.write("\ufeff")  # UTF-8 with BOM, so that spreadsheet software reads it as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(export_rows(cycle, _exported_reports(request, cycle), get_language()))
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="reports-{cycle.slug}.csv"'
    return response


def synthesis_json(request, slug):
    cycle = _synthesis(request, slug)[0]
    figures = synthesis_figures(cycle)

    def breakdown(row):
        return {
            "scope": row.key,
            "countries": row.total,
            "withheld": row.withheld,
            "shares": None
            if row.withheld
            else {s.choice: {"count": s.count, "percent": s.percent} for s in row.shares},
        }

    data = {
        "cycle": {
            "slug": cycle.slug,
            "title": str(content_in(cycle, "title")),
            "period_start": cycle.period_start.isoformat(),
            "period_end": cycle.period_end.isoformat(),
        },
        "reporting_countries": [
            {"code": c.code, "name": c.name, "region": c.region} for c in figures.countries
        ],
        "by_region": {row.region: row.count for row in figures.by_region},
        "questions": [
            {
                "number": q.question.number,
                "key": q.question.key,
                "text": str(q.text),
                "overall": breakdown(q.overall),
                "regions": [breakdown(row) for row in q.regions],
            }
            for q in figures.questions
        ],
        "min_countries": figures.min_countries,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def synthesis_pdf(request, slug, language):
    """The kept PDF of `language`, or its progress while it is being built (the page
    refreshes itself without script), or a button to build it."""
    cycle, synthesis = _synthesis(request, slug)
    if language not in services.PDF_LANGUAGES:
        raise Http404
    figures = synthesis_figures(cycle)
    document = services.current_document(synthesis, language, figures)
    if document is not None and request.GET.get("download"):
        return pdf_response(
            document.file.read(), f"synthesis-{cycle.slug}-{language}.pdf", inline=False
        )
    if request.method == "POST":
        services.request_document(synthesis, language)
        return redirect(
            reverse("monitoring:synthesis-pdf", kwargs={"slug": slug, "language": language})
        )
    pending = SynthesisDocument.objects.filter(synthesis=synthesis, language=language).first()
    return render(
        request,
        "monitoring/synthesis_pdf_status.html",
        {
            "cycle": cycle,
            "synthesis": synthesis,
            "language": language,
            "document": document,
            "pending": pending,
        },
    )


@login_required
def synthesis_edit(request, slug):
    cycle, synthesis = _synthesis(request, slug, "monitoring.edit_synthesis")
    form = IntroductionForm(request.POST or None, synthesis=synthesis)
    if request.method == "POST" and form.is_valid():
        services.set_introduction(synthesis, form.cleaned_data)
        if "publish" in request.POST:
            services.publish_synthesis(synthesis, publish=request.POST["publish"] == "1")
        messages.success(request, _("The synthesis is saved."))
        return redirect(reverse("monitoring:synthesis-edit", kwargs={"slug": slug}))
    return render(
        request,
        "monitoring/synthesis_edit.html",
        {"cycle": cycle, "synthesis": synthesis, "form": form},
    )


@login_required
def synthesis_answers(request, slug):
    """Free-text answers, searchable, to pick good-practice excerpts from."""
    cycle, synthesis = _synthesis(request, slug, "monitoring.edit_synthesis")
    questions = list(
        Question.objects.filter(
            questionnaire_id=cycle.questionnaire_id,
            kind__in=[QuestionKind.TEXT, QuestionKind.DETAILS],
        ).order_by("number")
    )
    form = AnswerSearchForm(request.GET or None, questions=questions)
    answers = free_text_answers(cycle)
    if form.is_valid():
        chosen = next((q for q in questions if q.pk == form.cleaned_data["question"]), None)
        answers = free_text_answers(cycle, question=chosen, text=form.cleaned_data["q"])
    page = Paginator(answers, 30).get_page(request.GET.get("page"))
    picked = set(synthesis.excerpts.values_list("report_id", "question_id"))
    return render(
        request,
        "monitoring/synthesis_answers.html",
        {"cycle": cycle, "synthesis": synthesis, "form": form, "page": page, "picked": picked},
    )


@login_required
@require_POST
def excerpt_add(request, slug):
    synthesis = _synthesis(request, slug, "monitoring.edit_synthesis")[1]
    answer_id = request.POST.get("answer", "")
    answer = services.excerpt_answer(synthesis, int(answer_id)) if answer_id.isdigit() else None
    if answer is None:
        raise Http404
    try:
        services.pick_excerpt(synthesis, answer, by=request.user, text=request.POST.get("text", ""))
        messages.success(request, _("The excerpt is added to the synthesis."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if _safe_next(request):
        return redirect(request.POST["next"])
    return redirect(reverse("monitoring:synthesis-answers", kwargs={"slug": slug}))


@login_required
@require_POST
def excerpt_remove(request, slug, excerpt_pk):
    synthesis = _synthesis(request, slug, "monitoring.edit_synthesis")[1]
    excerpt = get_object_or_404(Excerpt, pk=excerpt_pk, synthesis=synthesis)
    services.remove_excerpt(excerpt)
    messages.success(request, _("The excerpt is removed."))
    return redirect(synthesis.get_absolute_url() + "#good-practice")


def _safe_next(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    )
