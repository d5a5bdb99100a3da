import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvze.settings")
application = get_wsgi_application()
# Import every URL module (the API's schemas among them) when the worker starts, not on a user's first request.
get_resolver().check()
