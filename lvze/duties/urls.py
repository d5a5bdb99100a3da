from django.urls import path

from lvze.duties import rule_views, views

app_name = "duties"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("bulk/", views.item_bulk, name="item-bulk"),
    path("counts/", views.item_counts, name="item-counts"),
    path("rules/", rule_views.rule_list, name="rule-list"),
    path("rules/<int:rule_id>/", rule_views.rule_edit, name="rule-edit"),
    path("coverage/", rule_views.coverage, name="coverage"),
    path("<int:item_id>/", views.item_detail, name="item-detail"),
    path("<int:item_id>/evidence/", views.item_evidence, name="item-evidence"),
    path("<int:item_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence-download"),
    path("<int:item_id>/<str:action>/", views.item_action, name="item-action"),
]
