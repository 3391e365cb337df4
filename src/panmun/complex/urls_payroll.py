"""The complex's pages: payroll."""

from django.urls import URLPattern, URLResolver, path

from .views import payroll

urlpatterns: list[URLPattern | URLResolver] = [
    path("remittances/", payroll.remittances, name="remittances"),
]
