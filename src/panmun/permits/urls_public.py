"""The public page that checks visit certificates, at /verify/ (no sign-in)."""

from django.urls import path

from . import verify_views

app_name = "verify"

urlpatterns = [path("", verify_views.verify_page, name="page")]
