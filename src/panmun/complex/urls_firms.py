"""The complex's pages: the dashboard, firms, land and output."""

from django.urls import URLPattern, URLResolver, path

from .views import firms

urlpatterns: list[URLPattern | URLResolver] = [
    path("", firms.dashboard, name="dashboard"),
    path("firms/", firms.firms, name="firms"),
    path("firms/new/", firms.firm_new, name="firm-new"),
    path("firms/<int:pk>/", firms.firm_detail, name="firm"),
    path("firms/<int:pk>/edit/", firms.firm_edit, name="firm-edit"),
    path("firms/<int:pk>/contacts/", firms.firm_contacts, name="firm-contacts"),
    path("firms/<int:pk>/approval/", firms.firm_approval, name="firm-approval"),
    path("firms/<int:pk>/output/", firms.output_record, name="firm-output"),
    path("land/", firms.land_page, name="land"),
    path("land/leases/add/", firms.lease_add, name="lease-add"),
    path("land/parcels/add/", firms.parcel_add, name="parcel-add"),
    path("land/subleases/add/", firms.sublease_add, name="sublease-add"),
    path("land/buildings/add/", firms.building_add, name="building-add"),
    path("land/fee-rules/add/", firms.fee_rule_add, name="fee-rule-add"),
]
