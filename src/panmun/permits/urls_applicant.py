"""The applicants' pages: applications, their approvals and the applicant's profile."""

from django.urls import URLPattern, path

from .views.applicant import application, lines, profile

urlpatterns: list[URLPattern] = [
    path("", application.applications_page, name="applications"),
    path("new/", application.application_new, name="application-new"),
    path("<int:pk>/", application.application_page, name="application"),
    path("<int:pk>/edit/", application.application_edit, name="application-edit"),
    path("<int:pk>/submit/", application.application_submit_view, name="application-submit"),
    path("<int:pk>/copy/", application.application_copy_view, name="application-copy"),
    path("approvals/<int:pk>/withdraw/", application.approval_withdraw, name="approval-withdraw"),
    path("approvals/<int:pk>/resubmit/", application.approval_resubmit, name="approval-resubmit"),
    # what an application lists
    path("<int:pk>/travellers/", lines.traveller_add, name="traveller-add"),
    path(
        "<int:pk>/travellers/<int:traveller_pk>/remove/",
        lines.traveller_remove,
        name="traveller-remove",
    ),
    path("<int:pk>/travellers/upload/", lines.travellers_upload, name="travellers-upload"),
    path(
        "<int:pk>/travellers/from-profile/",
        lines.travellers_from_profile,
        name="travellers-from-profile",
    ),
    path("<int:pk>/vehicles/", lines.vehicle_add, name="vehicle-add"),
    path("<int:pk>/vehicles/<int:vehicle_pk>/remove/", lines.vehicle_remove, name="vehicle-remove"),
    path("approvals/<int:pk>/goods/", lines.goods_line_add, name="goods-line-add"),
    path(
        "approvals/<int:pk>/goods/<int:line_pk>/remove/",
        lines.goods_line_remove,
        name="goods-line-remove",
    ),
    # the applicant's profile
    path("profile/", profile.profile_page, name="profile"),
    path("profile/people/", profile.profile_person_add, name="profile-person-add"),
    path(
        "profile/people/<int:pk>/remove/",
        profile.profile_person_remove,
        name="profile-person-remove",
    ),
    path("profile/vehicles/", profile.profile_vehicle_add, name="profile-vehicle-add"),
    path(
        "profile/vehicles/<int:pk>/remove/",
        profile.profile_vehicle_remove,
        name="profile-vehicle-remove",
    ),
    path("profile/goods/", profile.profile_goods_add, name="profile-goods-add"),
    path(
        "profile/goods/<int:pk>/remove/",
        profile.profile_goods_remove,
        name="profile-goods-remove",
    ),
]
