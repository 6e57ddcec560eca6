FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY examples ./examples
RUN npm run build && npm prune --omit=dev
USER node
ENTRYPOINT []
CMD ["node", "dist/src/cli/main.js", "--help"]
