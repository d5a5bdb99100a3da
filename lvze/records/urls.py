from django.urls import path

from lvze.records import views

app_name = "records"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("roster/", views.meeting_roster, name="meeting-roster"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("<int:meeting_id>/fulfil/", views.meeting_pick_item, name="meeting-pick-item"),
]
