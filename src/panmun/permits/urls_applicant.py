"""The applicants' pages: applications, their approvals and the applicant's profile."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
