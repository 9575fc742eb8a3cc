# Spinewise: a small image that applies migrations, then serves the app on port 8000.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data

WORKDIR /src
# Dependencies first (read from pyproject.toml), so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -r requirements.txt
# A normal install: the wheel carries app/, web/ and migrations/; no source is kept.
COPY README.md ./
COPY app ./app
COPY web ./web
COPY migrations ./migrations
RUN pip install --no-deps . && cd / && rm -rf /src

WORKDIR /
RUN useradd --system --uid 10001 spinewise && mkdir -p /data && chown spinewise /data
USER spinewise
VOLUME ["/data"]
EXPOSE 8000
# /healthz answers whatever the Host header (ALLOWED_HOSTS guards every other path).
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["spinewise", "serve", "--host", "0.0.0.0", "--port", "8000"]
