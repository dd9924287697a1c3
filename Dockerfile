# The Tsudoi hub. Build: docker build -t tsudoi . ; run: see docker-compose.yml.
# Two stages: the first installs everything and compiles (npm run build → build/), the second
# holds only Node.js, the production dependencies and the compiled hub — no compiler, no tsx.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches this Node.js.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --silent && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TSUDOI_DATA_DIR=/data TSUDOI_HOST=0.0.0.0
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/bin ./bin
# The hub runs as the image's unprivileged `node` user; its data dir is its own (mode 0700).
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME /data
# MQTT, MQTT over TLS (when TSUDOI_TLS_CERT/KEY are set), dashboard & API (+ MQTT over WebSocket at /mqtt).
EXPOSE 1883 8883 8080
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.TSUDOI_HTTP_PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "build/server/main.js"]
