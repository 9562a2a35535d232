# syntax=docker/dockerfile:1
# A small image that runs alignwatch as a non-root user: migrations first, then the server.
# Build: docker build -t alignwatch .   Run: see docs/deploy.md.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY migrations ./migrations
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ALIGNWATCH_HOST=0.0.0.0 \
    ALIGNWATCH_PORT=8000 \
    ALIGNWATCH_LOG_FORMAT=json \
    ALIGNWATCH_DATABASE_URL=sqlite:////data/alignwatch.db \
    ALIGNWATCH_FEEDS_FILE=/app/feeds.yml
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin alignwatch \
    && mkdir -p /data /app \
    && chown alignwatch:alignwatch /data
COPY --from=build /install /usr/local
COPY feeds.yml /app/feeds.yml
USER 10001
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('ALIGNWATCH_PORT', '8000'), timeout=4)"]
CMD ["sh", "-c", "alignwatch db upgrade && exec alignwatch serve"]
