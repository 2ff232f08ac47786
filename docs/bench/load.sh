#!/usr/bin/env bash
# Load benchmark of the model-specialization service (issue 6, point 5), on this machine:
#   1. starts the server (embedded PostgreSQL, fresh data under a temp dir; the demo seeding trains and publishes the
#      demo-fmnist models) unless PRENAS_URL points at a running one,
#   2. waits until GET /api/v1/models/best?space=$SPACE answers 200,
#   3. starts nginx (Debian package nginx-light or nginx) on loopback serving the server's artifact directory, so it
#      serves the very same weights file,
#   4. runs `prenas.jar bench load` against the serving port (prenas.serving.port, where lookup and download
#      clients are pointed; VIA=api measures the API port instead): models/best at $RATE req/s open loop (p50/p99
#      from the planned send time), models/best closed loop at 1,4,16,64 clients, weight downloads at 1,2,4,8
#      concurrent clients from the server and from nginx, then a soak of $SOAK_REQUESTS requests (every 10th a download) while the server's RSS is
#      sampled; results to $OUT (JSON),
#   5. stops everything it started.
#
# Usage: docs/bench/load.sh [out.json]
# Env: JAR (target/prenas.jar; built when missing), PRENAS (the client's command, default $CLIENT_JAVA -jar $JAR,
#      CLIENT_JAVA as in beside-nginx.sh),
#      PRENAS_SERVER (the server's command, default as the Dockerfile: huge pages, jemalloc when installed),
#      PORT (18090), SERVING_PORT (18093), VIA (serving, or api), NGINX_PORT (18091), RATE (200), DURATION (30),
#      WARMUP (20),
#      CONCURRENCY (1,2,4,8), DOWNLOAD_SECONDS (10), LOOKUP_CONCURRENCY (1,4,16,64), LOOKUP_REQUESTS (2000),
#      SOAK_REQUESTS (10000), DEMO_EPOCHS (1: the demo model only has to exist), SPACE (demo-fmnist),
#      MAX_PARAMS (1e12), WAIT_MODEL (3600 s),
#      PRENAS_URL + STORAGE_DIR: use a running server (PRENAS_URL: the port to measure, serving or API) and its
#      prenas.storage.dir instead of starting one
#      (PRENAS_PID: its process id, for its CPU per request and RSS),
#      LATENCIES: also write every open-loop request's planned time and latency to this file (TSV).
set -euo pipefail
cd "$(dirname "$0")/../.."
. docs/bench/nginx-conf.sh
. docs/bench/bench-server.sh
. docs/bench/beside-nginx.sh

OUT=${1:-target/bench/load.json}
JAR=${JAR:-target/prenas.jar}
PORT=${PORT:-18090}
SERVING_PORT=${SERVING_PORT:-18093}
NGINX_PORT=${NGINX_PORT:-18091}
SPACE=${SPACE:-demo-fmnist}
MAX_PARAMS=${MAX_PARAMS:-1e12}
WAIT_MODEL=${WAIT_MODEL:-3600}
find_nginx
# The prenas command (server and CLI); PRENAS="java -cp ... io.prenas.Main" runs it from a class path instead.
[ -n "${PRENAS:-}" ] || [ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
PRENAS=${PRENAS:-$CLIENT_JAVA -jar $JAR}
WORK=$(mktemp -d /tmp/prenas-load.XXXXXX)
SERVER_PID=
trap stop_beside_nginx EXIT  # its own nginx and, unless measuring a running one, its own server

if [ -n "${PRENAS_URL:-}" ]; then
  URL=$PRENAS_URL
  STORAGE=${STORAGE_DIR:?STORAGE_DIR must name the running server\'s prenas.storage.dir}
  MEASURED_PID=${PRENAS_PID:-}
else
  case "${VIA:-serving}" in
    serving) URL=http://127.0.0.1:$SERVING_PORT ;;
    api) URL=http://127.0.0.1:$PORT ;;
    *) echo "VIA must be serving or api" >&2; exit 1 ;;
  esac
  STORAGE=$WORK/artifacts  # start_server's prenas.storage.dir
  # shellcheck disable=SC2086 # PRENAS_SERVER is a command line
  start_server "$WORK" "$PORT" "$SERVING_PORT" "${DEMO_EPOCHS:-1}" \
    ${PRENAS_SERVER:-java -XX:MaxRAMPercentage=75 -XX:+UseTransparentHugePages -jar $JAR}
  MEASURED_PID=$SERVER_PID
  echo "server pid $SERVER_PID, log $WORK/server.log"
fi

BEST="$URL/api/v1/models/best?space=$SPACE&maxParams=$MAX_PARAMS"
deadline=$((SECONDS + WAIT_MODEL))
until curl -sf "$BEST" > "$WORK/best.json"; do
  [ $SECONDS -lt $deadline ] || { echo "no model published in $WAIT_MODEL s" >&2; exit 1; }
  [ -z "$SERVER_PID" ] || kill -0 "$SERVER_PID" || { echo "server died; see its log" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 10
done
SHA=$(sed -n 's/.*"sha256":"\([0-9a-f]\{64\}\)".*/\1/p' "$WORK/best.json")
REL=${SHA:0:2}/${SHA:2:2}/$SHA
[ -f "$STORAGE/$REL" ] || { echo "weights file $STORAGE/$REL not found" >&2; exit 1; }
echo "model: $(cat "$WORK/best.json")"

write_nginx_conf "$WORK" "$NGINX_PORT" <<LOCATIONS
    types { application/octet-stream safetensors; }
    default_type application/octet-stream;
    root $STORAGE;
    location / { }
LOCATIONS
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
sleep 1
curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/$REL" || { echo "nginx does not serve the file" >&2; exit 1; }

mkdir -p "$(dirname "$OUT")"
$PRENAS bench load --url "$URL" --space "$SPACE" --max-params "$MAX_PARAMS" \
  --rate "${RATE:-200}" --duration "${DURATION:-30}" --warmup "${WARMUP:-20}" \
  --concurrency "${CONCURRENCY:-1,2,4,8}" --download-seconds "${DOWNLOAD_SECONDS:-10}" \
  --lookup-concurrency "${LOOKUP_CONCURRENCY:-1,4,16,64}" --lookup-requests "${LOOKUP_REQUESTS:-2000}" \
  --soak-requests "${SOAK_REQUESTS:-10000}" ${MEASURED_PID:+--server-pid "$MEASURED_PID"} \
  ${LATENCIES:+--latencies "$LATENCIES"} \
  --compare-url "http://127.0.0.1:$NGINX_PORT/$REL" --out "$OUT"
