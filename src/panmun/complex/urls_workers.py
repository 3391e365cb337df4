"""The complex's pages: workers (a firm's roster, a worker, the roster file in and out)."""

from django.urls import URLPattern, URLResolver, path

from .views import workers

urlpatterns: list[URLPattern | URLResolver] = [
    path("firms/<int:firm_pk>/workers/", workers.workers_page, name="workers"),
    path("firms/<int:firm_pk>/workers/add/", workers.worker_add, name="worker-add"),
    path("firms/<int:firm_pk>/workers/<int:pk>/", workers.worker_page, name="worker"),
    path("firms/<int:firm_pk>/workers/<int:pk>/leave/", workers.worker_leave, name="worker-leave"),
    path("firms/<int:firm_pk>/roster/import/", workers.roster_import, name="roster-import"),
    path("firms/<int:firm_pk>/roster/export/", workers.roster_export, name="roster-export"),
]
