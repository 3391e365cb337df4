"""The complex's pages, each part in a module of its own."""

from .urls_crossings import urlpatterns as crossings_urls
from .urls_customs import urlpatterns as customs_urls
from .urls_evacuation import urlpatterns as evacuation_urls
from .urls_firms import urlpatterns as firms_urls
from .urls_gate import urlpatterns as gate_urls
from .urls_payroll import urlpatterns as payroll_urls
from .urls_stay import urlpatterns as stay_urls
from .urls_workers import urlpatterns as workers_urls

app_name = "complex"

urlpatterns = [
    *firms_urls,
    *workers_urls,
    *payroll_urls,
    *crossings_urls,
    *customs_urls,
    *stay_urls,
    *evacuation_urls,
    *gate_urls,
]
