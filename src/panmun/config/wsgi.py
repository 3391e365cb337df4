import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.production")
application = get_wsgi_application()

# Load the URLconf, the API and the catalogues now rather than on the first request.
from panmun.web.warmup import warm  # noqa: E402

warm()
