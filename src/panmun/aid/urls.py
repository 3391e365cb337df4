"""The aid pages, each part of the ledger in a module of its own."""

from .urls_activities import urlpatterns as activities_urls
from .urls_iati import urlpatterns as iati_urls
from .urls_money import urlpatterns as money_urls
from .urls_reports import urlpatterns as reports_urls
from .urls_shipments import urlpatterns as shipments_urls

app_name = "aid"

urlpatterns = [*activities_urls, *iati_urls, *money_urls, *shipments_urls, *reports_urls]
