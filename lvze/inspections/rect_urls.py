from django.urls import path

from lvze.inspections import rect_views

app_name = "rectifications"
urlpatterns = [
    path("", rect_views.rectification_list, name="rectification-list"),
    path("export.xlsx", rect_views.rectification_export, name="rectification-export"),
    path("new/", rect_views.rectification_create, name="rectification-create"),
    path("import/", rect_views.rectification_import, name="rectification-import"),
    path("problems/", rect_views.problem_take, name="problem-take"),
    path("<int:rect_id>/", rect_views.rectification_detail, name="rectification-detail"),
    path("<int:rect_id>/edit/", rect_views.rectification_edit, name="rectification-edit"),
    path("<int:rect_id>/<str:action>/", rect_views.rectification_action, name="rectification-action"),
]
