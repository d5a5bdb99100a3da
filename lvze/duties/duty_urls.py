from django.urls import path

from lvze.duties import duty_views

app_name = "dutylists"
urlpatterns = [
    path("", duty_views.dutylist_list, name="dutylist-list"),
    path("new/", duty_views.dutylist_create, name="dutylist-create"),
    path("<int:list_id>/", duty_views.dutylist_detail, name="dutylist-detail"),
    path("<int:list_id>/items/new/", duty_views.item_create, name="item-create"),
    path("<int:list_id>/generate/", duty_views.dutylist_generate, name="dutylist-generate"),
]
