"""The complex's pages: customs declarations, risk rules and lanes, quarantine inspections, the
epidemic mode."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
