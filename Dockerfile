# The Tsudoi hub. Build: docker build -t tsudoi . ; run: see docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save --omit=dev esbuild@0.28 && npm cache clean --force
COPY . .
RUN node dashboard/build.mjs
ENV TSUDOI_DATA_DIR=/data TSUDOI_HOST=0.0.0.0
VOLUME /data
EXPOSE 1883 8080
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
