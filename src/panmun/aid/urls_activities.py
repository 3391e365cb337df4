"""The aid pages on activities."""

from django.urls import URLPattern, URLResolver, path

from .views import activities

urlpatterns: list[URLPattern | URLResolver] = [
    path("", activities.activities_page, name="activities"),
    path("activities/new/", activities.activity_new, name="activity-new"),
    path("activities/<int:pk>/", activities.activity_page, name="activity"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity-edit"),
]
