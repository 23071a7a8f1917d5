from django.urls import path

from .views import cycles, reports, synthesis

app_name = "monitoring"

urlpatterns = [
    path("reporting/", cycles.cycle_list, name="cycle-list"),
    path("reporting/roles/", cycles.roles, name="roles"),
    path("reporting/reviews/", cycles.reviews, name="review-queue"),
    path("reporting/countries/<str:country>/team/", cycles.team, name="team"),
    path(
        "reporting/countries/<str:country>/team/<int:role_pk>/remove/",
        cycles.team_remove,
        name="team-remove",
    ),
    path("reporting/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path("reporting/<slug:slug>/start/", cycles.report_start, name="report-start"),
    path("reporting/<slug:slug>/synthesis/", synthesis.synthesis_page, name="synthesis"),
    path(
        "reporting/<slug:slug>/synthesis/charts/<slug:chart>.svg",
        synthesis.synthesis_chart,
        name="synthesis-chart",
    ),
    path(
        "reporting/<slug:slug>/synthesis/reports.csv", synthesis.synthesis_csv, name="synthesis-csv"
    ),
    path(
        "reporting/<slug:slug>/synthesis/figures.json",
        synthesis.synthesis_json,
        name="synthesis-json",
    ),
    path(
        "reporting/<slug:slug>/synthesis/pdf/<str:language>/",
        synthesis.synthesis_pdf,
        name="synthesis-pdf",
    ),
    path("reporting/<slug:slug>/synthesis/edit/", synthesis.synthesis_edit, name="synthesis-edit"),
    path(
        "reporting/<slug:slug>/synthesis/answers/",
        synthesis.synthesis_answers,
        name="synthesis-answers",
    ),
    path("reporting/<slug:slug>/synthesis/excerpts/", synthesis.excerpt_add, name="excerpt-add"),
    path(
        "reporting/<slug:slug>/synthesis/excerpts/<int:excerpt_pk>/remove/",
        synthesis.excerpt_remove,
        name="excerpt-remove",
    ),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/answers/<int:question_pk>/", reports.answer_save, name="answer-save"),
    path("reports/<int:pk>/options/", reports.report_options, name="report-options"),
    path(
        "reports/<int:pk>/evidence/<int:evidence_pk>/download/",
        reports.evidence_download,
        name="evidence-download",
    ),
    path("reports/<int:pk>/comments/", reports.comment_add, name="comment-add"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report-submit"),
    path("reports/<int:pk>/versions/<int:number>/", reports.version_detail, name="version-detail"),
    path(
        "reports/<int:pk>/versions/<int:number>/review/",
        reports.version_review,
        name="version-review",
    ),
]
