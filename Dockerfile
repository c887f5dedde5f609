# abm-sync worker image (also runs every other abm-sync command).
#
#   docker build -t abm-sync .
#   docker run --rm \
#     -v "$PWD/abm-sync.config.json:/config/abm-sync.config.json:ro" \
#     -v "$PWD/secrets:/config/secrets:ro" \
#     -e ASSETPANDA_API_KEY -e ASSETPANDA_API_SECRET \
#     abm-sync worker
#
# The config is read from /config/abm-sync.config.json (ABM_SYNC_CONFIG); a relative
# abm.privateKeyFile such as "secrets/abm.pem" resolves to /config/secrets/abm.pem. Secrets come from
# the environment (ASSETPANDA_API_KEY, ASSETPANDA_API_SECRET, optionally ABM_PRIVATE_KEY); none is
# baked into the image.

# ---- build: dev dependencies, TypeScript compile, then drop the dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app

# `npm ci` installs the dev dependencies too (TypeScript is one) and then runs the `prepare` script,
# which is `npm run build` (tsc -> lib/); so the sources must be in place before it runs.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund \
 && test -f lib/client.js \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: production dependencies, compiled lib/, the launcher and the binary resolver ----
FROM node:20-bookworm-slim AS runtime
# NODE_OPTIONS: the worker's bounded V8 heaps (scripts/node-flags.js, README "Performance"). Given
# here, bin/abm-sync.js runs the worker in this process instead of starting it again with them.
ENV NODE_ENV=production \
    ABM_SYNC_CONFIG=/config/abm-sync.config.json \
    NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=2"
WORKDIR /app

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY --from=build /app/bin ./bin
# lib/temporal/binaries.js requires scripts/temporal-binaries.js when the CLI loads.
COPY --from=build /app/scripts ./scripts

# The application files belong to root; the process runs as the image's unprivileged `node` user
# (uid 1000), which must be able to read the mounted config and key file.
RUN mkdir -p /config/secrets
USER node

ENTRYPOINT ["node", "bin/abm-sync.js"]
CMD ["worker"]
