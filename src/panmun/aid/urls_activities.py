"""The aid pages on activities."""

from django.urls import URLPattern, URLResolver, path

from .views import activities

urlpatterns: list[URLPattern | URLResolver] = [
    path("", activities.activities_page, name="activities"),
]
