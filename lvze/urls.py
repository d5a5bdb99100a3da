from functools import partial

from django.http import HttpResponse
from django.urls import include, path
from ninja.openapi.views import openapi_view

from lvze import views
from lvze.api import views as api_views
from lvze.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", partial(openapi_view, api=api), name="api-docs"),
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("accounts/tokens/", api_views.token_list, name="api-tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", api_views.token_revoke, name="api-token-revoke"),
    path("accounts/", include("lvze.accounts.urls")),
    path("audit/", include("lvze.audit.urls")),
    path("items/", include("lvze.duties.urls")),
    path("plans/", include("lvze.duties.plan_urls")),
    path("duties/", include("lvze.duties.duty_urls")),
    path("records/", include("lvze.records.urls")),
    path("reminders/", include("lvze.reminders.urls")),
    path("documents/", include("lvze.documents.urls")),
    path("reports/", include("lvze.reports.urls")),
    path("inspections/", include("lvze.inspections.urls")),
    path("rectifications/", include("lvze.inspections.rect_urls")),
    path("upward/", include("lvze.upward.urls")),
    path("", include("lvze.orgs.urls")),
]
