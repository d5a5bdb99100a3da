from django.urls import path

from lvze.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.org_tree, name="org-tree"),
    path("orgs/new/", views.org_create, name="org-create"),
    path("orgs/<str:code>/", views.org_detail, name="org-detail"),
    path("orgs/<str:code>/edit/", views.org_edit, name="org-edit"),
    path("orgs/<str:code>/move/", views.org_move, name="org-move"),
    path("orgs/<str:code>/active/", views.org_set_active, name="org-set-active"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/import/", views.person_import, name="person-import"),
    path("people/quality/", views.quality, name="quality"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:person_id>/appointments/new/", views.appointment_create, name="appointment-create"),
]
