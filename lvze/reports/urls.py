from django.urls import path

from lvze.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.export_page, name="export-page"),
    path("exports/items.xlsx", views.export_items, name="export-items"),
    path("exports/meetings.xlsx", views.export_meetings, name="export-meetings"),
    path("exports/talks.xlsx", views.export_talks, name="export-talks"),
    path("exports/activities.xlsx", views.export_activities, name="export-activities"),
    path("exports/honors.xlsx", views.export_honors, name="export-honors"),
    path("exports/rectifications.xlsx", views.export_rectifications, name="export-rectifications"),
]
