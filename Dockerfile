# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
# The release this image is (the git sha, passed at build time: see the README); cached
# staff pages of another release are never served. Without it the app fingerprints its
# code and templates at start-up.
ARG STRATEGYHUB_RELEASE=""
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STRATEGYHUB_RELEASE=${STRATEGYHUB_RELEASE}
WORKDIR /app
COPY . .
RUN pip install .
COPY --from=assets /app/node_modules ./node_modules
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --system --home /app strategyhub && mkdir -p /app/data && chown strategyhub /app/data
USER strategyhub
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "strategyhub.config.wsgi:application"]
