"""The complex's pages: timetables, day plans and the North's consent, the gate, flags, the
headcount."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
