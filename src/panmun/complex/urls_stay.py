"""The complex's pages: stay registrations and their fees, communications lines, calls and monthly
bills."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
