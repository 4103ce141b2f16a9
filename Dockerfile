# syntax=docker/dockerfile:1
# Harrier: the hub (default command) with its dashboard, plus the harrier-sensor and harrier-rules CLIs.
#   docker build -t harrier .
#   docker run -p 2801:2801 harrier                                   # hub + dashboard on :2801
#   docker run harrier harrier-sensor demo --hub http://HUB:2801      # demo alerts into a hub

FROM node:22-slim AS build
WORKDIR /src
# A compiler for the zstd-napi addon (node-gyp), used when no prebuilt binary can be fetched; the runtime stage
# gets the built addon through pnpm deploy, not the toolchain.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/* \
 && npm install --global --no-fund --no-audit pnpm@12.21.0

# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.cjs tsconfig.base.json tsconfig.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/alert/package.json packages/alert/
COPY packages/engine/package.json packages/engine/
COPY packages/sensor/package.json packages/sensor/
COPY test/package.json test/
RUN pnpm install --frozen-lockfile

COPY apps/ apps/
COPY packages/ packages/
RUN pnpm build \
 && pnpm --filter @harrier/server deploy --prod /out \
 && rm -rf /out/src /out/tsconfig.json \
 && find /out/node_modules/.pnpm -path '*/node_modules/@harrier/*/src' -prune -exec rm -rf {} + \
 && cp -r apps/web/dist /out/web

FROM node:22-slim
LABEL org.opencontainers.image.title="Harrier" \
      org.opencontainers.image.description="Falco-compatible alert hub and live dashboard" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    PORT=2801 \
    WEB_DIST=/app/web \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
# Owned by root and read-only to the process: the hub writes nothing to its image.
COPY --from=build /out /app
# The image's "node" user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 2801
# slim has no curl: node asks /healthz, which answers 503 while Redis is unreachable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||2801)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "/app/dist/main.js"]
