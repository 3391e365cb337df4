"""The aid pages on money: an activity's transactions and its file, and the exchange rates."""

from django.urls import URLPattern, URLResolver, path

from .views import money

urlpatterns: list[URLPattern | URLResolver] = [
    path("activities/<int:pk>/transactions/", money.transactions_page, name="transactions"),
    path("activities/<int:pk>/transactions/add/", money.transaction_add, name="transaction-add"),
    path(
        "activities/<int:pk>/transactions/<int:transaction_pk>/remove/",
        money.transaction_remove,
        name="transaction-remove",
    ),
    path(
        "activities/<int:pk>/transactions/export/",
        money.transactions_export,
        name="transactions-export",
    ),
    path(
        "activities/<int:pk>/transactions/import/",
        money.transactions_import,
        name="transactions-import",
    ),
    path("rates/", money.rates_page, name="rates"),
    path("rates/import/", money.rates_import, name="rates-import"),
]
