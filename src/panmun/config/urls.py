from django.contrib import admin
from django.urls import include, path

from panmun.config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("dialogue/", include("panmun.dialogue.urls")),
    path("jobs/", include("panmun.jobs.urls")),
    path("families/", include("panmun.families.urls")),
    path("reunion/", include("panmun.reunion.urls")),
    path("liaison/", include("panmun.liaison.urls")),
    path("permits/", include("panmun.permits.urls")),
    path("aid/", include("panmun.aid.urls")),
    path("complex/", include("panmun.complex.urls")),
    path("verify/", include("panmun.permits.urls_public")),
    path("", include("panmun.web.urls")),
]

handler400 = "panmun.web.views.bad_request"
handler403 = "panmun.web.views.permission_denied"
handler404 = "panmun.web.views.page_not_found"
handler500 = "panmun.web.views.server_error"
