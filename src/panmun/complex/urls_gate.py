"""The complex's pages: the gate, its events, the live headcount, the flags."""

from django.urls import URLPattern, path

from .views import gate

urlpatterns: list[URLPattern] = [
    path("gate/", gate.gate_page, name="gate"),
    path("gate/check/", gate.gate_check, name="gate-check"),
    path("gate/events/", gate.gate_events, name="gate-events"),
    path("gate/merge/", gate.gate_merge_page, name="gate-merge"),
    path("gate/headcount/", gate.gate_headcount, name="gate-headcount"),
    path("gate/headcount/board/", gate.gate_headcount_board, name="gate-headcount-board"),
    path("gate/flags/", gate.gate_flags, name="gate-flags"),
    path("gate/flags/raise/", gate.gate_flag_raise, name="gate-flag-raise"),
    path("gate/flags/<int:pk>/lift/", gate.gate_flag_lift, name="gate-flag-lift"),
]
