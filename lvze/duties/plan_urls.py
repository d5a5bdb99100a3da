from django.urls import path

from lvze.duties import plan_views

app_name = "plans"
urlpatterns = [
    path("", plan_views.plan_list, name="plan-list"),
    path("import/", plan_views.plan_import, name="plan-import"),
    path("<int:plan_id>/", plan_views.plan_detail, name="plan-detail"),
    path("<int:plan_id>/export.xlsx", plan_views.plan_export, name="plan-export"),
]
