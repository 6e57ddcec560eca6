FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY examples ./examples
RUN npm run build && npm prune --omit=dev
# /app stays root's; results and rejected-record files go to /app/results, owned by the
# user batchline runs as, and a volume there (compose names it `results`) keeps them.
RUN mkdir -p /app/results && chown node:node /app/results
VOLUME ["/app/results"]
USER node
ENTRYPOINT []
CMD ["node", "dist/src/cli/main.js", "--help"]
