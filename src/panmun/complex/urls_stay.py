"""The complex's pages: stay registrations and their fees, communications lines, calls and monthly
bills."""

from django.urls import URLPattern, path

from .views import stay

urlpatterns: list[URLPattern] = [
    path("stays/", stay.stays, name="stays"),
    path("stays/arrive/", stay.stay_arrive, name="stay-arrive"),
    path("stays/<int:pk>/", stay.stay_page, name="stay"),
    path("stays/<int:pk>/register/", stay.stay_register, name="stay-register"),
    path("stays/<int:pk>/fee/", stay.stay_fee, name="stay-fee"),
    path("stays/<int:pk>/depart/", stay.stay_depart, name="stay-depart"),
    path("phones/", stay.phones, name="phone-lines"),
    path("phones/install/", stay.phone_line_install, name="phone-line-install"),
    path("phones/<int:pk>/remove/", stay.phone_line_remove, name="phone-line-remove"),
    path("phones/calls/", stay.phone_calls_import, name="phone-calls-import"),
    path("phones/bills/", stay.phone_bill_compute, name="phone-bill-compute"),
]
