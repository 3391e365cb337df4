from django.urls import path

from . import views

app_name = "liaison"

urlpatterns = [
    path("", views.threads_page, name="threads"),
    path("new/", views.compose_page, name="compose"),
    path("calls/", views.calls_page, name="calls"),
    path("calls/<int:pk>/answer/", views.call_answer, name="call-answer"),
    path("logs/", views.logs_page, name="logs"),
    path("logs/<str:side>/bundle.zip", views.log_bundle, name="bundle"),
    path("<str:side>/<int:index>/", views.thread_page, name="thread"),
    path("<str:side>/<int:index>/pdf", views.thread_pdf, name="thread-pdf"),
    path("<str:side>/<int:index>/leaf.json", views.leaf, name="leaf"),
    path("<str:side>/<int:index>/answer/", views.answer, name="answer"),
    path("<str:side>/<int:index>/meeting/", views.meeting_record, name="meeting"),
]
