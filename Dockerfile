# The bot in a container (README: Deployment): `docker compose up -d` builds and starts it.
# No secret is baked in: the token reaches the container from the environment when it starts
# (compose's env_file), never at build time.

# Python 3.11, as pyproject's requires-python and the development machines; slim: no compilers.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# A venv of its own, copied whole into the final stage, holding exactly the dependencies the
# tests ran on (requirements.lock, each file checked against its hash; no dev tools). Its own
# layer, made again only when the lock changes.
COPY requirements.lock ./
RUN python -m venv /opt/selfreview/.venv \
    && /opt/selfreview/.venv/bin/pip install --require-hashes -r requirements.lock
# What the package is built from and nothing else (.dockerignore keeps the rest out); installed
# without dependencies, as the lock gave them all.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogues ./dialogues
COPY storage ./storage
RUN /opt/selfreview/.venv/bin/pip install --no-deps .

FROM python:3.11-slim-bookworm
# MPLCONFIGDIR: matplotlib (the chat's pictures) keeps its font list there; the user has no
# home, and without a writable folder the list is rebuilt, slowly, for every first picture.
ENV PYTHONUNBUFFERED=1 \
    PATH=/opt/selfreview/.venv/bin:$PATH \
    SELFREVIEW_DB=/data \
    MPLCONFIGDIR=/tmp/matplotlib
# A user of its own with a fixed number, so that an orchestrator can check it is not root;
# the data folder belongs to it. Made before VOLUME: a new volume starts as this folder is.
RUN groupadd --system --gid 10001 selfreview \
    && useradd --system --uid 10001 --gid selfreview --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin selfreview \
    && install -d -o selfreview -g selfreview -m 0700 /data
COPY --from=build /opt/selfreview/.venv /opt/selfreview/.venv
VOLUME /data
# The bot reads a .env from its working folder: this one holds none (compose gives the settings).
WORKDIR /opt/selfreview
USER 10001:10001
# Only with `run --webhook-url ... --listen 0.0.0.0` (compose.yaml shows it); polling opens no port.
EXPOSE 8443
# `selfreview health` exits 0 when the bot holding /data heard from Telegram within 3 minutes and
# /data takes a write, 1 with one line otherwise (`docker inspect` shows that line).
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["selfreview", "health"]
# `docker compose run --rm selfreview backup /backups` and the like give another subcommand.
ENTRYPOINT ["selfreview"]
CMD ["run"]
