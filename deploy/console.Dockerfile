# The front door's image: nginx with the agents' console (apps/console) built into it, so that
# `docker compose up --build` serves the console at / without a build on the host. Its nginx.conf
# is still deploy/nginx.conf, mounted by docker-compose.yml (one rendering of the template).
#
#   docker build -f deploy/console.Dockerfile -t talk-front-door .

FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json tsconfig*.json ./
COPY packages/shared/package.json packages/shared/
COPY packages/decisions/package.json packages/decisions/
COPY packages/store/package.json packages/store/
COPY packages/runtime/package.json packages/runtime/
COPY packages/client/package.json packages/client/
COPY services/api/package.json services/api/
COPY services/gateway/package.json services/gateway/
COPY services/notifier/package.json services/notifier/
COPY apps/console/package.json apps/console/
# No install scripts: the bundler's native parts come as per-platform packages, not built here.
RUN npm ci --ignore-scripts --no-audit --no-fund

# The console bundles the client and the contracts from their sources.
COPY packages/shared packages/shared
COPY packages/client packages/client
COPY apps/console apps/console
RUN npm run build -w @talk/console

FROM nginx:1.27-alpine
COPY --from=build /app/apps/console/dist /usr/share/talk/console
