"""Background work of the monitoring app: printing the synthesis to PDF."""

from django_tasks import task


@task()
def build_synthesis_document(document_id):
    from .services.synthesis import build_document

    document = build_document(document_id)
    return {"document": document.pk, "size": document.size}
