from django.urls import path

from .views import consultations, reports, results, surveys

app_name = "consultations"

report = "consultations/<slug:slug>/reports/<slug:group>/"

urlpatterns = [
    path("consultations/", consultations.consultation_list, name="consultation-list"),
    path(
        "consultations/<slug:slug>/",
        consultations.consultation_detail,
        name="consultation-detail",
    ),
    path(
        "consultations/<slug:slug>/comment/",
        consultations.comment_create,
        name="comment-create",
    ),
    path("consultations/<slug:slug>/comments/", consultations.comment_list, name="comment-list"),
    path(
        "consultations/<slug:slug>/comments/<int:pk>/tags/",
        consultations.comment_tags,
        name="comment-tags",
    ),
    path(report, reports.report_detail, name="report-detail"),
    path(report + "pdf/", reports.report_pdf, name="report-pdf"),
    path(report + "edit/", reports.report_edit, name="report-edit"),
    path(report + "quotes/", reports.quote_add, name="quote-add"),
    path(report + "quotes/<int:pk>/remove/", reports.quote_remove, name="quote-remove"),
    path(report + "share/", reports.report_share, name="report-share"),
    path(report + "publish/", reports.report_publish, name="report-publish"),
    path(report + "notes/", reports.note_add, name="note-add"),
    path("surveys/<slug:slug>/", surveys.survey_detail, name="survey-detail"),
    path("surveys/<slug:slug>/copy/", surveys.survey_copy, name="survey-copy"),
    path("surveys/<slug:slug>/results/", results.results, name="results"),
    path(
        "surveys/<slug:slug>/results/charts/<str:code>.svg",
        results.results_chart,
        name="results-chart",
    ),
    path("surveys/<slug:slug>/results/responses.csv", results.export_csv, name="export-csv"),
    path("surveys/<slug:slug>/results/responses.json", results.export_json, name="export-json"),
]
