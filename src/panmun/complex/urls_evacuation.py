"""The complex's pages: orders to leave, the evacuation board, the manifest, assets left behind."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
