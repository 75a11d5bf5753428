import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# In the web server: dictionaries and each index segment's columns loaded
# once, before gunicorn forks its workers (they share the pages), and index
# updates applied off the request threads by a worker thread in each process.
from archive.search import analysis, indexing
from archive.search.backend import search_backend

analysis.warm_up()
search_backend().warm_up()
indexing.worker.enable()
