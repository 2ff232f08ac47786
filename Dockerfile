# syntax=docker/dockerfile:1
# PreNAS Server, CPU image. Build: docker build -t prenas-server .
# The GPU variant is Dockerfile.gpu (same jar, CUDA libtorch). What CI checks in this file: README, "Deployment".

# ---- build: the jar, and the PyTorch natives unpacked into the DJL cache ----------------------------------------
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Best effort: the package step below fetches whatever go-offline could not.
RUN ./mvnw -B -q dependency:go-offline || true
COPY api-spec/ api-spec/
COPY src/ src/
# Tests run in CI, not here; test sources (and the client generated for them) are not even compiled.
RUN ./mvnw -B -DskipTests -Dmaven.test.skip=true -Dcodegen.skip=true package \
    && cp target/prenas.jar /prenas.jar
# Starting the engine once unpacks libtorch and the JNI library shipped in the jar into DJL_CACHE_DIR; the runtime
# image copies that directory, so the container never needs network or a writable cache for the engine.
ENV DJL_CACHE_DIR=/opt/djl
RUN java -Dai.djl.offline=true -jar /prenas.jar engine \
    && test -n "$(find /opt/djl -name 'libtorch*.so*' -print -quit)"

# ---- runtime ------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-jammy
# jemalloc: glibc malloc fragments badly under libtorch's many short-lived native buffers (RSS keeps growing).
# curl: the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 prenas \
    && useradd --system --uid 10001 --gid prenas --home-dir /app --shell /usr/sbin/nologin prenas \
    && mkdir -p /app /data/artifacts /data/datasets /data/postgres \
    && chown -R prenas:prenas /app /data
# DJL unpacks into a directory of mode 700: the runtime user must own it, or the engine tries to unpack again.
COPY --from=build --chown=prenas:prenas /opt/djl /opt/djl
COPY --from=build --chown=prenas:prenas /prenas.jar /app/prenas.jar

# MALLOC_CONF: jemalloc's default decay hands freed pages back to the kernel within seconds, and libtorch frees
# and re-allocates the same few-MB activation buffers every step, so every step page-faults them in again: the
# forward pass ran about 2x slower. With decay off, freed pages are kept for reuse and RSS stays at the first
# step's high-water mark (docs/bench/train-step.md). lg_extent_max_active_fit:10 lets a freed extent up to 1024x
# (default 64x) the size asked for be split for it: with the default, the optimiser's small per-tensor temporaries
# could not reuse the large freed activation extents and resident memory grew by tens of MiB per step.
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
    MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10 \
    DJL_CACHE_DIR=/opt/djl \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75" \
    PORT=8080 \
    PRENAS_SERVING_PORT=8081 \
    PRENAS_ROLE=all \
    PRENAS_STORAGE_DIR=/data/artifacts \
    PRENAS_DATA_DIR=/data/datasets \
    PRENAS_DB_DIR=/data/postgres
VOLUME ["/data/artifacts", "/data/datasets"]
WORKDIR /app
USER 10001:10001
# 8080: the API; 8081: the serving port (budget lookups and weight downloads without Tomcat, other reads forwarded
# to 8080, writes refused). Point lookup and download clients at 8081 (README, "Serving port").
EXPOSE 8080 8081
# Readiness, not liveness: a container is healthy once it can serve (database and job storage up).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
    CMD curl -fsS "http://localhost:${PORT}/actuator/health/readiness" >/dev/null || exit 1
# Transparent huge pages for the Java heap (madvise; the kernel's "madvise" or "always" mode): the server's CPU per
# budget lookup fell from 0.25-0.28 to 0.21 ms and the p99 at 1,000 requests/s from 5.2-5.3 to 3.7-3.9 ms, same run
# (docs/bench/serving.md). libtorch's memory is jemalloc's and is not affected; where the kernel has them off the JVM
# warns once and goes on without.
ENTRYPOINT ["java", "-XX:+UseTransparentHugePages", "-jar", "/app/prenas.jar"]
