# kubeharden as a container image: distroless Node.js 20, non-root (65532), no shell, works with a read-only root
# file system (it writes only the reports you name, to a mounted folder).
#
#   docker build -t kubeharden .
#   docker run --rm --read-only -v "$PWD:/work:ro" -w /work kubeharden scan k8s/
#   docker run --rm --read-only -v "$PWD/out:/out" -v "$PWD:/work:ro" -w /work kubeharden scan k8s/ --format sarif --output /out/kubeharden.sarif
#
# Both bases are pinned by digest; update the digests, not only the tags.

FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY scripts/ scripts/
COPY src/ src/
# `npm ci` builds through `prepare`; then only the runtime dependencies stay.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM gcr.io/distroless/nodejs20-debian12:nonroot@sha256:2cd820156cf039c8b54ae2d2a97e424b6729070714de8707a6b79f20d56f6a9a
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules/ node_modules/
COPY --from=build /src/dist/src/ dist/src/
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/src/cli/main.js"]
CMD ["--help"]
