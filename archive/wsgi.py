import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# In the web server: dictionaries and each index segment's columns loaded
# once, before gunicorn forks its workers (they share the pages), and index
# updates applied off the request threads by a worker thread in each process.
from archive.search import analysis, indexing
from archive.search import views as search_views
from archive.search.backend import search_backend

analysis.warm_up()
search_backend().warm_up()
# The first searches through both pages (templates, catalogs, speakers'
# names): before the fork, so every worker starts with them. The searchers
# they opened are closed again, as forked processes must not share open files.
search_views.warm_up()
search_backend().close_searchers()
# Everything loaded so far lives as long as the process: jieba's and pypinyin's
# dictionaries, OpenCC's tables, Django. Out of the collector's sight, a full
# collection no longer walks them (~100 ms at 100,000 turns, a request's
# whole budget ten times over), and forked workers keep sharing their pages.
gc.freeze()
indexing.worker.enable()
