"""The applicants' pages: applications, their approvals and the applicant's profile."""

from django.urls import URLPattern, path

from .views import applicant

urlpatterns: list[URLPattern] = [
    path("", applicant.applications_page, name="applications"),
    path("new/", applicant.application_new, name="application-new"),
    path("<int:pk>/", applicant.application_page, name="application"),
    path("<int:pk>/edit/", applicant.application_edit, name="application-edit"),
    path("<int:pk>/submit/", applicant.application_submit_view, name="application-submit"),
    path("<int:pk>/copy/", applicant.application_copy_view, name="application-copy"),
    path("approvals/<int:pk>/withdraw/", applicant.approval_withdraw, name="approval-withdraw"),
    path("approvals/<int:pk>/resubmit/", applicant.approval_resubmit, name="approval-resubmit"),
]
