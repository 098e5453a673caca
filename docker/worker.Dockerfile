# The stp-upgrade worker (and CLI): a build stage compiles TypeScript; the image keeps production
# dependencies only and runs as the unprivileged "node" user. pg_dump must match the server's major
# version: PostgreSQL 17. Build: docker build -f docker/worker.Dockerfile -t stp-upgrade-worker .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update && apt-get install -y --no-install-recommends postgresql-client-17 \
 && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PATH="/usr/lib/postgresql/17/bin:${PATH}" STP_STATE_DIR=/var/lib/stp-upgrade
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Backups and deployer state belong to the runtime user; nothing under /app is writable by it.
RUN install -d -o node -g node /var/backups/stp-upgrade /var/lib/stp-upgrade
USER node
# STP_METRICS_ADDRESS=0.0.0.0:9464 serves Prometheus metrics here.
EXPOSE 9464
CMD ["node", "bin/stp-upgrade.js", "worker"]
