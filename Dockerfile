# One image recipe for Talk's three services (CONTRACT.md section 1). The build argument SERVICE
# (api | gateway | notifier) picks the process the image runs; everything else is shared, so the
# three images share every layer but the last few:
#
#   docker build --build-arg SERVICE=api -t talk-api .
#
# docker-compose.yml builds it once per service.

FROM node:20-bookworm-slim AS build
WORKDIR /app

# Manifests first: the dependency layer is rebuilt only when a manifest or the lockfile changes.
COPY package.json package-lock.json tsconfig*.json ./
COPY packages/shared/package.json packages/shared/
COPY packages/decisions/package.json packages/decisions/
COPY packages/store/package.json packages/store/
COPY packages/runtime/package.json packages/runtime/
COPY packages/client/package.json packages/client/
COPY services/api/package.json services/api/
COPY services/gateway/package.json services/gateway/
COPY services/notifier/package.json services/notifier/
# No install scripts: no runtime dependency needs one, and the slim image has no compiler for the
# optional native add-ons some dev tools try to build.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY packages packages
COPY services services
RUN npx tsc -b \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app

# Workspace packages resolve through the symlinks in node_modules/@talk, which point at the
# workspace folders below; each needs only its package.json and its compiled dist/.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages/shared/package.json packages/shared/
COPY --from=build /app/packages/shared/dist packages/shared/dist
COPY --from=build /app/packages/decisions/package.json packages/decisions/
COPY --from=build /app/packages/decisions/dist packages/decisions/dist
COPY --from=build /app/packages/store/package.json packages/store/
COPY --from=build /app/packages/store/dist packages/store/dist
COPY --from=build /app/packages/runtime/package.json packages/runtime/
COPY --from=build /app/packages/runtime/dist packages/runtime/dist
COPY --from=build /app/packages/client/package.json packages/client/
COPY --from=build /app/packages/client/dist packages/client/dist
COPY --from=build /app/services/api/package.json services/api/
COPY --from=build /app/services/api/dist services/api/dist
COPY --from=build /app/services/gateway/package.json services/gateway/
COPY --from=build /app/services/gateway/dist services/gateway/dist
COPY --from=build /app/services/notifier/package.json services/notifier/
COPY --from=build /app/services/notifier/dist services/notifier/dist

ARG SERVICE
RUN case "$SERVICE" in \
      api|gateway|notifier) ;; \
      *) echo "build with --build-arg SERVICE=api|gateway|notifier (got '$SERVICE')" >&2; exit 1 ;; \
    esac
ENV SERVICE=$SERVICE

# The files stay root's; the process only reads them.
USER node
EXPOSE 3000 3001 3002

# `exec` replaces the shell with node, so SIGTERM from `docker stop` reaches the service's own
# handler (ordered shutdown) instead of a shell that would ignore it.
CMD ["sh", "-c", "exec node services/$SERVICE/dist/main.js"]
