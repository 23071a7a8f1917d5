from django.urls import path

from .views import moderation, records, search, sources

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", search.search_page, name="search"),
    path("catalogue/export.csv", search.export_csv, name="export"),
    path("records/add/", records.record_add, name="record-add"),
    path("records/import/", records.record_import, name="record-import"),
    path("records/import/template.csv", records.import_template, name="import-template"),
    path("records/mine/", records.my_records, name="my-records"),
    path("records/submissions/<int:pk>/", records.submission_detail, name="submission-detail"),
    path("records/moderation/", moderation.moderation_queue, name="moderation-queue"),
    path("records/moderation/<int:pk>/", moderation.moderation_record, name="moderation-record"),
    path(
        "records/moderation/imports/<str:batch>/",
        moderation.moderation_batch,
        name="moderation-batch",
    ),
    path("records/copies/<int:pk>/edit/", records.record_edit, name="record-edit"),
    path("records/copies/<int:pk>/withdraw/", records.record_withdraw, name="record-withdraw"),
    path("records/<uuid:hub_id>/", records.record_detail, name="record-detail"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/register/", sources.source_register, name="source-register"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("sources/<slug:slug>/edit/", sources.source_edit, name="source-edit"),
    path("sources/<slug:slug>/withdraw/", sources.source_withdraw, name="source-withdraw"),
    path("sources/<slug:slug>/decide/", moderation.moderation_source, name="moderation-source"),
]
