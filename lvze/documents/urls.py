from django.urls import path

from lvze.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.draft_list, name="draft-list"),
    path("new/", views.draft_create, name="draft-create"),
    path("masking/<str:code>/", views.mask_settings, name="mask-settings"),
    path("<int:draft_id>/", views.draft_edit, name="draft-edit"),
    path("<int:draft_id>/save/", views.draft_save, name="draft-save"),
    path("<int:draft_id>/diff/", views.draft_diff, name="draft-diff"),
    path("<int:draft_id>/versions/<int:number>/restore/", views.version_restore, name="version-restore"),
    path("<int:draft_id>/export.docx", views.draft_docx, name="draft-docx"),
    path("<int:draft_id>/export.pdf", views.draft_pdf, name="draft-pdf"),
    path("<int:draft_id>/masked/", views.draft_masked, name="draft-masked"),
    path("<int:draft_id>/masked.docx", views.draft_masked_docx, name="draft-masked-docx"),
]
