"""The permits pages: the applicants' (`urls_applicant`), a visit certificate's PDF, and the
ministry's review (`urls_review`, under review/). The public check of certificates is
`urls_public`, at /verify/."""

from django.urls import include, path

from . import certificate_views
from .urls_applicant import urlpatterns as applicant_urls
from .urls_review import urlpatterns as review_urls

app_name = "permits"

urlpatterns = [
    *applicant_urls,
    path(
        "certificates/<str:number>.pdf",
        certificate_views.certificate_download,
        name="certificate-pdf",
    ),
    path("review/", include(review_urls)),
]
