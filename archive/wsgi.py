import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# In the web server: dictionaries loaded once, before gunicorn forks its
# workers (they share the pages), and index updates applied off the request
# threads by a worker thread in each process.
from archive.search import analysis, indexing

analysis.warm_up()
indexing.worker.enable()
