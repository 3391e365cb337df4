"""The aid pages on shipments, their monitoring, policy exceptions and the North's receipts."""

from django.urls import URLPattern, URLResolver, path

from .views import shipments

urlpatterns: list[URLPattern | URLResolver] = [
    path("shipments/", shipments.shipments_page, name="shipments"),
    path("shipments/<int:pk>/", shipments.shipment_page, name="shipment"),
    path("shipments/<int:pk>/move/<str:move>/", shipments.shipment_move_view, name="shipment-move"),
    path("shipments/<int:pk>/monitoring/", shipments.monitoring_new, name="monitoring-new"),
    path("activities/<int:activity>/shipments/new/", shipments.shipment_new, name="shipment-new"),
    path(
        "activities/<int:activity>/policy-exception/",
        shipments.policy_exception,
        name="policy-exception",
    ),
    path("received/", shipments.received_page, name="received"),
    path("received/<int:pk>/", shipments.received_shipment, name="received-shipment"),
]
