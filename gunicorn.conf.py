"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:server`, behind a buffering
reverse proxy (docs/deploy/nginx.conf). Run `scripts/prestart.sh` once before (migrations, first data).

Threaded workers (gthread): a slow page or an argon2 sign-in check (~0.3 s of CPU) holds one thread,
not a whole worker, and nginx buffers slow clients, so they never hold a thread at all.
"""

import os

bind = os.environ.get("TRACKER_BIND", "127.0.0.1:8000")  # nginx in front; never 0.0.0.0 without it
workers = int(os.environ.get("TRACKER_WORKERS", "4"))
worker_class = "gthread"
# 8 threads a worker: a client that sends its request slowly holds a thread until it is done (gunicorn has
# no header timeout; connections that send nothing are set aside after 5 s), so without nginx in front a
# few slow clients must not use up a worker. argon2 releases the GIL, so sign-ins do not block pages.
threads = int(os.environ.get("TRACKER_THREADS", "8"))
timeout = 60  # a request that takes longer is stuck (the database has a 30 s statement timeout)
graceful_timeout = 30
# Idle keep-alive connections stay open longer than nginx keeps its upstream ones (60 s, nginx.conf), so
# the proxy, not gunicorn, closes an idle connection: gunicorn closing one just as a request is sent on it
# resets that request (seen as "connection reset" under load with keepalive = 5).
keepalive = 75
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("TRACKER_TRUSTED_PROXIES", "127.0.0.1")
accesslog = "-"
