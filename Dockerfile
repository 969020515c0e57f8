# syntax=docker/dockerfile:1
# One image for every BrightPath process: `serve`, `worker` and one-off
# commands (`db migrate`, `plan week --all`, `backup`). Build it from the
# repository root:
#   docker build -t brightpath .
#   docker run --rm brightpath --help

# Stage 1: the web app. `serve` embeds web/dist when it is compiled, so the
# SPA is built first and copied into the Rust stage.
FROM node:20-bookworm-slim AS web
WORKDIR /src/brightpath-server/web
COPY brightpath-server/web/package.json brightpath-server/web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY brightpath-server/web/ ./
RUN npm run build

# Stage 2: the release binary.
FROM rust:1.90-bookworm AS build
WORKDIR /src
# The workspace, then the web build on top of it (dist is not in the context:
# see .dockerignore).
COPY . .
COPY --from=web /src/brightpath-server/web/dist brightpath-server/web/dist
# Cache the registry and the target folder between builds (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p brightpath-cli \
    && install -D -m 0755 target/release/brightpath /out/brightpath

# Stage 3: the runtime. Debian slim with CA certificates (OpenID discovery,
# https webhooks, SMTP over TLS, S3 backups) and curl for the health check.
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 brightpath \
    && useradd --system --uid 10001 --gid brightpath --home-dir /var/lib/brightpath \
       --create-home --shell /usr/sbin/nologin brightpath
COPY --from=build /out/brightpath /usr/local/bin/brightpath
USER 10001:10001
WORKDIR /var/lib/brightpath
# Logs as JSON lines on stderr; listen on every interface inside the container
# (the platform's router or compose's network is in front of it).
ENV BRIGHTPATH_LOG_FORMAT=json \
    RUST_LOG=info \
    XDG_DATA_HOME=/var/lib/brightpath \
    XDG_CONFIG_HOME=/var/lib/brightpath/config
EXPOSE 8080 9187
# /healthz answers while the process is up; /readyz also checks the database.
# The worker's own listener (`--metrics 0.0.0.0:9187`) serves /healthz too:
# compose overrides the check's port for it.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["brightpath"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
