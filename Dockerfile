# Production image: gunicorn serving Django; the same image runs the release job (`migrate`),
# the Celery worker and beat (docker-compose.yml). Layers are ordered so that a code change
# rebuilds only the last ones: npm packages and the hash-checked Python lock come first.

# --- Front-end packages (USWDS's built files; Node 22 LTS) -----------------------------------
FROM node:22-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- The application -----------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
# The reports' PDF (weasyprint) needs Pango and a font (docs/reports.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
# WeasyPrint's system libraries and the fonts embedded in the reports' PDF (docs/reports.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Locked dependencies, every file checked against its hash (requirements/lock.txt, `make lock`).
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --require-hashes -r requirements/lock.txt
COPY --from=assets /app/node_modules ./node_modules

# The code (the build context is what .dockerignore leaves: no .env, .venv, data, .git), then
# the project itself without resolving anything (its build backend is in the lock).
COPY . .
RUN pip install --no-deps --no-build-isolation -e . \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# The release this image is (the git sha, passed at build time: see the README); cached
# staff pages of another release are never served. Without it the app fingerprints its
# code and templates at start-up.
ARG STRATEGYHUB_RELEASE=""
# /app belongs to root and is read-only for the app user; the one writable place is /data
# (a volume: the SQLite fallback, local media files, beat's schedule) and /tmp, so the
# container runs with a read-only root filesystem (`read_only: true` and a tmpfs /tmp).
ENV STRATEGYHUB_RELEASE=${STRATEGYHUB_RELEASE} STRATEGYHUB_DATA_DIR=/data MEDIA_ROOT=/data/media
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin strategyhub \
    && mkdir -p /data/media && chown -R strategyhub:strategyhub /data
USER 10001:10001
EXPOSE 8000
# The web process answers (liveness; compose gives the worker and beat their own checks).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "strategyhub.config.container_health", "web"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "strategyhub.config.wsgi:application"]
