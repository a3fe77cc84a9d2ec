import os

from django.core.wsgi import get_wsgi_application

from hub.process import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.production")
application = get_wsgi_application()
settle()
