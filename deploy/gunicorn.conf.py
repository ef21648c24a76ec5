"""gunicorn settings for Collectifs DS (deploy/systemd/collectifs-web.service runs `gunicorn -c` on this file).

Every value can be changed from the environment file (deploy/collectifs.env.exemple), without editing this one."""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# A Unix socket that only nginx reaches (deploy/nginx/collectifs.conf): nothing listens on a TCP port.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/collectifs/gunicorn.sock")
umask = 0o007  # the socket: read/write for the service user and its group (nginx's user is in that group)

# Synchronous workers: the pages and the PDF rendering are CPU-bound; a slow client is nginx's business (it buffers).
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a worker silent this long is killed and replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (memory held by a large export or PDF goes back to the system).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# Requests: the same limits as nginx, in case someone reaches the socket directly.
limit_request_line = 8190
limit_request_fields = 100

# Logs go to the journal (stdout/stderr under systemd). The access log has the path without its query string
# (%(U)s, not %(r)s): search terms and tokens in URLs are personal data that logs must not keep.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# The application is loaded in each worker, after the fork: database connections are never shared.
preload_app = False
proc_name = "collectifs-ds"
