"""gunicorn configuration of the registry (docs/deployment.md, section 5).

    gunicorn -c /srv/registry/docs/deployment/gunicorn.conf.py registry.wsgi

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS …)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Requests only read and write the database: the slow work is the Celery workers'.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Logs to the journal; the application's own lines are JSON with the request id.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
