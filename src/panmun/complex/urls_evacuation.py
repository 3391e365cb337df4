"""The complex's pages: orders to leave, the evacuation board, the manifest, assets left behind."""

from django.urls import URLPattern, URLResolver, path

from .views import evacuation

urlpatterns: list[URLPattern | URLResolver] = [
    path("evacuation/", evacuation.board_page, name="evacuation-board"),
    path("evacuation/orders/", evacuation.orders_page, name="evacuation-orders"),
    path("evacuation/orders/new/", evacuation.order_record, name="evacuation-order-record"),
    path(
        "evacuation/orders/<int:pk>/close/",
        evacuation.order_close,
        name="evacuation-order-close",
    ),
    path(
        "evacuation/orders/<int:pk>/manifest/",
        evacuation.manifest_send,
        name="evacuation-manifest-send",
    ),
    path("evacuation/assets/", evacuation.assets_page, name="evacuation-assets"),
    path("evacuation/assets/new/", evacuation.asset_record, name="evacuation-asset-record"),
    path("evacuation/assets/export/", evacuation.assets_export, name="evacuation-assets-export"),
]
