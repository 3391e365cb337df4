"""The complex's pages: customs declarations, risk rules and lanes, quarantine inspections, the
epidemic mode."""

from django.urls import URLPattern, path

from .views import customs

urlpatterns: list[URLPattern] = [
    path("customs/", customs.declarations, name="declarations"),
    path("customs/new/", customs.declaration_new, name="declaration-new"),
    path("customs/<int:pk>/", customs.declaration_page, name="declaration"),
    path("customs/<int:pk>/amend/", customs.declaration_amend, name="declaration-amend"),
    path("customs/<int:pk>/register/", customs.declaration_register, name="declaration-register"),
    path("customs/<int:pk>/assess/", customs.declaration_assess, name="declaration-assess"),
    path("customs/<int:pk>/release/", customs.declaration_release, name="declaration-release"),
    path("customs/<int:pk>/stop/", customs.declaration_stop, name="declaration-stop"),
    path("customs/<int:pk>/reroute/", customs.declaration_reroute, name="declaration-reroute"),
    path("customs/<int:pk>/inspect/", customs.declaration_inspect, name="declaration-inspect"),
    path("customs/rules/", customs.rules_page, name="customs-rules"),
    path("customs/rules/add/", customs.risk_rule_add, name="risk-rule-add"),
    path("customs/rules/<int:pk>/retire/", customs.risk_rule_retire, name="risk-rule-retire"),
    path("customs/standing/", customs.standing_set, name="customs-standing"),
    path(
        "customs/standing/<int:firm_pk>/",
        customs.standing_set_for,
        name="customs-standing-firm",
    ),
    path("customs/draws/", customs.draw_commit, name="customs-draw-commit"),
    path("customs/draws/<int:pk>/", customs.draw_page, name="customs-draw"),
    path("customs/draws/<int:pk>/reveal/", customs.draw_reveal, name="customs-draw-reveal"),
    path("quarantine/", customs.quarantine_page, name="quarantine"),
    path("quarantine/epidemic/", customs.epidemic_start, name="epidemic-start"),
    path("quarantine/epidemic/end/", customs.epidemic_end, name="epidemic-end"),
]
