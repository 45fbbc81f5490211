# neurospector-server image: builds on Debian 12 with the project's own
# scripts, then copies the server into a slim Debian 12 runtime image.
#
#   docker build -t neurospector-server .
#   docker run -p 50051:50051 -p 9464:9464 neurospector-server

FROM debian:12 AS build
WORKDIR /src
COPY . .
# scripts/build.sh installs the Debian packages (scripts/install-deps.sh)
# and builds into build/ with two jobs; the tests are not built here.
RUN BUILD_DIR=/src/build ./scripts/build.sh -DNEUROSPECTOR_BUILD_TESTS=OFF \
    && strip build/bin/neurospector-server build/bin/neurospector

FROM debian:12-slim AS runtime
# Shared libraries of the server: gRPC 1.51 (with reflection), Protocol
# Buffers 3.21, Abseil, oneTBB and prometheus-cpp.
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
       --no-install-recommends \
       libgrpc++1.51 libprotobuf32 libabsl20220623 libtbb12 \
       libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home neurospector
COPY --from=build /src/build/bin/neurospector-server /usr/local/bin/
COPY --from=build /src/build/bin/neurospector /usr/local/bin/
USER 10001
EXPOSE 50051 9464
# SIGTERM drains the calls in flight (up to --shutdown-grace seconds).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/neurospector-server"]
CMD ["--listen", "0.0.0.0:50051", "--metrics-listen", "0.0.0.0:9464"]
