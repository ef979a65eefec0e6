# syntax=docker/dockerfile:1
#
# The IT help-desk bot as a container image (docs/operations.md, "Docker").
#
#   docker build -t helpdesk-bot .
#   docker build --build-arg NPM_REGISTRY=https://npm.mirror.example/ -t helpdesk-bot .
#   docker run -d --name helpdesk -p 3000:3000 -v helpdesk-data:/data --env-file .env helpdesk-bot
#
# Everything is fetched while building, from the npm registry given by NPM_REGISTRY (a mirror inside
# the hospital works) and the two Node images; nothing is downloaded when the container runs.
#
# Two stages on the same Debian release (bookworm, one glibc): better-sqlite3 is a native module,
# compiled in the build stage and copied, with the rest of node_modules, into the runtime stage.
# The build stage is the full Node image because it carries python3, make and g++, so
# better-sqlite3 compiles from source without apt or a download of a prebuilt binary; the runtime
# stage is the slim one. Both images can be named from a registry of your own.
ARG NODE_BUILD_IMAGE=node:20-bookworm
ARG NODE_RUNTIME_IMAGE=node:20-bookworm-slim

# ---- build: install every dependency, compile, then drop the dev dependencies ----
FROM ${NODE_BUILD_IMAGE} AS build
ARG NPM_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
# node-gyp takes Node's headers from the image instead of downloading them.
ENV npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false \
    CHECKPOINT_DISABLE=1

RUN npm config set registry "$NPM_REGISTRY"

# The dependencies first (their layer is reused while package-lock.json stays the same). Install
# scripts are skipped, since they would try the internet: the Prisma CLI works with its JavaScript
# schema engine and needs no engine download, and better-sqlite3 is compiled from its own sources
# next (its install script would first try to download a prebuilt binary).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
RUN npm run build-release --prefix node_modules/better-sqlite3

# The sources, then what `npm install` would have done (the Prisma clients), and the build.
COPY . .
RUN npm run db:generate
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts

# ---- runtime: production dependencies, the compiled bot, its migrations and the sample config ----
FROM ${NODE_RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    DATABASE_URL=file:/data/helpdesk.db \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    npm_config_update_notifier=false
WORKDIR /app

# Owned by root and read-only to the bot; only /data is written.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
# dist/ holds the compiled bot and the generated Prisma clients it imports (dist/generated/).
COPY --from=build /app/dist ./dist
# The admin command line (npx helpdesk …), run in the container: docker compose exec bot-1 npx helpdesk check
COPY --from=build /app/bin ./bin
# Migrations, applied at every start (SQLite through the Prisma CLI, which reads prisma.config.ts
# and the one module it imports; PostgreSQL in the bot's own process).
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/prisma.config.ts ./prisma.config.ts
COPY --from=build /app/bot/db/url.ts ./bot/db/url.ts
# The sample organisation file; mount the hospital's own over /app/config.
COPY --from=build /app/config ./config

RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

# The unprivileged user of the Node images (uid 1000).
USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The README's start command: the compiled bot, without npm in between (SIGTERM reaches the bot).
CMD ["node", "dist/bot/main.js"]
