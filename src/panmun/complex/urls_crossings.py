"""The complex's pages: timetables, day plans and the North's consent, the gate, flags, the
headcount."""

from django.urls import URLPattern, path

from .views import plans

urlpatterns: list[URLPattern] = [
    path("crossings/plans/", plans.dayplans, name="dayplans"),
    path("crossings/plans/build/", plans.dayplans_build, name="dayplans-build"),
    path("crossings/plans/print/", plans.dayplans_print, name="dayplans-print"),
    path("crossings/plans/<int:pk>/", plans.dayplan, name="dayplan"),
    path("crossings/plans/<int:pk>/send/", plans.dayplan_send, name="dayplan-send"),
    path("crossings/plans/<int:pk>/lines/", plans.planline_add, name="planline-add"),
    path(
        "crossings/plans/<int:pk>/lines/<int:line>/withdraw/",
        plans.planline_withdraw,
        name="planline-withdraw",
    ),
    path("crossings/north/", plans.dayplans_north, name="dayplans-north"),
    path("crossings/north/<int:pk>/answer/", plans.dayplan_answer, name="dayplan-answer"),
]
