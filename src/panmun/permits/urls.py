"""The permits pages: the applicants' (`urls_applicant`) and the ministry's review
(`urls_review`, under review/)."""

from django.urls import include, path

from .urls_applicant import urlpatterns as applicant_urls
from .urls_review import urlpatterns as review_urls

app_name = "permits"

urlpatterns = [
    *applicant_urls,
    path("review/", include(review_urls)),
]
