"""The aid pages on iati."""

from django.urls import URLPattern, URLResolver, path

from .views import iati

urlpatterns: list[URLPattern | URLResolver] = [
    path("iati/", iati.iati_page, name="iati"),
    path("iati/import/", iati.iati_import_view, name="iati-import"),
    path("iati/export/", iati.iati_export_view, name="iati-export"),
]
