from django.urls import path

from lvze.upward import approval_views, views

app_name = "upward"
urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/<int:draft_id>/", views.draft_review, name="draft-review"),
    path("drafts/<int:draft_id>/review/", views.review_submit, name="review-submit"),
    path("reviews/<int:review_id>/document.docx", views.review_docx, name="review-docx"),
    path("reviews/<int:review_id>/submit/", views.submission_create, name="submission-create"),
    path("reviews/<int:review_id>/<str:outcome>/", views.review_decide, name="review-decide"),
    path("inbox/", views.inbox, name="inbox"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:submission_id>/document.docx", views.submission_docx, name="submission-docx"),
    path("submissions/<int:submission_id>/<str:outcome>/", views.submission_decide, name="submission-decide"),
    path("requirements/", views.requirement_list, name="requirement-list"),
    path("requirements/new/", views.requirement_create, name="requirement-create"),
    path("requirements/defaults/", views.requirement_defaults, name="requirement-defaults"),
    path("requirements/generate/", views.requirement_generate, name="requirement-generate"),
    path("requirements/<int:requirement_id>/toggle/", views.requirement_toggle, name="requirement-toggle"),
    path("overview/", views.overview, name="overview"),
    path("overview/<str:code>/<str:period>/items/<str:row>/", views.overview_items, name="overview-items"),
    path("overview/<str:code>/<str:period>/meetings/<str:row>/", views.overview_meetings, name="overview-meetings"),
    path("overview/<str:code>/<str:period>/activities/<str:row>/", views.overview_activities, name="overview-activities"),
    path(
        "overview/<str:code>/<str:period>/rectifications/<str:row>/",
        views.overview_rectifications,
        name="overview-rectifications",
    ),
    path("approvals/", approval_views.approval_list, name="approval-list"),
    path("approvals/chains/", approval_views.chain_list, name="chain-list"),
    path("approvals/chains/<str:code>/<str:chain_code>/", approval_views.chain_edit, name="chain-edit"),
    path("approvals/<int:request_id>/", approval_views.approval_detail, name="approval-detail"),
    path("approvals/<int:request_id>/resubmit/", approval_views.approval_resubmit, name="approval-resubmit"),
    path("approvals/<int:request_id>/<str:outcome>/", approval_views.approval_decide, name="approval-decide"),
    path("approvals/union/", approval_views.union_ledger_view, name="union-ledger"),
    path("approvals/union/new/", approval_views.union_entry_create, name="union-entry-create"),
    path("approvals/union/export.xlsx", approval_views.union_export, name="union-export"),
]
