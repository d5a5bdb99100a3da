from django.http import HttpResponse
from django.urls import include, path

from lvze import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("accounts/", include("lvze.accounts.urls")),
    path("audit/", include("lvze.audit.urls")),
    path("items/", include("lvze.duties.urls")),
    path("plans/", include("lvze.duties.plan_urls")),
    path("duties/", include("lvze.duties.duty_urls")),
    path("meetings/", include("lvze.records.urls")),
    path("reminders/", include("lvze.reminders.urls")),
    path("inspections/", include("lvze.inspections.urls")),
    path("rectifications/", include("lvze.inspections.rect_urls")),
    path("", include("lvze.orgs.urls")),
]
