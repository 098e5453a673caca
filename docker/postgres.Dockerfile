# PostgreSQL 17 with pgvector and Apache AGE from the PGDG repository the official image ships with.
FROM postgres:17-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-17-pgvector postgresql-17-age \
 && rm -rf /var/lib/apt/lists/*
