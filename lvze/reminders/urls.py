from django.urls import path

from lvze.reminders import views

app_name = "reminders"
urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read/", views.notification_read, name="notification-read"),
    path("channels/", views.channel_list, name="channel-list"),
    path("policy/", views.policy_edit, name="policy"),
    path("channels/<int:channel_id>/<str:action>/", views.channel_action, name="channel-action"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("reverse/", views.reverse_reminders, name="reverse-list"),
    path("sends/", views.send_list, name="send-list"),
    path("sends/<int:send_id>/resend/", views.send_resend, name="send-resend"),
    path("notice/<str:code>/<str:month>/", views.notice, name="notice"),
]
