from django.urls import path

from . import certificate_views

app_name = "permits"

urlpatterns = [
    path(
        "certificates/<str:number>.pdf",
        certificate_views.certificate_download,
        name="certificate-pdf",
    ),
]
