from django.urls import path

from lvze.inspections import evaluation_views, finding_views, views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_create, name="inspection-create"),
    path("<int:inspection_id>/", views.inspection_detail, name="inspection-detail"),
    path("<int:inspection_id>/texts/", views.inspection_texts, name="inspection-texts"),
    path("<int:inspection_id>/bulletin.docx", views.inspection_bulletin, name="inspection-bulletin"),
    path("<int:inspection_id>/targets/<int:target_id>/", views.target_detail, name="target-detail"),
    path("<int:inspection_id>/targets/<int:target_id>/self-check/", views.target_self_check, name="target-self-check"),
    path("<int:inspection_id>/targets/<int:target_id>/findings/", views.target_finding, name="target-finding"),
    path("<int:inspection_id>/<str:action>/", views.inspection_action, name="inspection-action"),
    path("scores/<int:score_id>/", views.score_save, name="score-save"),
    path("scores/<int:score_id>/evidence/", views.score_evidence, name="score-evidence"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence-download"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_create, name="template-create"),
    path("templates/install/", views.template_install, name="template-install"),
    path("templates/<int:template_id>/", views.template_detail, name="template-detail"),
    path("templates/<int:template_id>/items/", views.template_item_add, name="template-item-add"),
    path("templates/items/<int:item_id>/delete/", views.template_item_remove, name="template-item-remove"),
    path("findings/", finding_views.finding_list, name="finding-list"),
    path("findings/new/", finding_views.finding_create, name="finding-create"),
    path("findings/<int:finding_id>/", finding_views.finding_detail, name="finding-detail"),
    path("findings/<int:finding_id>/edit/", finding_views.finding_edit, name="finding-edit"),
    path("findings/<int:finding_id>/rectify/", finding_views.finding_rectify, name="finding-rectify"),
    path("evaluations/", evaluation_views.evaluation_list, name="evaluation-list"),
    path("evaluations/new/", evaluation_views.evaluation_create, name="evaluation-create"),
    path("evaluations/<int:evaluation_id>/", evaluation_views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:evaluation_id>/entries/", evaluation_views.evaluation_entry, name="evaluation-entry"),
    path("evaluations/entries/<int:entry_id>/rectify/", evaluation_views.evaluation_entry_rectify, name="evaluation-entry-rectify"),
    path("reports/", evaluation_views.report_list, name="report-list"),
    path("reports/new/", evaluation_views.report_create, name="report-create"),
    path("reports/<int:report_id>/", evaluation_views.report_detail, name="report-detail"),
    path("reports/<int:report_id>/check/", evaluation_views.report_check, name="report-check"),
]
