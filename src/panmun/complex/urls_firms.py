"""The complex's pages: firms."""

from django.urls import URLPattern, URLResolver, path

from .views import firms

urlpatterns: list[URLPattern | URLResolver] = [
    path("", firms.dashboard, name="dashboard"),
]
