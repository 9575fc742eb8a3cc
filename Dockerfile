# Spinewise: a small image that applies migrations, then serves the app on port 8000.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data

WORKDIR /srv/spinewise
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py && pip install -e . && rm -rf app
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
COPY web ./web

RUN useradd --system --uid 10001 spinewise && mkdir -p /data && chown spinewise /data
USER spinewise
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["spinewise", "serve", "--host", "0.0.0.0", "--port", "8000"]
