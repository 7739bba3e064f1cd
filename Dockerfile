# The runner image, built without a registry: FROM scratch with the static
# binary (CGO_ENABLED=0) and a /tmp, from deploy/rootfs/, which
# `scripts/compose.sh` builds on the host before it runs docker compose.
# With a registry, deploy/Dockerfile.online compiles in a golang image instead:
#   RUNNER_DOCKERFILE=deploy/Dockerfile.online docker compose build
# Sandbox images are separate: images/, built by `runner images build`.
FROM scratch
COPY deploy/rootfs/ /
ENV PATH=/usr/local/bin HOME=/tmp
USER 65534:65534
ENTRYPOINT ["runner"]
CMD ["serve"]
