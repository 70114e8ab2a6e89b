"""WSGI entry point, used by `symbiose serve` (waitress) and by any production server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
application = get_wsgi_application()
