from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("", views.timeline_page, name="timeline"),
    path("talks/new/", views.talks_new, name="talks-new"),
    path("talks/<int:pk>/", views.talks_detail, name="talks"),
    path("talks/<int:pk>/edit/", views.talks_edit, name="talks-edit"),
    path("agreements/new/", views.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/status/", views.agreement_status, name="agreement-status"),
    path("events/<int:pk>/", views.event_detail, name="event"),
]
