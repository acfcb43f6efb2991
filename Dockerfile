# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and build native modules (better-sqlite3) against this Node version.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` compiles TypeScript, so sources must be present before `npm ci`.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY ui ./ui
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Runtime stage: only what `airlock serve` needs, running as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/ui/dist ./ui/dist
COPY --from=build /app/bin ./bin
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
ENV AIRLOCK_DATA_DIR=/data
EXPOSE 8873
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8873/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "/app/bin/airlock.js"]
CMD ["serve"]
