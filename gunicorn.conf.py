"""gunicorn's configuration for StrategyHub (``gunicorn -c gunicorn.conf.py``; gunicorn also
reads this file by itself when started from the project's directory). The benchmark
(``make bench``) serves through this same file, so what is measured is what ships.

Reasoning (numbers in docs/performance.md):

* **Worker class ``sync``, one request per process.** A page's cost is Python (building rows
  and templates; SQL is a small share), so threads inside one process would wait for the
  same interpreter lock and add nothing but latency. A reverse proxy (nginx, a cloud load
  balancer) in front buffers slow clients, which is what sync workers need.
* **Workers: two per core** (``WEB_CONCURRENCY`` overrides). While one worker waits for
  PostgreSQL or Redis the other can use the core; more than that only adds memory
  (~100–130 MB each) and context switches.
* **``preload_app``** so the application is imported once, in the parent, and
  ``strategyhub.config.gctuning`` can freeze the start-up objects before the workers fork:
  the workers share those pages and the garbage collector never walks them again.
* **Templates compiled in the parent** (``strategyhub.config.warmup``): no worker compiles
  them on its first views, after start or after a recycle.
* **``max_requests``** with jitter recycles a worker now and then, bounding any slow growth
  of memory without all workers restarting at once.
"""

import multiprocessing
import os

from strategyhub.config import gctuning, warmup

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# TLS in gunicorn itself (the production smoke test, .ci/smoke; or no proxy in front). Behind
# a TLS-terminating load balancer leave both unset and set TRUST_X_FORWARDED_PROTO=1.
certfile = os.environ.get("GUNICORN_CERTFILE") or None
keyfile = os.environ.get("GUNICORN_KEYFILE") or None
# Worker heartbeat files go to the temporary directory (compose mounts /tmp as tmpfs, so the
# root filesystem can be read-only); GUNICORN_WORKER_TMP_DIR=/dev/shm keeps them in memory.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# gunicorn's control socket (gunicornc) is off: nothing uses it, and the image's $HOME is not
# writable. GUNICORN_CONTROL_SOCKET=/tmp/gunicorn.ctl turns it on.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")


def on_starting(server):
    """Prometheus multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, docs/observability.md):
    the previous run's files are removed before any worker writes."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """The application is loaded (``preload_app``): compile the templates and build the URL
    lookups, then freeze what start-up allocated (``strategyhub.config.warmup``,
    ``gctuning``)."""
    warmup.compile_templates()
    warmup.build_url_lookups()
    gctuning.freeze_startup_objects()


def post_fork(server, worker):
    gctuning.tune_thresholds()
