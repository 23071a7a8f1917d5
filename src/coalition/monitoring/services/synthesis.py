"""The synthesis report: its introduction, good-practice excerpts, publication, and its
PDFs, built in the background and kept until the figures or texts change."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.core.pdf import html_to_pdf
from coalition.core.queue import enqueue_on_commit
from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import UN_LANGUAGES, is_rtl

from ..models import Answer, Excerpt, QuestionKind, Report, Synthesis, SynthesisDocument

PDF_LANGUAGES = ("en", "fr", "ar")
BUILD_PATIENCE = timedelta(minutes=15)


def synthesis_for(cycle):
    synthesis, _created = Synthesis.objects.get_or_create(cycle=cycle)
    return synthesis


@transaction.atomic
def set_introduction(synthesis, texts):
    """`texts`: {language: HTML}; each is sanitized on save (RichTextField)."""
    fields = []
    for language, text in texts.items():
        if language in UN_LANGUAGES:
            column = localized_column("introduction", language)
            setattr(synthesis, column, sanitize_html(text or ""))
            fields.append(column)
    synthesis.save()
    return synthesis


@transaction.atomic
def publish_synthesis(synthesis, *, publish=True):
    synthesis.published_at = timezone.now() if publish else None
    synthesis.save(update_fields=["published_at", "updated_at"])
    return synthesis


@transaction.atomic
def pick_excerpt(synthesis, answer, *, by, text=""):
    """A good-practice excerpt from a free-text answer of an accepted report."""
    if (
        answer.report.cycle_id != synthesis.cycle_id
        or answer.report.status != Report.Status.ACCEPTED
    ):
        raise ValidationError(_("Only answers of accepted reports of this cycle can be quoted."))
    if answer.question.kind not in (QuestionKind.TEXT, QuestionKind.DETAILS):
        raise ValidationError(_("Only free-text answers can be quoted."))
    text = (text or answer.text).strip()
    if not text:
        raise ValidationError(_("The excerpt is empty."))
    excerpt = Excerpt.objects.create(
        synthesis=synthesis,
        report=answer.report,
        question=answer.question,
        text=text[:4000],
        language=answer.language,
        picked_by=by,
    )
    Synthesis.objects.filter(pk=synthesis.pk).update(updated_at=timezone.now())
    return excerpt


@transaction.atomic
def remove_excerpt(excerpt):
    Synthesis.objects.filter(pk=excerpt.synthesis_id).update(updated_at=timezone.now())
    excerpt.delete()


def excerpt_answer(synthesis, answer_id):
    return (
        Answer.objects.select_related("report", "question")
        .filter(pk=answer_id, report__cycle_id=synthesis.cycle_id)
        .first()
    )


# PDFs


def content_digest(synthesis, figures):
    """What a PDF depends on: the figures, the introductions and the excerpts."""
    parts = [figures.digest()]
    parts += [
        getattr(synthesis, localized_column("introduction", lang)) or "" for lang in UN_LANGUAGES
    ]
    parts += [
        f"{pk}:{text}" for pk, text in synthesis.excerpts.order_by("pk").values_list("pk", "text")
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def current_document(synthesis, language, figures):
    """The kept PDF of `language` if it is up to date with the data, else None."""
    document = SynthesisDocument.objects.filter(synthesis=synthesis, language=language).first()
    if (
        document
        and document.status == SynthesisDocument.Status.READY
        and document.digest == content_digest(synthesis, figures)
    ):
        return document
    return None


@transaction.atomic
def request_document(synthesis, language):
    """Queue the PDF of `language` unless an up-to-date one is kept or one is being built."""
    from ..selectors.synthesis import synthesis_figures

    if language not in PDF_LANGUAGES:
        raise ValidationError(_("The synthesis is printed in English, French and Arabic."))
    document, _created = SynthesisDocument.objects.select_for_update().get_or_create(
        synthesis=synthesis, language=language
    )
    in_progress = (SynthesisDocument.Status.QUEUED, SynthesisDocument.Status.BUILDING)
    # A build asked for in the last quarter of an hour is still coming; an older one was
    # lost with its worker and is asked for again.
    recent = document.requested_at > timezone.now() - BUILD_PATIENCE
    if not _created and document.status in in_progress and recent:
        return document
    with translation.override(language):
        digest = content_digest(synthesis, synthesis_figures(synthesis.cycle))
    if document.status == SynthesisDocument.Status.READY and document.digest == digest:
        return document
    document.status = SynthesisDocument.Status.QUEUED
    document.progress = 0
    document.error = ""
    document.requested_at = timezone.now()
    document.save()
    enqueue_on_commit("coalition.monitoring.tasks.build_synthesis_document", document.pk)
    return document


def _progress(document, percent, status=SynthesisDocument.Status.BUILDING):
    SynthesisDocument.objects.filter(pk=document.pk).update(progress=percent, status=status)


def synthesis_pdf_html(synthesis, figures, charts):
    from ..selectors.synthesis import excerpts_by_area, withheld_text

    language = translation.get_language()
    return render_to_string(
        "monitoring/synthesis_pdf.html",
        {
            "synthesis": synthesis,
            "cycle": synthesis.cycle,
            "figures": figures,
            "charts": charts,
            "question_charts": [(q, charts[f"q{q.question.number}"]) for q in figures.questions],
            "introduction": content_in(synthesis, "introduction"),
            "excerpt_groups": excerpts_by_area(synthesis),
            "language": language,
            "direction": "rtl" if is_rtl(language) else "ltr",
            "withheld_text": withheld_text(),
        },
    )


def build_document(document_id):
    """Print one language's PDF, telling its progress; idempotent (a repeat rebuilds it)."""
    from ..charts import synthesis_charts
    from ..selectors.synthesis import synthesis_figures

    document = SynthesisDocument.objects.select_related("synthesis__cycle").get(pk=document_id)
    synthesis = document.synthesis
    try:
        with translation.override(document.language):
            _progress(document, 10)
            figures = synthesis_figures(synthesis.cycle)
            digest = content_digest(synthesis, figures)
            _progress(document, 30)
            # The world map (1 MB of SVG) is on the page; printing it would take most of
            # the build. The PDF lists the countries by region instead. Its charts are the
            # light print drawings (charts.print_svg), drawn as the template asks for them.
            charts = synthesis_charts(synthesis.cycle.slug, figures, with_map=False)
            _progress(document, 60)
            pdf = html_to_pdf(synthesis_pdf_html(synthesis, figures, charts))
            _progress(document, 90)
    except Exception as error:
        SynthesisDocument.objects.filter(pk=document.pk).update(
            status=SynthesisDocument.Status.FAILED, error=str(error)[:2000]
        )
        raise
    old = document.file.name if document.file else ""
    name = f"synthesis-{synthesis.cycle.slug}-{document.language}-{secrets.token_hex(6)}.pdf"
    document.file.save(name, ContentFile(pdf), save=False)
    document.status = SynthesisDocument.Status.READY
    document.progress = 100
    document.digest = digest
    document.size = len(pdf)
    document.built_at = timezone.now()
    document.error = ""
    document.save()
    if old and old != document.file.name:
        document.file.storage.delete(old)
    return document
