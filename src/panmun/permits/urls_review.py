"""The ministry's pages: queues, review, decisions, policy, statistics; the other side's view."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
