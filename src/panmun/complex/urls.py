"""The complex's pages, each part in a module of its own."""

from .urls_firms import urlpatterns as firms_urls
from .urls_payroll import urlpatterns as payroll_urls
from .urls_workers import urlpatterns as workers_urls

app_name = "complex"

urlpatterns = [*firms_urls, *workers_urls, *payroll_urls]
