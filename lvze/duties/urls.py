from django.urls import path

from lvze.duties import views

app_name = "duties"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("bulk/", views.item_bulk, name="item-bulk"),
    path("<int:item_id>/", views.item_detail, name="item-detail"),
    path("<int:item_id>/evidence/", views.item_evidence, name="item-evidence"),
    path("<int:item_id>/<str:action>/", views.item_action, name="item-action"),
]
