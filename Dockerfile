# clv-stream: one image for every role (`clv run`, `clv run sink`, `clv train`, `clv demo`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json ./
COPY schemas ./schemas
COPY config ./config
COPY dashboard ./dashboard
USER node
ENTRYPOINT ["node", "dist/cli/clv.js"]
CMD ["run"]
