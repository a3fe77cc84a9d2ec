import os

from django.core.wsgi import get_wsgi_application

from hub.process import settle
from hub.security import CharsetGuard

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.production")
# A request that declares a charset Django must not decode with is refused before Django
# builds it (hub/security.py).
application = CharsetGuard(get_wsgi_application())
settle()
