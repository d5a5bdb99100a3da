from django.contrib.auth import views as auth_views
from django.urls import path

from lvze.accounts import views
from lvze.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:user_id>/", views.user_detail, name="user-detail"),
    path("users/<int:user_id>/password/", views.user_reset_password, name="user-reset-password"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:user_id>/active/", views.user_set_active, name="user-set-active"),
    path("users/<int:user_id>/grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant-revoke"),
]
